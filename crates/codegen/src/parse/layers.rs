//! `net_config` and its middle layers: kinds, parameters and their defaults.

use serde_json::Value;

use super::fields::{Parser, as_uint};
use crate::config::{Activation, LAYER_KINDS, Layer, Padding, PoolKind};
use crate::defaults;

impl Parser {
    /// The middle layers of `net_config`, which may be left out.
    pub(super) fn net_config(&mut self, value: Option<&Value>) -> Vec<Layer> {
        let obj = match value {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Object(o)) => o,
            Some(v) => {
                self.err("net_config", &format!("must be an object, got {v}"));
                return Vec::new();
            }
        };
        match obj.get("output_layer") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(v) => self.err("net_config.output_layer", &format!("must be an object, got {v}")),
        }
        let list = match obj.get("middle_layer") {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(a)) => a,
            Some(v) => {
                self.err("net_config.middle_layer", &format!("must be a list, got {v}"));
                return Vec::new();
            }
        };
        self.layers(list, "net_config.middle_layer")
    }

    /// Every layer of `list` that parses; problems are reported at `<prefix>[i]...`.
    pub(super) fn layers(&mut self, list: &[Value], prefix: &str) -> Vec<Layer> {
        list.iter()
            .enumerate()
            .filter_map(|(i, item)| self.layer(item, &format!("{prefix}[{i}]")))
            .collect()
    }

    /// One middle layer with its defaults, or `None` (its problems reported).
    fn layer(&mut self, value: &Value, path: &str) -> Option<Layer> {
        let Some(obj) = value.as_object() else {
            self.err(path, &format!("must be an object, got {value}"));
            return None;
        };
        let kind = match obj.get("layer") {
            Some(Value::String(s)) => s.to_ascii_lowercase(),
            Some(v) => {
                self.err(&format!("{path}.layer"), &format!("must be a string, got {v}"));
                return None;
            }
            None => {
                self.err(&format!("{path}.layer"), "is required");
                return None;
            }
        };
        let allowed: &[&str] = match kind.as_str() {
            "conv" => &["filter", "stride", "padding", "activation"],
            "pool" => &["kind", "size", "stride"],
            "norm" => &[],
            "active" => &["kind"],
            "connect" => &["units"],
            "dropout" => &["rate"],
            _ => {
                self.err(
                    &format!("{path}.layer"),
                    &format!(
                        "unknown layer kind {kind:?}; accepted: {}",
                        LAYER_KINDS.join(", ")
                    ),
                );
                return None;
            }
        };
        for key in obj.keys() {
            if key != "layer" && !allowed.contains(&key.as_str()) {
                self.err(
                    &format!("{path}.{key}"),
                    &format!("unknown parameter for a {kind} layer"),
                );
            }
        }
        let at = |key: &str| format!("{path}.{key}");
        let positive = |p: &mut Self, key: &str, default: u64| -> u64 {
            let v = p.uint(obj, key, &at(key), Some(default)).unwrap_or(default);
            if v == 0 {
                p.err(&at(key), "must be at least 1");
            }
            v
        };
        let layer = match kind.as_str() {
            "conv" => {
                let filter = self.filter(obj.get("filter"), &at("filter"));
                let stride = positive(self, "stride", defaults::CONV_STRIDE);
                let padding = self
                    .opt_name(obj, "padding", &at("padding"), parse_padding, "same, valid")
                    .unwrap_or(Padding::Same);
                let activation = self.opt_name(
                    obj,
                    "activation",
                    &at("activation"),
                    Activation::parse,
                    ACTIVATIONS,
                );
                Layer::Conv {
                    filter: filter?,
                    stride,
                    padding,
                    activation,
                }
            }
            "pool" => {
                let kind = self
                    .opt_name(obj, "kind", &at("kind"), parse_pool_kind, "max, avg")
                    .unwrap_or(PoolKind::Max);
                let size = positive(self, "size", defaults::POOL_SIZE);
                let stride = positive(self, "stride", size.max(1));
                Layer::Pool { kind, size, stride }
            }
            "norm" => Layer::Norm,
            "active" => Layer::Active {
                kind: self
                    .opt_name(obj, "kind", &at("kind"), Activation::parse, ACTIVATIONS)
                    .unwrap_or(Activation::Relu),
            },
            "connect" => Layer::Connect {
                units: self
                    .uint(obj, "units", &at("units"), Some(defaults::CONNECT_UNITS))
                    .unwrap_or(defaults::CONNECT_UNITS),
            },
            _ => {
                let rate = match obj.get("rate") {
                    None | Some(Value::Null) => defaults::DROPOUT_RATE,
                    Some(v) => match v.as_f64() {
                        Some(r) if (0.0..1.0).contains(&r) => r,
                        _ => {
                            self.err(&at("rate"), &format!("must be a number in [0, 1), got {v}"));
                            defaults::DROPOUT_RATE
                        }
                    },
                };
                Layer::Dropout { rate }
            }
        };
        Some(layer)
    }

    /// A conv's `[height, width, out_channels]`, all at least 1.
    fn filter(&mut self, value: Option<&Value>, path: &str) -> Option<[u64; 3]> {
        let Some(value) = value else {
            self.err(path, "is required: [height, width, out_channels]");
            return None;
        };
        let parsed = value.as_array().and_then(|a| {
            let nums: Option<Vec<u64>> = a.iter().map(as_uint).collect();
            match nums?.as_slice() {
                [h, w, c] if *h > 0 && *w > 0 && *c > 0 => Some([*h, *w, *c]),
                _ => None,
            }
        });
        if parsed.is_none() {
            self.err(
                path,
                &format!("must be three positive integers [height, width, out_channels], got {value}"),
            );
        }
        parsed
    }
}

const ACTIVATIONS: &str = "relu, sigmoid, tanh, leaky_relu, elu";

fn parse_padding(name: &str) -> Option<Padding> {
    match name.to_ascii_lowercase().as_str() {
        "same" => Some(Padding::Same),
        "valid" => Some(Padding::Valid),
        _ => None,
    }
}

fn parse_pool_kind(name: &str) -> Option<PoolKind> {
    match name.to_ascii_lowercase().as_str() {
        "max" => Some(PoolKind::Max),
        "avg" => Some(PoolKind::Avg),
        _ => None,
    }
}
