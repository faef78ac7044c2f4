//! Storage of models.

use common::{ModelId, UserId};

use crate::model::{Model, NewModel};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The owner already has a model of that name.
    #[error("a model with this name already exists")]
    NameTaken,
    /// Anything else (the database's own error).
    #[error(transparent)]
    Storage(Box<dyn std::error::Error + Send + Sync>),
}

impl common::ErrorCode for RepoError {
    fn code(&self) -> &'static str {
        match self {
            Self::NameTaken => "model_name_taken",
            Self::Storage(_) => "model_storage",
        }
    }
}

/// Where models are kept. Every query is scoped by owner.
pub trait ModelRepo: Send + Sync + 'static {
    /// Inserts a new model.
    fn insert_model(&self, model: &NewModel) -> Result<Model, RepoError>;
    /// A model by name.
    fn model_by_name(&self, owner: UserId, name: &str) -> Result<Option<Model>, RepoError>;
    /// A model by id.
    fn model_by_id(&self, owner: UserId, id: ModelId) -> Result<Option<Model>, RepoError>;
    /// The owner's models, newest first.
    fn models(&self, owner: UserId) -> Result<Vec<Model>, RepoError>;
    /// Stores data, spec, labels, configuration, weights run and `updated_at`.
    fn update_model(&self, model: &Model) -> Result<(), RepoError>;
    /// Deletes a model; false when there was none.
    fn delete_model(&self, owner: UserId, id: ModelId) -> Result<bool, RepoError>;
}
