//! Finding a model's data on disk (the data catalogue is another crate's business).

use common::{DataId, DataLocation, UserId};

/// Why an upload cannot be a model's data, or could not be looked up.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// The owner has no such upload.
    #[error("Not found.")]
    NotFound,
    /// The upload is neither an image-folder archive nor a CSV file.
    #[error("A model's data must be an image-folder zip or a CSV file; {name:?} is neither.")]
    Unusable {
        /// The upload's file name, as the user gave it.
        name: String,
    },
    /// The catalogue failed.
    #[error(transparent)]
    Storage(Box<dyn std::error::Error + Send + Sync>),
}

impl common::ErrorCode for LocateError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "data_not_found",
            Self::Unusable { .. } => "data_unusable",
            Self::Storage(_) => "catalogue_storage",
        }
    }
}

/// Resolves a user's upload id to where its data is.
pub trait DataLocator: Send + Sync + 'static {
    /// The data of the owner's upload `data_id`.
    fn locate(&self, owner: UserId, data_id: DataId) -> Result<DataLocation, LocateError>;
}
