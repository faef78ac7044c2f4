//! Shape inference, PyTorch parameter counts and FLOPs per sample.
//!
//! Parameter counts equal PyTorch's `sum(p.numel() for p in model.parameters())`:
//! conv `kh*kw*cin*cout + cout`; connect `in*out + out`; batch norm `2*channels`
//! (or `2*features` on a vector); pool, active and dropout 0.
//!
//! FLOPs per sample: conv `2*kh*kw*cin*cout*Hout*Wout` (plus 1 per output
//! element when the conv has an activation); connect `2*in*out`; pool
//! `kh*kw*C*Hout*Wout`; norm, active and dropout 1 per output element.
//!
//! Output sizes: conv "same" keeps H and W and is only accepted with stride 1
//! (PyTorch's `padding='same'` rejects strided convolutions; even kernels are
//! fine with it); conv "valid" and every pool use `floor((in - k) / stride) + 1`.
//! A `connect` after an image flattens it to `h*w*c` inputs. The output layer
//! is a connect to `classes` units.

mod infer;

pub use infer::{infer_layers, summarize};

use std::fmt;

use common::ErrorCode;
use serde::{Serialize, Serializer};

/// The shape of one sample flowing between layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Height x width x channels.
    Image {
        /// Height in pixels.
        h: u64,
        /// Width in pixels.
        w: u64,
        /// Channels (1 gray, 3 RGB; filters after a conv).
        c: u64,
    },
    /// A flat vector of features.
    Vector(u64),
}

impl Shape {
    /// Number of scalar elements.
    pub fn elements(self) -> u64 {
        match self {
            Self::Image { h, w, c } => h.saturating_mul(w).saturating_mul(c),
            Self::Vector(n) => n,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Image { h, w, c } => write!(f, "{h}x{w}x{c}"),
            Self::Vector(n) => write!(f, "a vector of {n}"),
        }
    }
}

/// Serialised as `[h, w, c]` or `[n]`.
impl Serialize for Shape {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Image { h, w, c } => serializer.collect_seq([h, w, c]),
            Self::Vector(n) => serializer.collect_seq([n]),
        }
    }
}

/// Why a network was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{reason}")]
pub struct ShapeError {
    /// Index in `middle_layer`; the output layer is `middle_layer.len()`.
    /// Problems with the input itself are reported at layer 0.
    pub layer: usize,
    /// The full message, naming the layer and the shapes.
    pub reason: String,
    /// The shape that reached the layer.
    pub input: Shape,
}

impl ErrorCode for ShapeError {
    fn code(&self) -> &'static str {
        "shape_mismatch"
    }
}

/// One layer's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerSummary {
    /// Index in `middle_layer` (the output layer's is `middle_layer.len()`).
    pub index: usize,
    /// Layer kind (`conv`, ..., `output`).
    pub kind: String,
    /// Output shape.
    pub output: Shape,
    /// Trainable parameters (PyTorch count).
    pub params: u64,
    /// FLOPs per sample.
    pub flops: u64,
}

/// The whole network's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The middle layers.
    pub layers: Vec<LayerSummary>,
    /// The output layer (a connect to `classes`).
    pub output: LayerSummary,
    /// Sum of all parameters.
    pub total_params: u64,
    /// Sum of all FLOPs per sample.
    pub total_flops: u64,
}

#[cfg(test)]
mod tests;
