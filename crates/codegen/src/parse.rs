//! Parsing and validation of a configuration from JSON, collecting every
//! problem with its field path (see [`NetworkConfig::from_value`]).

use serde_json::{Map, Value};

use crate::config::{
    Activation, ConfigError, ConfigErrors, LAYER_KINDS, Layer, Loss, NetType, NetworkConfig, Optimizer,
    Padding, PoolKind,
};
use crate::defaults;

impl NetworkConfig {
    /// Parses and validates a JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, ConfigErrors> {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Self::from_value(&value),
            Err(e) => Err(ConfigErrors(vec![ConfigError {
                path: String::new(),
                message: format!("not valid JSON: {e}"),
            }])),
        }
    }

    /// Parses and validates a JSON value, collecting every problem.
    ///
    /// Unknown top-level keys and keys of `output_layer` are ignored (the
    /// original service's clients may send extra fields); unknown keys inside
    /// a middle layer are errors.
    pub fn from_value(value: &Value) -> Result<Self, ConfigErrors> {
        let mut p = Parser::default();
        let Some(obj) = value.as_object() else {
            p.err("", "the configuration must be a JSON object");
            return Err(ConfigErrors(p.errors));
        };
        let iter = p.uint(obj, "iter", "iter", None);
        if let Some(i) = iter
            && !(defaults::ITER_MIN..=defaults::ITER_MAX).contains(&i)
        {
            p.err(
                "iter",
                &format!(
                    "must be between {} and {}, got {i}",
                    defaults::ITER_MIN,
                    defaults::ITER_MAX
                ),
            );
        }
        let learning_rate = p.number(obj, "learning_rate", "learning_rate");
        if let Some(lr) = learning_rate
            && !(lr > 0.0 && lr <= defaults::LEARNING_RATE_MAX)
        {
            p.err(
                "learning_rate",
                &format!(
                    "must be greater than 0 and at most {}, got {lr}",
                    defaults::LEARNING_RATE_MAX
                ),
            );
        }
        let ratio = p.number(obj, "ratio", "ratio");
        if let Some(r) = ratio
            && !(r > 0.0 && r < 1.0)
        {
            p.err("ratio", &format!("must be strictly between 0 and 1, got {r}"));
        }
        let loss = p.name(
            obj,
            "loss_name",
            "loss_name",
            Loss::parse,
            "entropy, cross_entropy, crossentropy, mse, mean_squared_error",
        );
        let optimizer = p.name(
            obj,
            "optimizer_name",
            "optimizer_name",
            Optimizer::parse,
            "GradientDescentOptimizer/sgd, MomentumOptimizer/momentum, AdamOptimizer/adam, RMSPropOptimizer/rmsprop, AdagradOptimizer/adagrad",
        );
        let net_type = p.name(obj, "net_type", "net_type", NetType::parse, "CNN, DNN, logistic");
        let batch_size = p
            .uint(obj, "batch_size", "batch_size", Some(defaults::BATCH_SIZE))
            .unwrap_or(defaults::BATCH_SIZE);
        if !(defaults::BATCH_SIZE_MIN..=defaults::BATCH_SIZE_MAX).contains(&batch_size) {
            p.err(
                "batch_size",
                &format!(
                    "must be between {} and {}, got {batch_size}",
                    defaults::BATCH_SIZE_MIN,
                    defaults::BATCH_SIZE_MAX
                ),
            );
        }
        let seed = p
            .uint(obj, "seed", "seed", Some(defaults::SEED))
            .unwrap_or(defaults::SEED);
        let middle_layers = p.net_config(obj.get("net_config"));

        match (iter, learning_rate, ratio, loss, optimizer, net_type) {
            (Some(iter), Some(learning_rate), Some(ratio), Some(loss), Some(optimizer), Some(net_type))
                if p.errors.is_empty() =>
            {
                Ok(Self {
                    iter,
                    learning_rate,
                    ratio,
                    loss,
                    optimizer,
                    net_type,
                    batch_size,
                    seed,
                    middle_layers,
                })
            }
            _ => Err(ConfigErrors(p.errors)),
        }
    }
}

