//! The collector of problems and its readers of single fields: integers, numbers, names.

use serde_json::{Map, Value};

use crate::config::ConfigError;

/// Every problem found so far; each reader reports into it and returns what it could read.
#[derive(Default)]
pub(super) struct Parser {
    pub(super) errors: Vec<ConfigError>,
}

/// A whole number, also when JSON wrote it as a float (`3.0`).
pub(super) fn as_uint(v: &Value) -> Option<u64> {
    if let Some(u) = v.as_u64() {
        return Some(u);
    }
    match v.as_f64() {
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= 9.0e15 => Some(f as u64),
        _ => None,
    }
}

impl Parser {
    /// Records a problem at `path`.
    pub(super) fn err(&mut self, path: &str, message: &str) {
        self.errors.push(ConfigError {
            path: path.to_owned(),
            message: message.to_owned(),
        });
    }

    /// A non-negative integer; `default` makes the field optional.
    pub(super) fn uint(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        default: Option<u64>,
    ) -> Option<u64> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                if default.is_none() {
                    self.err(path, "is required");
                }
                default
            }
            Some(v) => {
                let parsed = as_uint(v);
                if parsed.is_none() {
                    self.err(path, &format!("must be a non-negative integer, got {v}"));
                }
                parsed
            }
        }
    }

    /// A required finite number.
    pub(super) fn number(&mut self, obj: &Map<String, Value>, key: &str, path: &str) -> Option<f64> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.err(path, "is required");
                None
            }
            Some(v) => {
                let parsed = v.as_f64();
                if parsed.is_none() {
                    self.err(path, &format!("must be a number, got {v}"));
                }
                parsed
            }
        }
    }

    /// A required name parsed by `parse`.
    pub(super) fn name<T>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        parse: fn(&str) -> Option<T>,
        accepted: &str,
    ) -> Option<T> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                self.err(path, "is required");
                None
            }
            Some(Value::String(s)) => {
                let parsed = parse(s);
                if parsed.is_none() {
                    self.err(path, &format!("unknown name {s:?}; accepted: {accepted}"));
                }
                parsed
            }
            Some(v) => {
                self.err(path, &format!("must be a string, got {v}"));
                None
            }
        }
    }

    /// An optional name with a default.
    pub(super) fn opt_name<T>(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        parse: fn(&str) -> Option<T>,
        accepted: &str,
    ) -> Option<T> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(_) => self.name(obj, key, path, parse, accepted),
        }
    }
}
