//! Network configurations: the original service's JSON, the layer registry,
//! shape inference and parameter counts (pure, no I/O).
//!
//! * [`config`]: parse and validate a configuration ([`NetworkConfig`]).
//! * [`shape`]: infer shapes, PyTorch parameter counts and FLOPs ([`Summary`]).
//! * [`registry`](mod@registry): every net type and layer kind with its parameters, and
//!   [`next_options`] for "what may come next".
//! * [`parse`]: JSON → [`NetworkConfig`], all errors collected with paths.
//! * [`defaults`]: every default and range in one place.
//! * [`input`]: the input a network is shown on when no data says, and shapes as people
//!   write them.
//! * [`render`](mod@render): a configuration as a stand-alone PyTorch or Keras training script.
//!
//! Every error has a machine code ([`common::ErrorCode`]): `config_invalid`,
//! `shape_mismatch`, `render_data_invalid`, `render_template_failed`.
//!
//! ```
//! use codegen::{DataDescription, Framework, NetworkConfig, Shape, render};
//! use common::{DataKind, ErrorCode};
//! use serde_json::json;
//!
//! // The original service's example CNN.
//! let config = NetworkConfig::from_value(&json!({
//!     "iter": 1000, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
//!     "optimizer_name": "GradientDescentOptimizer", "net_type": "CNN",
//!     "net_config": {"middle_layer": [
//!         {"layer": "conv", "filter": [2, 2, 10]}, {"layer": "conv", "filter": [2, 2, 20]},
//!         {"layer": "pool"}, {"layer": "norm"}, {"layer": "active"},
//!         {"layer": "connect"}, {"layer": "connect"}
//!     ], "output_layer": {}}
//! }))?;
//!
//! // On 28x28 gray pictures of 10 classes: parameters counted as PyTorch counts them.
//! let mnist = Shape::Image { h: 28, w: 28, c: 1 };
//! let summary = config.summary(mnist, 10)?;
//! assert_eq!(summary.total_params, 520_600);
//! assert_eq!(summary.layers[2].output, Shape::Image { h: 14, w: 14, c: 20 });
//! // A CNN takes pictures, not vectors.
//! assert_eq!(config.summary(Shape::Vector(784), 10).expect_err("a vector").code(), "shape_mismatch");
//!
//! let digits = DataDescription {
//!     kind: DataKind::Images,
//!     input: mnist,
//!     classes: (0..10).map(|digit| digit.to_string()).collect(),
//!     label_column: None,
//!     feature_columns: Vec::new(),
//! };
//! let script = render(Framework::PyTorch, "digits", &config, &digits)?;
//! assert!(script.contains("nn.Conv2d(1, 10, (2, 2), stride=1, padding=\"same\")"));
//! assert!(script.contains("nn.Linear(3920, 128)"));
//!
//! // Every problem of a configuration at once, each with its path.
//! let errors = NetworkConfig::from_value(&json!({"iter": 0})).expect_err("incomplete");
//! assert_eq!(errors.code(), "config_invalid");
//! assert_eq!(errors.0[0].path, "iter");
//! assert_eq!(errors.0.len(), 6); // iter, then the five required fields left out
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod config;
pub mod defaults;
pub mod execution;
pub mod input;
pub mod parse;
pub mod registry;
pub mod render;
pub mod shape;

pub use config::{
    Activation, ConfigError, ConfigErrors, Layer, Loss, NetType, NetworkConfig, Optimizer, Padding, PoolKind,
};
pub use execution::{Device, Engine, Execution};
pub use input::{default_input, parse_shape_text, parse_shape_value};
pub use registry::{LayerOption, NetTypeSpec, ParamSpec, ParamType, Registry, next_options, registry};
pub use render::{DataDescription, Framework, RenderError, render};
pub use shape::{LayerSummary, Shape, ShapeError, Summary, infer_layers, summarize};
