//! Every net type and layer kind with its parameters (for
//! `GET /generation/options/list/`), and [`next_options`]: the layer kinds
//! valid after the layers chosen so far, with ranges narrowed to the shape.

use serde::Serialize;
use serde_json::{Value, json};

use crate::config::{Layer, NetType};
use crate::defaults;
use crate::shape::{Shape, ShapeError, infer_layers};

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
    pub fn item(&self, name: &str) -> Option<&ParamSpec> {
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
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
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

const ACTIVATION_NAMES: [&str; 5] = ["relu", "sigmoid", "tanh", "leaky_relu", "elu"];

/// The full registry.
pub fn registry() -> Registry {
    use ParamType::{Choice, Float, Int};
    Registry {
        net_types: vec![
            NetTypeSpec {
                name: NetType::Cnn.name(),
                input: "image [height, width, channels]",
                meaning: "convolutional network on images",
            },
            NetTypeSpec {
                name: NetType::Dnn.name(),
                input: "vector [features]",
                meaning: "fully connected network on feature vectors",
            },
            NetTypeSpec {
                name: NetType::Logistic.name(),
                input: "image or vector",
                meaning: "no middle layers: only the output layer (logistic regression)",
            },
        ],
        training: vec![
            ParamSpec::new("iter", Int, Value::Null, "training steps")
                .required()
                .min(json!(defaults::ITER_MIN), false)
                .max(json!(defaults::ITER_MAX), false),
            ParamSpec::new("learning_rate", Float, Value::Null, "optimiser step size")
                .required()
                .min(json!(0.0), true)
                .max(json!(defaults::LEARNING_RATE_MAX), false),
            ParamSpec::new("ratio", Float, Value::Null, "share of the data used for training")
                .required()
                .min(json!(0.0), true)
                .max(json!(1.0), true),
            ParamSpec::new(
                "loss_name",
                Choice,
                Value::Null,
                "loss function (case-insensitive)",
            )
            .required()
            .choices(&[
                "entropy",
                "cross_entropy",
                "crossentropy",
                "mse",
                "mean_squared_error",
            ]),
            ParamSpec::new(
                "optimizer_name",
                Choice,
                Value::Null,
                "optimiser; TensorFlow 1 or short names, case-insensitive",
            )
            .required()
            .choices(&[
                "GradientDescentOptimizer",
                "sgd",
                "MomentumOptimizer",
                "momentum",
                "AdamOptimizer",
                "adam",
                "RMSPropOptimizer",
                "rmsprop",
                "AdagradOptimizer",
                "adagrad",
            ]),
            ParamSpec::new("net_type", Choice, Value::Null, "network kind")
                .required()
                .choices(&["CNN", "DNN", "logistic"]),
            ParamSpec::new("batch_size", Int, json!(defaults::BATCH_SIZE), "mini-batch size")
                .min(json!(defaults::BATCH_SIZE_MIN), false)
                .max(json!(defaults::BATCH_SIZE_MAX), false),
            ParamSpec::new("seed", Int, json!(defaults::SEED), "random seed").min(json!(0), false),
        ],
        layers: vec![
            conv_option(None),
            pool_option(None),
            LayerOption {
                kind: "norm",
                meaning: "batch normalisation (2 parameters per channel or feature)",
                accepts: vec!["image", "vector"],
                params: Vec::new(),
            },
            LayerOption {
                kind: "active",
                meaning: "activation function",
                accepts: vec!["image", "vector"],
                params: vec![
                    ParamSpec::new("kind", Choice, json!("relu"), "which activation")
                        .choices(&ACTIVATION_NAMES),
                ],
            },
            LayerOption {
                kind: "connect",
                meaning: "fully connected layer; flattens an image input",
                accepts: vec!["image", "vector"],
                params: vec![
                    ParamSpec::new("units", Int, json!(defaults::CONNECT_UNITS), "output units")
                        .min(json!(1), false),
                ],
            },
            LayerOption {
                kind: "dropout",
                meaning: "randomly zeroes inputs while training",
                accepts: vec!["image", "vector"],
                params: vec![
                    ParamSpec::new("rate", Float, json!(defaults::DROPOUT_RATE), "drop probability")
                        .min(json!(0.0), false)
                        .max(json!(1.0), true),
                ],
            },
        ],
    }
}

/// The conv option; `fit` = `Some((h, w))` narrows the window to the image.
fn conv_option(fit: Option<(u64, u64)>) -> LayerOption {
    use ParamType::{Choice, Int, IntList};
    let side = |name: &'static str, bound: Option<u64>| {
        let meaning = match bound {
            Some(b) => format!("window {name}; at most {b} with padding \"valid\""),
            None => format!("window {name}"),
        };
        let spec = ParamSpec::new(name, Int, Value::Null, &meaning)
            .required()
            .min(json!(1), false);
        match bound {
            Some(b) => spec.max(json!(b), false),
            None => spec,
        }
    };
    let mut filter =
        ParamSpec::new("filter", IntList, Value::Null, "[height, width, out_channels]").required();
    filter.items = vec![
        side("height", fit.map(|f| f.0)),
        side("width", fit.map(|f| f.1)),
        ParamSpec::new("out_channels", Int, Value::Null, "output channels")
            .required()
            .min(json!(1), false),
    ];
    LayerOption {
        kind: "conv",
        meaning: "2-D convolution",
        accepts: vec!["image"],
        params: vec![
            filter,
            ParamSpec::new(
                "stride",
                Int,
                json!(defaults::CONV_STRIDE),
                "step in both directions",
            )
            .min(json!(1), false),
            ParamSpec::new(
                "padding",
                Choice,
                json!("same"),
                "\"same\" keeps height and width (stride 1 only); \"valid\" pads nothing",
            )
            .choices(&["same", "valid"]),
            ParamSpec::new(
                "activation",
                Choice,
                Value::Null,
                "optional activation; none by default",
            )
            .choices(&ACTIVATION_NAMES),
        ],
    }
}

