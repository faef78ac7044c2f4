//! The network configuration: the original service's JSON plus optional
//! richer fields (see [`crate::defaults`] for every default and range).
//!
//! [`NetworkConfig::from_value`] (in [`crate::parse`]) validates everything at once and returns all
//! problems, each with a field path such as `net_config.middle_layer[2].filter`.

use common::ErrorCode;
use serde::Serialize;

/// One problem found while parsing a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    /// Field path, e.g. `net_config.middle_layer[2].filter`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

/// All problems found in a configuration (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", join(.0))]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ErrorCode for ConfigError {
    fn code(&self) -> &'static str {
        "config_invalid"
    }
}

impl ErrorCode for ConfigErrors {
    fn code(&self) -> &'static str {
        "config_invalid"
    }
}

fn join(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The optimiser; TensorFlow 1 names and short names are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Optimizer {
    /// `GradientDescentOptimizer` | `sgd`.
    Sgd,
    /// `MomentumOptimizer` | `momentum`.
    Momentum,
    /// `AdamOptimizer` | `adam`.
    Adam,
    /// `RMSPropOptimizer` | `rmsprop`.
    RmsProp,
    /// `AdagradOptimizer` | `adagrad`.
    Adagrad,
}

impl Optimizer {
    /// Parses a name case-insensitively (TF-1 or short form).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "gradientdescentoptimizer" | "sgd" => Some(Self::Sgd),
            "momentumoptimizer" | "momentum" => Some(Self::Momentum),
            "adamoptimizer" | "adam" => Some(Self::Adam),
            "rmspropoptimizer" | "rmsprop" => Some(Self::RmsProp),
            "adagradoptimizer" | "adagrad" => Some(Self::Adagrad),
            _ => None,
        }
    }
}

/// The loss function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// `entropy` | `cross_entropy` | `crossentropy`.
    CrossEntropy,
    /// `mse` | `mean_squared_error`.
    MeanSquaredError,
}

impl Loss {
    /// Parses a name case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "entropy" | "cross_entropy" | "crossentropy" => Some(Self::CrossEntropy),
            "mse" | "mean_squared_error" => Some(Self::MeanSquaredError),
            _ => None,
        }
    }
}

/// The kind of network, which fixes the input it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NetType {
    /// Image input (H x W x C).
    #[serde(rename = "CNN")]
    Cnn,
    /// Vector input of N features.
    #[serde(rename = "DNN")]
    Dnn,
    /// No middle layers, only the output layer.
    #[serde(rename = "logistic")]
    Logistic,
}

impl NetType {
    /// Parses `CNN`, `DNN` or `logistic` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "cnn" => Some(Self::Cnn),
            "dnn" => Some(Self::Dnn),
            "logistic" => Some(Self::Logistic),
            _ => None,
        }
    }

    /// The name used in configurations.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cnn => "CNN",
            Self::Dnn => "DNN",
            Self::Logistic => "logistic",
        }
    }
}

/// Convolution padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Padding {
    /// Output keeps the input's height and width (stride 1 only).
    Same,
    /// No padding.
    Valid,
}

/// Pooling kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolKind {
    /// Max pooling.
    Max,
    /// Average pooling.
    Avg,
}

/// Activation function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// ReLU (default).
    Relu,
    /// Logistic sigmoid.
    Sigmoid,
    /// Hyperbolic tangent.
    Tanh,
    /// Leaky ReLU.
    LeakyRelu,
    /// ELU.
    Elu,
}

impl Activation {
    /// Parses an activation name (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "relu" => Some(Self::Relu),
            "sigmoid" => Some(Self::Sigmoid),
            "tanh" => Some(Self::Tanh),
            "leaky_relu" => Some(Self::LeakyRelu),
            "elu" => Some(Self::Elu),
            _ => None,
        }
    }
}

/// Names of all layer kinds, as written in `"layer"`.
pub(crate) const LAYER_KINDS: [&str; 6] = ["conv", "pool", "norm", "active", "connect", "dropout"];

