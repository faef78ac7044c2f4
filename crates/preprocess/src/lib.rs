//! Image preprocessing: a registry of operations (each with its English and Chinese
//! name and the meaning, type, range and default of its two values), requests parsed
//! into a typed pipeline before any work starts, and fast kernels over 8-bit images.

pub mod bench_input;
pub mod codec;
pub mod image;
pub mod ops;
pub mod pipeline;
pub mod registry;
mod simd;
#[cfg(test)]
pub mod testing;

pub use crate::image::Image;
pub use pipeline::{Pipeline, PipelineOutput, Step};
pub use registry::{OperationSpec, ParamKind, ParamSpec, RawStep, StepError, parse_steps, registry};
