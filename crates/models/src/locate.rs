//! Finding a model's data on disk (the data catalogue is another crate's business).

use std::path::PathBuf;

use crate::model::OwnerId;

/// Where an upload's content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataLocation {
    /// An extracted zip.
    Folder(PathBuf),
    /// A single CSV file (the catalogue judges by its name).
    Csv(PathBuf),
    /// Any other single file, with the name the user gave it.
    Other {
        /// Original file name.
        name: String,
    },
}

/// A lookup failure that is not "not found".
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct LocateError(pub Box<dyn std::error::Error + Send + Sync>);

/// Resolves a user's upload id.
pub trait DataLocator: Send + Sync + 'static {
    /// `None` when the owner has no such upload.
    fn locate(&self, owner: OwnerId, data_id: i64) -> Result<Option<DataLocation>, LocateError>;
}
