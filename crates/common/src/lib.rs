//! The vocabulary every netsmith crate shares, and nothing else: the id newtypes, the
//! field-keyed errors that forms report, where a model's data is on disk and what kind
//! of data it is, and the trait that gives every domain error a machine code.
//!
//! ```
//! use common::{DataKind, DataLocation, FieldErrors, ModelId};
//!
//! let id: ModelId = "42".parse().expect("an id");
//! assert_eq!(id.get(), 42);
//!
//! let data = DataLocation::Csv("uploads/iris.csv".into());
//! assert_eq!(data.kind(), DataKind::Csv);
//!
//! let mut errors = FieldErrors::new();
//! errors.add("modelName", "This field may not be blank.");
//! assert!(errors.has("modelName"));
//! ```

#![warn(missing_docs)]

mod chain;
mod code;
mod data;
mod field_errors;
mod ids;

pub use chain::error_chain;
pub use code::ErrorCode;
pub use data::{DataKind, DataLocation};
pub use field_errors::{FieldErrors, NON_FIELD_ERRORS};
pub use ids::{DataId, ModelId, RunId, UserId};
