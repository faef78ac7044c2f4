//! What can go wrong in a use case. Failures of one domain come wrapped as they are;
//! the rest say what went wrong across domains, worded for the people who use it.

use common::ErrorCode;
use datastore::DataError;
use models::ModelError;

/// Which part of a prediction request was unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// The file sent (a picture, or CSV rows).
    File,
    /// The upload named.
    Upload,
    /// The feature values sent.
    Features,
}

/// A use case's failure.
#[derive(Debug, thiserror::Error)]
pub enum WorkbenchError {
    /// The data catalogue refused or failed.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The model catalogue refused or failed.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// No such run for this user.
    #[error("Not found.")]
    RunNotFound,
    /// The run is not in a state that allows this.
    #[error("{0}")]
    RunState(String),
    /// The model has no saved configuration to train or generate code from.
    #[error("{}", if *inline_allowed {
        "This model has no configuration yet: save one with POST /construct/config/ or send it inline."
    } else {
        "This model has no configuration yet: save one with POST /construct/config/."
    })]
    NoConfiguration {
        /// Whether the request could have carried the configuration itself.
        inline_allowed: bool,
    },
    /// One training step of this network would need more memory than a run may use.
    #[error(
        "This network needs about {needed_gib:.1} GiB of memory per training step; the limit is {limit_gib} GiB. Use fewer channels or units, or a smaller batch_size."
    )]
    TooBigToTrain {
        /// What a step would need.
        needed_gib: f64,
        /// What a run may use.
        limit_gib: u64,
    },
    /// The engine, workers or device a run asks for cannot be had on this server.
    #[error("{reason}")]
    EngineUnavailable {
        /// `engine`, `workers` or `device`.
        field: &'static str,
        /// Why, for people.
        reason: String,
    },
    /// The owner already has the most runs waiting for a training slot.
    #[error(
        "Too many of your runs are waiting to train (at most {limit}); start this one when one of them has begun."
    )]
    QueueFull {
        /// The setting.
        limit: usize,
    },
    /// Nothing trained has parameters to answer with.
    #[error("This model has not been trained yet: start a run first.")]
    NotTrained,
    /// The run saved no parameters yet.
    #[error("This run has no saved parameters yet.")]
    NoWeights,
    /// Preprocessing needs a picture or an archive of pictures.
    #[error("This upload is not a picture or an archive of pictures.")]
    NotAPicture,
    /// The picture to preprocess cannot be decoded or encoded.
    #[error("{0}")]
    BadPicture(String),
    /// A prediction input that does not fit the model.
    #[error("{message}")]
    BadInput {
        /// Which input.
        input: InputKind,
        /// Why.
        message: String,
    },
    /// A layer in a list of layers that does not fit the shape before it (`index`
    /// `None`: the list as a whole). The reason is a fragment of shape inference.
    #[error("{reason}")]
    Layers {
        /// The offending layer's position.
        index: Option<usize>,
        /// What does not fit.
        reason: String,
    },
    /// The data cannot be described to a training script (a fragment).
    #[error("{0}")]
    ScriptData(String),
    /// A worker token that names no run, another run, or a run that has ended.
    #[error("Invalid token.")]
    WorkerToken,
    /// What a worker sent cannot be used.
    #[error("{0}")]
    WorkerData(String),
    /// A URL that may not or could not be downloaded.
    #[error("{0}")]
    Url(String),
    /// The server's disk is full: what a worker sent (`this checkpoint`, `these
    /// weights`) was not stored, and the copy before it is kept.
    #[error("There is not enough space on the server to store {0}.")]
    StorageFull(&'static str),
    /// Storage, files, the engine or the executor failed.
    #[error("{context}: {source}")]
    Internal {
        /// What was being done.
        context: &'static str,
        /// The failure.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl WorkbenchError {
    /// A failure of the machinery while doing `context`.
    pub(crate) fn internal(
        context: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }

    pub(crate) fn bad_input(input: InputKind, message: impl Into<String>) -> Self {
        Self::BadInput {
            input,
            message: message.into(),
        }
    }
}

impl ErrorCode for WorkbenchError {
    fn code(&self) -> &'static str {
        match self {
            Self::Data(e) => e.code(),
            Self::Model(e) => e.code(),
            Self::RunNotFound => "run_not_found",
            Self::RunState(_) => "run_state",
            Self::NoConfiguration { .. } => "model_not_configured",
            Self::TooBigToTrain { .. } => "network_too_big",
            Self::EngineUnavailable { .. } => "engine_unavailable",
            Self::QueueFull { .. } => "run_queue_full",
            Self::NotTrained => "model_not_trained",
            Self::NoWeights => "run_has_no_weights",
            Self::NotAPicture => "not_a_picture",
            Self::BadPicture(_) => "picture_unreadable",
            Self::BadInput { .. } => "prediction_input",
            Self::Layers { .. } => "layers_do_not_fit",
            Self::ScriptData(_) => "script_data",
            Self::WorkerToken => "worker_token_invalid",
            Self::WorkerData(_) => "worker_data_invalid",
            Self::Url(_) => "url_refused",
            Self::StorageFull(_) => "storage_full",
            Self::Internal { .. } => "internal",
        }
    }
}

/// `?` on the runs crate's storage errors.
impl From<runs::RunRepoError> for WorkbenchError {
    fn from(error: runs::RunRepoError) -> Self {
        Self::internal("run storage", error)
    }
}

impl WorkbenchError {
    /// A checkpoint store's failure to keep `what`, a full disk told as such.
    pub(crate) fn storing(what: &'static str, error: runs::CheckpointError) -> Self {
        match error {
            runs::CheckpointError::StorageFull => Self::StorageFull(what),
            error => error.into(),
        }
    }
}

impl From<runs::CheckpointError> for WorkbenchError {
    fn from(error: runs::CheckpointError) -> Self {
        Self::internal("checkpoints", error)
    }
}

impl From<cluster::ExecutorError> for WorkbenchError {
    fn from(error: cluster::ExecutorError) -> Self {
        Self::internal("executor", error)
    }
}

impl From<codegen::ConfigErrors> for WorkbenchError {
    fn from(errors: codegen::ConfigErrors) -> Self {
        Self::Model(ModelError::Config(errors))
    }
}

/// Shorthand for use-case results.
pub type Result<T, E = WorkbenchError> = std::result::Result<T, E>;
