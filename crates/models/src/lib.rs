//! Models: a user's named project — its data, labels and network configuration —
//! behind the [`ModelRepo`] trait, and the [`ModelService`] that keeps them valid
//! (pure: no HTTP, no SQL).
//!
//! A configuration is stored as the client sent it (so `GET /construct/detail/<name>/`
//! gives back exactly what was saved), after it parsed and, when the model has data,
//! passed shape inference against that data's input shape and classes.

pub mod compare;
pub mod error;
pub mod locate;
pub mod model;
pub mod repo;
pub mod service;

pub use compare::{Comparison, FieldRow, compare_configs};
pub use error::ModelError;
pub use locate::{DataLocation, DataLocator, LocateError};
pub use model::{Model, ModelId, NewModel, OwnerId};
pub use repo::{ModelRepo, RepoError};
pub use service::ModelService;
