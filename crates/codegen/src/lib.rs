//! Network configurations: the original service's JSON, the layer registry,
//! shape inference and parameter counts (pure, no I/O).
//!
//! * [`config`]: parse and validate a configuration ([`NetworkConfig`]).
//! * [`shape`]: infer shapes, PyTorch parameter counts and FLOPs ([`Summary`]).
//! * [`registry`](mod@registry): every net type and layer kind with its parameters, and
//!   [`next_options`] for "what may come next".
//! * [`parse`]: JSON → [`NetworkConfig`], all errors collected with paths.
//! * [`defaults`]: every default and range in one place.
//! * [`render`](mod@render): a configuration as a stand-alone PyTorch or Keras training script.

#![warn(missing_docs)]

pub mod config;
pub mod defaults;
pub mod parse;
pub mod registry;
pub mod render;
pub mod shape;

pub use config::{
    Activation, ConfigError, ConfigErrors, Layer, Loss, NetType, NetworkConfig, Optimizer, Padding, PoolKind,
};
pub use registry::{LayerOption, NetTypeSpec, ParamSpec, ParamType, Registry, next_options, registry};
pub use render::{DataDescription, DataKind, Framework, RenderError, render};
pub use shape::{LayerSummary, Shape, ShapeError, Summary, infer_layers, summarize};
