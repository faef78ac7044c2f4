//! Every net type and layer kind with its parameters (for
//! `GET /generation/options/list/`), and [`next_options`]: the layer kinds
//! valid after the layers chosen so far, with ranges narrowed to the shape.

mod catalogue;

pub use catalogue::registry;

use serde::Serialize;
use serde_json::Value;

use crate::config::{Layer, NetType};
use crate::shape::{Shape, ShapeError, infer_layers};
use catalogue::{conv_option, pool_option};

/// The type of a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    /// An integer.
    Int,
    /// A real number.
    Float,
    /// One of `choices`.
    Choice,
    /// A fixed-length list of integers described by `items`.
    IntList,
}

/// One parameter: name, type, range, default and meaning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSpec {
    /// Key in the configuration.
    pub name: &'static str,
    /// Value type.
    #[serde(rename = "type")]
    pub ty: ParamType,
    /// Smallest value, if bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    /// Whether `min` itself is excluded.
    #[serde(skip_serializing_if = "is_false")]
    pub min_exclusive: bool,
    /// Largest value, if bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    /// Whether `max` itself is excluded.
    #[serde(skip_serializing_if = "is_false")]
    pub max_exclusive: bool,
    /// Accepted names for [`ParamType::Choice`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<&'static str>,
    /// Elements of an [`ParamType::IntList`], in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ParamSpec>,
    /// Whether the parameter must be given.
    pub required: bool,
    /// Default when omitted (`null` when required or when the default is
    /// "none"/derived; see `meaning`).
    pub default: Value,
    /// What it means.
    pub meaning: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ParamSpec {
    fn new(name: &'static str, ty: ParamType, default: Value, meaning: &str) -> Self {
        Self {
            name,
            ty,
            min: None,
            min_exclusive: false,
            max: None,
            max_exclusive: false,
            choices: Vec::new(),
            items: Vec::new(),
            required: false,
            default,
            meaning: meaning.to_owned(),
        }
    }

    fn required(mut self) -> Self {
        self.required = true;
        self.default = Value::Null;
        self
    }

    fn min(mut self, v: Value, exclusive: bool) -> Self {
        self.min = Some(v);
        self.min_exclusive = exclusive;
        self
    }

    fn max(mut self, v: Value, exclusive: bool) -> Self {
        self.max = Some(v);
        self.max_exclusive = exclusive;
        self
    }

    fn choices(mut self, choices: &[&'static str]) -> Self {
        self.choices = choices.to_vec();
        self
    }

    /// Looks up an element of [`ParamSpec::items`] by name.
    #[cfg(test)]
    fn item(&self, name: &str) -> Option<&ParamSpec> {
        self.items.iter().find(|p| p.name == name)
    }
}

/// A layer kind with its parameters (ranges possibly narrowed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerOption {
    /// Kind name as written in `"layer"`.
    pub kind: &'static str,
    /// What the layer does.
    pub meaning: &'static str,
    /// Which shapes it accepts: `"image"` and/or `"vector"`.
    pub accepts: Vec<&'static str>,
    /// Its parameters.
    pub params: Vec<ParamSpec>,
}

impl LayerOption {
    /// Looks up a parameter by name.
    #[cfg(test)]
    fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// A net type and the input it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetTypeSpec {
    /// Name as written in `net_type`.
    pub name: &'static str,
    /// The input shape it takes.
    pub input: &'static str,
    /// What it is.
    pub meaning: &'static str,
}

/// Everything a client needs to build a configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registry {
    /// Net types.
    pub net_types: Vec<NetTypeSpec>,
    /// Top-level training parameters.
    pub training: Vec<ParamSpec>,
    /// Layer kinds.
    pub layers: Vec<LayerOption>,
}

/// The layer kinds valid after `layers_so_far` on `input`, with ranges
/// narrowed to the current shape. Logistic networks get none; after a vector
/// only `norm`, `active`, `connect` and `dropout` are offered.
pub fn next_options(
    net_type: NetType,
    input: Shape,
    layers_so_far: &[Layer],
) -> Result<Vec<LayerOption>, ShapeError> {
    let summaries = infer_layers(net_type, input, layers_so_far)?;
    if net_type == NetType::Logistic {
        return Ok(Vec::new());
    }
    let shape = summaries.last().map_or(input, |s| s.output);
    let options = registry()
        .layers
        .into_iter()
        .filter_map(|option| match (option.kind, shape) {
            ("conv", Shape::Image { h, w, .. }) => Some(conv_option(Some((h, w)))),
            ("pool", Shape::Image { h, w, .. }) => Some(pool_option(Some(h.min(w)))),
            ("conv" | "pool", Shape::Vector(_)) => None,
            _ => Some(option),
        })
        .collect();
    Ok(options)
}

#[cfg(test)]
mod tests;
