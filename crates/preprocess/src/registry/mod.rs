//! Every operation with its names and the meaning, type, range and default of its two
//! values. Requests are parsed against it into typed steps; the list endpoint shows it.

mod error;
mod parse;
mod table;

pub use error::StepError;
pub use parse::{RawStep, parse_steps};
pub use table::registry;

use serde::Serialize;

/// Whether a value must be a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// Whole numbers only: sizes in pixels, thresholds, seeds.
    Integer,
    /// Any real number in range: angles, factors, sigmas.
    Float,
}

/// One of an operation's two values.
#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    /// What the value is, in words; error messages quote it.
    pub meaning: &'static str,
    /// Whole or real (serialised as `type`).
    #[serde(rename = "type")]
    pub kind: ParamKind,
    /// Smallest accepted value, inclusive.
    pub min: f64,
    /// Largest accepted value, inclusive.
    pub max: f64,
    /// `None`: required, or (where `default_note` says so) derived from the other value.
    pub default: Option<f64>,
    /// How a missing value is derived where there is no fixed default (`value1`: the
    /// same as the first value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_note: Option<&'static str>,
    /// Only odd integers (window sizes with a centre).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub odd: bool,
}

/// One operation as the list endpoint shows it: its names, what it does, its values.
#[derive(Debug, Clone, Serialize)]
pub struct OperationSpec {
    /// English name, accepted as `operationName` too.
    pub name: &'static str,
    /// The original service's (Chinese) name.
    #[serde(rename = "operationName")]
    pub chinese: &'static str,
    /// What the operation does, in a sentence.
    pub description: &'static str,
    /// The first value; `None` where the operation takes none.
    pub value1: Option<ParamSpec>,
    /// The second value; `None` where the operation takes at most one.
    pub value2: Option<ParamSpec>,
}

#[cfg(test)]
mod tests;
