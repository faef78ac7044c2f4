//! What can go wrong with models, worded for the people who use them.

use codegen::{ConfigErrors, ShapeError};
use common::ErrorCode;
use dataset::DatasetError;

use crate::locate::LocateError;
use crate::repo::RepoError;

/// A model operation's failure.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The name is empty, too long or has control characters.
    #[error("{0}")]
    InvalidName(String),
    /// The owner already has a model of that name.
    #[error("A model with this name already exists.")]
    NameTaken,
    /// No such model (or another user's).
    #[error("Not found.")]
    NotFound,
    /// No such upload (or another user's).
    #[error("Not found.")]
    DataNotFound,
    /// The upload is not an image folder or a CSV file, or cannot be read as one.
    #[error("{0}")]
    UnusableData(String),
    /// The model needs data for this.
    #[error("This model has no data yet: attach an image-folder zip or a CSV upload with dataId first.")]
    NoData,
    /// The labels file is not a JSON object of file → label, or names missing files.
    #[error("{0}")]
    Labels(String),
    /// The configuration does not parse.
    #[error(transparent)]
    Config(ConfigErrors),
    /// The network does not fit the data; `field` is the offending layer's path
    /// (`net_config.middle_layer[i]` or `net_config.output_layer`).
    #[error("{field}: {error}")]
    Shape {
        /// Path of the layer.
        field: String,
        /// Layer index, shapes and reason.
        error: ShapeError,
    },
    /// The network kind does not take this data's input.
    #[error("{0}")]
    NetType(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(Box<dyn std::error::Error + Send + Sync>),
}

impl ModelError {
    /// A shape error of a network with `middle_layers` middle layers, located.
    pub fn shape(error: ShapeError, middle_layers: usize) -> Self {
        let field = if error.layer < middle_layers {
            format!("net_config.middle_layer[{}]", error.layer)
        } else {
            "net_config.output_layer".to_owned()
        };
        Self::Shape { field, error }
    }
}

impl From<RepoError> for ModelError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::NameTaken => Self::NameTaken,
            RepoError::Storage(e) => Self::Storage(e),
        }
    }
}

impl From<LocateError> for ModelError {
    fn from(error: LocateError) -> Self {
        match error {
            LocateError::NotFound => Self::DataNotFound,
            e @ LocateError::Unusable { .. } => Self::UnusableData(e.to_string()),
            LocateError::Storage(e) => Self::Storage(e),
        }
    }
}

impl ErrorCode for ModelError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidName(_) => "model_name_invalid",
            Self::NameTaken => "model_name_taken",
            Self::NotFound => "model_not_found",
            Self::DataNotFound => "data_not_found",
            Self::UnusableData(_) => "data_unusable",
            Self::NoData => "model_has_no_data",
            Self::Labels(_) => "labels_invalid",
            Self::Config(_) => "config_invalid",
            Self::Shape { .. } => "network_does_not_fit",
            Self::NetType(_) => "net_type_mismatch",
            Self::Storage(_) => "model_storage",
        }
    }
}

impl From<DatasetError> for ModelError {
    fn from(error: DatasetError) -> Self {
        if error.is_client_error() {
            Self::UnusableData(error.to_string())
        } else {
            Self::Storage(Box::new(error))
        }
    }
}