/// One middle layer, with defaults applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "layer", rename_all = "snake_case")]
pub enum Layer {
    /// 2-D convolution.
    Conv {
        /// `[height, width, out_channels]`.
        filter: [u64; 3],
        /// Stride (both directions).
        stride: u64,
        /// Padding.
        padding: Padding,
        /// Optional activation applied after the convolution.
        #[serde(skip_serializing_if = "Option::is_none")]
        activation: Option<Activation>,
    },
    /// 2-D pooling (no padding).
    Pool {
        /// Max or average.
        kind: PoolKind,
        /// Window height = width.
        size: u64,
        /// Stride (defaults to `size`).
        stride: u64,
    },
    /// Batch normalisation.
    Norm,
    /// An activation layer.
    Active {
        /// Which activation.
        kind: Activation,
    },
    /// Fully connected layer; flattens an image input.
    Connect {
        /// Number of output units.
        units: u64,
    },
    /// Dropout.
    Dropout {
        /// Drop probability in [0, 1).
        rate: f64,
    },
}

impl Layer {
    /// The kind name as written in `"layer"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Conv { .. } => "conv",
            Self::Pool { .. } => "pool",
            Self::Norm => "norm",
            Self::Active { .. } => "active",
            Self::Connect { .. } => "connect",
            Self::Dropout { .. } => "dropout",
        }
    }
}

/// A validated configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkConfig {
    /// Training steps, one mini-batch each.
    pub iter: u64,
    /// Optimiser step size, in (0, 10].
    pub learning_rate: f64,
    /// Share of the data used for training, in (0, 1); the rest is for evaluation.
    pub ratio: f64,
    /// Loss function.
    pub loss: Loss,
    /// Optimiser.
    pub optimizer: Optimizer,
    /// Network kind.
    pub net_type: NetType,
    /// Samples per training step.
    pub batch_size: u64,
    /// Seed of the weight initialisation, the train/test split and the batch order.
    pub seed: u64,
    /// The middle layers, in order.
    pub middle_layers: Vec<Layer>,
    /// The engine, workers and device that train it.
    pub execution: crate::execution::Execution,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optimizer_and_loss_names() {
        let cases = [
            ("GradientDescentOptimizer", Optimizer::Sgd),
            ("sgd", Optimizer::Sgd),
            ("SGD", Optimizer::Sgd),
            ("MomentumOptimizer", Optimizer::Momentum),
            ("momentum", Optimizer::Momentum),
            ("AdamOptimizer", Optimizer::Adam),
            ("adamoptimizer", Optimizer::Adam),
            ("Adam", Optimizer::Adam),
            ("RMSPropOptimizer", Optimizer::RmsProp),
            ("rmsprop", Optimizer::RmsProp),
            ("AdagradOptimizer", Optimizer::Adagrad),
            ("ADAGRAD", Optimizer::Adagrad),
        ];
        for (name, expected) in cases {
            assert_eq!(Optimizer::parse(name), Some(expected), "{name}");
        }
        assert_eq!(Optimizer::parse("AdamWOptimizer"), None);
        for name in ["entropy", "cross_entropy", "CrossEntropy"] {
            assert_eq!(Loss::parse(name), Some(Loss::CrossEntropy), "{name}");
        }
        for name in ["mse", "mean_squared_error"] {
            assert_eq!(Loss::parse(name), Some(Loss::MeanSquaredError), "{name}");
        }
        assert_eq!(Loss::parse("hinge"), None);
    }

    #[test]
    fn layers_serialise_like_the_input() -> Result<(), serde_json::Error> {
        let layer = Layer::Conv {
            filter: [2, 2, 10],
            stride: 1,
            padding: Padding::Same,
            activation: None,
        };
        assert_eq!(
            serde_json::to_value(&layer)?,
            json!({"layer": "conv", "filter": [2, 2, 10], "stride": 1, "padding": "same"})
        );
        assert_eq!(serde_json::to_value(Layer::Norm)?, json!({"layer": "norm"}));
        assert_eq!(serde_json::to_value(NetType::Cnn)?, json!("CNN"));
        Ok(())
    }

    #[test]
    fn other_names() {
        assert_eq!(NetType::parse("cnn"), Some(NetType::Cnn));
        assert_eq!(NetType::parse("Logistic"), Some(NetType::Logistic));
        assert_eq!(NetType::parse("RNN"), None);
        assert_eq!(NetType::Dnn.name(), "DNN");
        assert_eq!(Activation::parse("ELU"), Some(Activation::Elu));
        assert_eq!(Activation::parse("swish"), None);
        assert_eq!(Layer::Dropout { rate: 0.5 }.kind(), "dropout");
    }
}