#[derive(Default)]
struct Parser {
    errors: Vec<ConfigError>,
}

/// Parses a list of middle layers alone (for "what may come next"); errors are
/// reported at `layers[i]...`.
pub fn parse_layers(value: &Value) -> Result<Vec<Layer>, ConfigErrors> {
    let mut p = Parser::default();
    let Some(list) = value.as_array() else {
        p.err("layers", &format!("must be a list of layers, got {value}"));
        return Err(ConfigErrors(p.errors));
    };
    let layers = p.layers(list, "layers");
    if p.errors.is_empty() {
        Ok(layers)
    } else {
        Err(ConfigErrors(p.errors))
    }
}

fn as_uint(v: &Value) -> Option<u64> {
    if let Some(u) = v.as_u64() {
        return Some(u);
    }
    match v.as_f64() {
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= 9.0e15 => Some(f as u64),
        _ => None,
    }
}

impl Parser {
    fn err(&mut self, path: &str, message: &str) {
        self.errors.push(ConfigError {
            path: path.to_owned(),
            message: message.to_owned(),
        });
    }

    /// A non-negative integer; `default` makes the field optional.
    fn uint(&mut self, obj: &Map<String, Value>, key: &str, path: &str, default: Option<u64>) -> Option<u64> {
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
    fn number(&mut self, obj: &Map<String, Value>, key: &str, path: &str) -> Option<f64> {
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
    fn name<T>(
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
    fn opt_name<T>(
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

    fn net_config(&mut self, value: Option<&Value>) -> Vec<Layer> {
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
    fn layers(&mut self, list: &[Value], prefix: &str) -> Vec<Layer> {
        list.iter()
            .enumerate()
            .filter_map(|(i, item)| self.layer(item, &format!("{prefix}[{i}]")))
            .collect()
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn seed_config() -> Value {
        json!({"iter": 1000, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
         "optimizer_name": "GradientDescentOptimizer", "net_type": "CNN",
         "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
           {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
           {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}})
    }

    fn paths(errors: &ConfigErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn seed_config_parses_with_defaults() -> Result<(), ConfigErrors> {
        let config = NetworkConfig::from_value(&seed_config())?;
        assert_eq!(config.iter, 1000);
        assert_eq!(config.learning_rate, 0.01);
        assert_eq!(config.ratio, 0.8);
        assert_eq!(config.loss, Loss::CrossEntropy);
        assert_eq!(config.optimizer, Optimizer::Sgd);
        assert_eq!(config.net_type, NetType::Cnn);
        assert_eq!(config.batch_size, 32);
        assert_eq!(config.seed, 0);
        let conv = |c| Layer::Conv {
            filter: [2, 2, c],
            stride: 1,
            padding: Padding::Same,
            activation: None,
        };
        assert_eq!(
            config.middle_layers,
            vec![
                conv(10),
                conv(20),
                Layer::Pool {
                    kind: PoolKind::Max,
                    size: 2,
                    stride: 2
                },
                Layer::Norm,
                Layer::Active {
                    kind: Activation::Relu
                },
                Layer::Connect { units: 128 },
                Layer::Connect { units: 128 },
            ]
        );
        Ok(())
    }

    #[test]
    fn richer_fields_are_read() -> Result<(), ConfigErrors> {
        let config = NetworkConfig::from_json_str(
            r#"{"iter": 5, "learning_rate": 10, "ratio": 0.5, "loss_name": "MSE",
            "optimizer_name": "adam", "net_type": "dnn", "batch_size": 64, "seed": 7,
            "net_config": {"middle_layer": [
              {"layer": "conv", "filter": [3, 3, 8], "stride": 2, "padding": "valid", "activation": "tanh"},
              {"layer": "pool", "kind": "avg", "size": 3},
              {"layer": "pool", "size": 3, "stride": 1},
              {"layer": "active", "kind": "leaky_relu"},
              {"layer": "connect", "units": 64},
              {"layer": "dropout"},
              {"layer": "dropout", "rate": 0}]}}"#,
        )?;
        assert_eq!(config.loss, Loss::MeanSquaredError);
        assert_eq!(config.optimizer, Optimizer::Adam);
        assert_eq!(config.net_type, NetType::Dnn);
        assert_eq!((config.batch_size, config.seed), (64, 7));
        assert_eq!(
            config.middle_layers,
            vec![
                Layer::Conv {
                    filter: [3, 3, 8],
                    stride: 2,
                    padding: Padding::Valid,
                    activation: Some(Activation::Tanh)
                },
                Layer::Pool {
                    kind: PoolKind::Avg,
                    size: 3,
                    stride: 3
                },
                Layer::Pool {
                    kind: PoolKind::Max,
                    size: 3,
                    stride: 1
                },
                Layer::Active {
                    kind: Activation::LeakyRelu
                },
                Layer::Connect { units: 64 },
                Layer::Dropout { rate: 0.5 },
                Layer::Dropout { rate: 0.0 },
            ]
        );
        Ok(())
    }

    #[test]
    fn all_errors_are_collected_with_paths() {
        let bad = json!({"iter": 0, "learning_rate": 0, "ratio": 1.0, "loss_name": "hinge",
          "optimizer_name": "Nope", "net_type": "RNN", "batch_size": 70000,
          "net_config": {"middle_layer": [
            {"layer": "conv", "filter": [2, 2]},
            {"layer": "lstm"},
            {"layer": "dropout", "rate": 1.0},
            {"layer": "pool", "size": 0},
            {"layer": "conv", "filter": [3, 0, 8], "strides": 2},
            {"layer": "active", "kind": "swish"},
            {"layer": "connect", "units": -1},
            {"layer": "conv", "filter": [3, 3, 8], "padding": "full"}]}});
        let errors = NetworkConfig::from_value(&bad).expect_err("must fail");
        assert_eq!(
            paths(&errors),
            vec![
                "iter",
                "learning_rate",
                "ratio",
                "loss_name",
                "optimizer_name",
                "net_type",
                "batch_size",
                "net_config.middle_layer[0].filter",
                "net_config.middle_layer[1].layer",
                "net_config.middle_layer[2].rate",
                "net_config.middle_layer[3].size",
                "net_config.middle_layer[4].strides",
                "net_config.middle_layer[4].filter",
                "net_config.middle_layer[5].kind",
                "net_config.middle_layer[6].units",
                "net_config.middle_layer[7].padding",
            ]
        );
        assert_eq!(
            errors.0[0].to_string(),
            "iter: must be between 1 and 1000000, got 0"
        );
        assert!(errors.0[8].message.contains("unknown layer kind \"lstm\""));
        assert!(errors.to_string().contains("; learning_rate: "));
    }

    #[test]
    fn required_fields_and_wrong_types() {
        let errors = NetworkConfig::from_value(&json!({"iter": 1.5, "ratio": "half",
            "net_config": {"middle_layer": {}}}))
        .expect_err("must fail");
        assert_eq!(
            paths(&errors),
            vec![
                "iter",
                "learning_rate",
                "ratio",
                "loss_name",
                "optimizer_name",
                "net_type",
                "net_config.middle_layer",
            ]
        );
        assert_eq!(errors.0[1].message, "is required");
        let errors = NetworkConfig::from_json_str("[1, 2").expect_err("must fail");
        assert!(errors.0[0].message.starts_with("not valid JSON"));
        let errors = NetworkConfig::from_value(&json!([1])).expect_err("must fail");
        assert_eq!(errors.0[0].message, "the configuration must be a JSON object");
    }

    #[test]
    fn boundary_numbers_are_accepted() -> Result<(), ConfigErrors> {
        let mut value = seed_config();
        value["iter"] = json!(1_000_000);
        value["learning_rate"] = json!(10);
        value["ratio"] = json!(0.999);
        value["batch_size"] = json!(65536);
        let config = NetworkConfig::from_value(&value)?;
        assert_eq!(config.iter, 1_000_000);
        assert_eq!(config.batch_size, 65536);
        value["iter"] = json!(1_000_001);
        value["batch_size"] = json!(0);
        let errors = NetworkConfig::from_value(&value).expect_err("must fail");
        assert_eq!(paths(&errors), vec!["iter", "batch_size"]);
        Ok(())
    }
}
