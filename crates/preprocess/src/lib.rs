//! Image preprocessing: a registry of operations (each with its English and Chinese
//! name and the meaning, type, range and default of its two values), requests parsed
//! into a typed pipeline before any work starts, and fast kernels over 8-bit images.
//!
//! * [`registry()`]: every operation, as the list endpoint shows it.
//! * [`parse_steps`]: a request's [`RawStep`]s checked into [`Step`]s, or every
//!   [`StepError`] at once (each with a machine code, see [`common::ErrorCode`]).
//! * [`Pipeline`]: steps run in order; non-overlapping steps yield extra copies.
//! * [`codec`]: bytes to an [`Image`] and back.
//! * [`ops`]: the kernels, each matching an OpenCV or Pillow call.
//!
//! ```
//! use common::ErrorCode;
//! use preprocess::codec::{self, ImageFormat};
//! use preprocess::{Image, Pipeline, RawStep, parse_steps};
//!
//! // A 5x3 gray picture: rows of 0, 100 and 200, and one white speck in the middle row.
//! let mut picture = Image::new(5, 3, 1);
//! for (i, sample) in picture.data.iter_mut().enumerate() {
//!     *sample = (i / 5 * 100) as u8;
//! }
//! picture.data[5 + 2] = 255;
//! let bytes = codec::encode(&picture, ImageFormat::Png)?;
//! let (decoded, format) = codec::decode(&bytes)?;
//! assert_eq!((decoded.width, decoded.height, format), (5, 3, ImageFormat::Png));
//!
//! // Flip it upside down, and keep a median-filtered copy of the flipped picture.
//! let step = |name: &str, value1, overlap| RawStep {
//!     operation_name: Some(name.to_owned()),
//!     overlap: Some(overlap),
//!     value1,
//!     value2: None,
//! };
//! let steps = parse_steps(&[step("上下翻转", None, true), step("median", Some(3.0), false)])
//!     .expect("both steps are valid");
//! let output = Pipeline::new(steps).run(&decoded);
//!
//! assert_eq!(output.main.data[..5], [200; 5]); // the bottom row is now on top
//! assert_eq!(output.main.data[5 + 2], 255); // the speck is still there
//! let (index, name, median) = &output.extras[0];
//! assert_eq!((*index, *name), (1, "median"));
//! assert_eq!(median.data[5..10], [100; 5]); // the 3x3 median removed the speck
//!
//! // Bad steps are all reported, each with its field and a machine code.
//! let errors = parse_steps(&[step("blur", None, true), step("中值滤波", Some(4.0), true)])
//!     .expect_err("neither step is valid");
//! let codes: Vec<_> = errors.iter().map(|e| (e.index, e.field, e.code())).collect();
//! assert_eq!(
//!     codes,
//!     [
//!         (0, "operationName", "step_unknown_operation"),
//!         (1, "value1", "step_value_not_odd"),
//!     ]
//! );
//! # Ok::<(), preprocess::codec::CodecError>(())
//! ```

#![warn(missing_docs)]

/// The benchmarks' input picture; for the crate's benches and examples only.
#[doc(hidden)]
pub mod bench_input;
pub mod codec;
mod image;
pub mod ops;
mod pipeline;
mod registry;
mod simd;
#[cfg(test)]
mod testing;

pub use crate::image::Image;
pub use pipeline::{Pipeline, PipelineOutput, Step};
pub use registry::{OperationSpec, ParamKind, ParamSpec, RawStep, StepError, parse_steps, registry};