/// The pool option; `fit` = `Some(m)` caps the window at `m`.
fn pool_option(fit: Option<u64>) -> LayerOption {
    use ParamType::{Choice, Int};
    let mut size =
        ParamSpec::new("size", Int, json!(defaults::POOL_SIZE), "window height = width").min(json!(1), false);
    if let Some(m) = fit {
        size = size.max(json!(m), false);
    }
    LayerOption {
        kind: "pool",
        meaning: "2-D pooling without padding",
        accepts: vec!["image"],
        params: vec![
            ParamSpec::new("kind", Choice, json!("max"), "max or average").choices(&["max", "avg"]),
            size,
            ParamSpec::new("stride", Int, Value::Null, "step; defaults to size").min(json!(1), false),
        ],
    }
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
mod tests {
    use super::*;
    use crate::config::{Padding, PoolKind};

    fn kinds(options: &[LayerOption]) -> Vec<&'static str> {
        options.iter().map(|o| o.kind).collect()
    }

    fn find<'a>(options: &'a [LayerOption], kind: &str) -> &'a LayerOption {
        options.iter().find(|o| o.kind == kind).expect("option present")
    }

    fn pool2() -> Layer {
        Layer::Pool {
            kind: PoolKind::Max,
            size: 2,
            stride: 2,
        }
    }

    fn img(h: u64, w: u64, c: u64) -> Shape {
        Shape::Image { h, w, c }
    }

    #[test]
    fn empty_cnn_on_mnist() -> Result<(), ShapeError> {
        let options = next_options(NetType::Cnn, img(28, 28, 1), &[])?;
        assert_eq!(
            kinds(&options),
            vec!["conv", "pool", "norm", "active", "connect", "dropout"]
        );
        let pool = find(&options, "pool");
        assert_eq!(pool.param("size").and_then(|p| p.max.clone()), Some(json!(28)));
        let filter = find(&options, "conv").param("filter").expect("filter");
        assert_eq!(filter.item("height").and_then(|p| p.max.clone()), Some(json!(28)));
        assert_eq!(filter.item("width").and_then(|p| p.max.clone()), Some(json!(28)));
        assert_eq!(filter.item("out_channels").and_then(|p| p.max.clone()), None);
        Ok(())
    }

    #[test]
    fn after_two_pools_on_7x7() -> Result<(), ShapeError> {
        let layers = [
            Layer::Conv {
                filter: [3, 3, 20],
                stride: 1,
                padding: Padding::Same,
                activation: None,
            },
            pool2(),
            pool2(),
        ];
        let options = next_options(NetType::Cnn, img(28, 28, 1), &layers)?;
        assert_eq!(kinds(&options).len(), 6);
        let size = find(&options, "pool").param("size").expect("size");
        assert_eq!(size.max, Some(json!(7)));
        assert_eq!(size.min, Some(json!(1)));
        assert_eq!(size.default, json!(2));
        let filter = find(&options, "conv").param("filter").expect("filter");
        let height = filter.item("height").expect("height");
        assert_eq!(height.max, Some(json!(7)));
        assert_eq!(height.meaning, "window height; at most 7 with padding \"valid\"");
        // A non-square image narrows each side on its own; pool takes the smaller.
        let options = next_options(NetType::Cnn, img(9, 5, 3), &[])?;
        let filter = find(&options, "conv").param("filter").expect("filter");
        assert_eq!(filter.item("height").and_then(|p| p.max.clone()), Some(json!(9)));
        assert_eq!(filter.item("width").and_then(|p| p.max.clone()), Some(json!(5)));
        assert_eq!(
            find(&options, "pool").param("size").and_then(|p| p.max.clone()),
            Some(json!(5))
        );
        Ok(())
    }

    #[test]
    fn after_a_connect_only_vector_layers() -> Result<(), ShapeError> {
        let options = next_options(
            NetType::Cnn,
            img(28, 28, 1),
            &[pool2(), Layer::Connect { units: 128 }],
        )?;
        assert_eq!(kinds(&options), vec!["norm", "active", "connect", "dropout"]);
        let options = next_options(NetType::Dnn, Shape::Vector(64), &[])?;
        assert_eq!(kinds(&options), vec!["norm", "active", "connect", "dropout"]);
        Ok(())
    }

    #[test]
    fn logistic_and_invalid_prefixes() {
        let options = next_options(NetType::Logistic, Shape::Vector(4), &[]).expect("valid");
        assert!(options.is_empty());
        let e = next_options(NetType::Cnn, img(4, 4, 1), &[pool2(), pool2(), pool2()])
            .expect_err("must be rejected");
        assert_eq!(e.layer, 2);
        assert_eq!(
            e.reason,
            "layer 2 (pool): a 2x2 window does not fit a 1x1x1 input"
        );
    }

    #[test]
    fn registry_lists_everything() -> Result<(), serde_json::Error> {
        let r = registry();
        let names: Vec<&str> = r.net_types.iter().map(|n| n.name).collect();
        assert_eq!(names, vec!["CNN", "DNN", "logistic"]);
        assert_eq!(
            kinds(&r.layers),
            vec!["conv", "pool", "norm", "active", "connect", "dropout"]
        );
        let v = serde_json::to_value(&r)?;
        let training = v["training"].as_array().expect("list");
        assert_eq!(training.len(), 8);
        assert_eq!(v["training"][6]["name"], json!("batch_size"));
        assert_eq!(v["training"][6]["default"], json!(32));
        assert_eq!(v["training"][6]["max"], json!(65536));
        assert_eq!(v["training"][2]["min_exclusive"], json!(true));
        assert_eq!(v["training"][2]["max_exclusive"], json!(true));
        assert!(
            v["training"][4]["choices"]
                .as_array()
                .expect("choices")
                .contains(&json!("GradientDescentOptimizer"))
        );
        let conv = &v["layers"][0];
        assert_eq!(conv["params"][0]["type"], json!("int_list"));
        assert_eq!(conv["params"][0]["required"], json!(true));
        assert!(conv["params"][0]["items"][0].get("max").is_none());
        assert_eq!(conv["params"][2]["default"], json!("same"));
        let dropout = &v["layers"][5]["params"][0];
        assert_eq!(dropout["default"], json!(0.5));
        assert_eq!(dropout["max"], json!(1.0));
        assert_eq!(dropout["max_exclusive"], json!(true));
        assert!(dropout.get("min_exclusive").is_none());
        assert_eq!(v["layers"][4]["params"][0]["default"], json!(128));
        Ok(())
    }
}
