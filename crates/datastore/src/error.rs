//! Errors of the data catalogue.

use crate::archive::ArchiveError;
use crate::blob::BlobError;
use crate::repository::CatalogueError;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A form field is wrong: `field` gets `message` in the DRF-shaped body.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    QuotaExceeded(String),
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    /// A `url` upload could not be fetched; the message says why.
    #[error("{0}")]
    Fetch(String),
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] crate::csv_json::CsvError),
}

impl DataError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DataError::Invalid {
            field,
            message: message.into(),
        }
    }
}
