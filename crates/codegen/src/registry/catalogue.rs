//! The registry's contents: net types, training parameters and layer kinds, with
//! their defaults and ranges from [`crate::defaults`].

use serde_json::{Value, json};

use super::{LayerOption, NetTypeSpec, ParamSpec, ParamType, Registry};
use crate::config::NetType;
use crate::defaults;

const ACTIVATION_NAMES: [&str; 5] = ["relu", "sigmoid", "tanh", "leaky_relu", "elu"];

/// Every net type, training parameter and layer kind, with ranges not narrowed to any
/// shape (for the options list; [`next_options`](super::next_options) narrows them).
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
            ParamSpec::new(
                "engine",
                Choice,
                json!("builtin"),
                "what trains it: the server's own engine, or PyTorch (the generated script under torchrun)",
            )
            .choices(&["builtin", "pytorch"]),
            ParamSpec::new(
                "workers",
                Int,
                json!(defaults::WORKERS),
                "data-parallel workers, each with its share of every batch (pytorch only)",
            )
            .min(json!(1), false)
            .max(json!(defaults::WORKERS_MAX), false),
            ParamSpec::new(
                "device",
                Choice,
                json!("cpu"),
                "where each worker computes (cuda: pytorch only)",
            )
            .choices(&["cpu", "cuda"]),
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
pub(super) fn conv_option(fit: Option<(u64, u64)>) -> LayerOption {
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
pub(super) fn pool_option(fit: Option<u64>) -> LayerOption {
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
