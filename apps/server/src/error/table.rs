//! The one table: each domain error becomes a status and a DRF-shaped body here, and
//! nowhere else. Request fields are named here (`modelName`, `dataId`, `run_id`, ...),
//! since the domains do not know how requests spell them.

use accounts::AccountError;
use codegen::ConfigErrors;
use common::{ErrorCode, FieldErrors, NON_FIELD_ERRORS, error_chain};
use datastore::DataError;
use models::ModelError;
use workbench::{InputKind, WorkbenchError};

use super::{ApiError, INVALID_TOKEN};
use crate::messages::REQUIRED;

/// Form rules broken (several fields may be named).
impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::fields(errors, "invalid")
    }
}

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        let code = error.code();
        let non_field = |message: &str| ApiError::field(NON_FIELD_ERRORS, message, code);
        match error {
            AccountError::Validation(errors) => ApiError::fields(errors, "invalid"),
            AccountError::InvalidCredentials => non_field("Unable to log in with provided credentials."),
            AccountError::AccountDisabled => non_field("User account is disabled."),
            AccountError::EmailNotVerified => non_field("E-mail is not verified."),
            AccountError::NotFound => ApiError::not_found(code),
            AccountError::InvalidToken => ApiError::authentication_failed(INVALID_TOKEN),
            AccountError::Throttled { retry_after_secs } => ApiError::throttled(retry_after_secs, code),
            AccountError::ShuttingDown => {
                ApiError::unavailable("The server is shutting down; try again in a moment.", 5, code)
            }
            e @ (AccountError::Repo(_) | AccountError::Hashing(_) | AccountError::Signing(_)) => {
                ApiError::internal(error_chain(&e), code)
            }
        }
    }
}

impl From<DataError> for ApiError {
    fn from(error: DataError) -> Self {
        let code = error.code();
        match error {
            e @ DataError::OutsideUpload => ApiError::field("relative_path", e.to_string(), code),
            DataError::NotFound => ApiError::not_found(code),
            DataError::TooLarge(message) | DataError::QuotaExceeded(message) => {
                ApiError::too_large(message, code)
            }
            e @ DataError::StorageFull => ApiError::insufficient_storage(e.to_string(), code),
            DataError::Archive(e) if e.is_client_error() => ApiError::field("file", e.to_string(), code),
            e @ (DataError::Archive(_)
            | DataError::Catalogue(_)
            | DataError::Blob(_)
            | DataError::Io(_)
            | DataError::Csv(_)) => ApiError::internal(error_chain(&e), code),
        }
    }
}

impl From<ModelError> for ApiError {
    fn from(error: ModelError) -> Self {
        let code = error.code();
        let field = |name: &str, message: String| ApiError::field(name, message, code);
        match error {
            ModelError::InvalidName(message) => field("modelName", message),
            e @ ModelError::NameTaken => field("modelName", e.to_string()),
            ModelError::NotFound | ModelError::DataNotFound => ApiError::not_found(code),
            ModelError::UnusableData(message) => field("dataId", message),
            e @ ModelError::NoData => field(NON_FIELD_ERRORS, e.to_string()),
            ModelError::Labels(message) => field("file", message),
            ModelError::Config(errors) => errors.into(),
            ModelError::Shape { field: path, error } => field(&path, sentence(&error.reason)),
            ModelError::NetType(message) => field("net_type", message),
            e @ ModelError::Storage(_) => ApiError::internal(error_chain(&e), code),
        }
    }
}

/// Every configuration problem under its field path, worded as DRF does.
impl From<ConfigErrors> for ApiError {
    fn from(errors: ConfigErrors) -> Self {
        let code = errors.code();
        let mut fields = FieldErrors::new();
        for e in errors.0 {
            let path = if e.path.is_empty() {
                NON_FIELD_ERRORS
            } else {
                &e.path
            };
            fields.add(path, sentence(&e.message));
        }
        ApiError::fields(fields, code)
    }
}

impl From<WorkbenchError> for ApiError {
    fn from(error: WorkbenchError) -> Self {
        let code = error.code();
        let field = |name: &str, message: String| ApiError::field(name, message, code);
        match error {
            WorkbenchError::Data(e) => e.into(),
            WorkbenchError::Model(e) => e.into(),
            WorkbenchError::RunNotFound => ApiError::not_found(code),
            WorkbenchError::RunState(message) => field("run_id", message),
            e @ WorkbenchError::NoConfiguration { .. } => field("modelName", e.to_string()),
            e @ WorkbenchError::TooBigToTrain { .. } => field("net_config", e.to_string()),
            WorkbenchError::EngineUnavailable { field: name, reason } => field(name, reason),
            e @ WorkbenchError::QueueFull { .. } => ApiError::busy(e.to_string(), 30, code),
            e @ WorkbenchError::NotTrained => field(NON_FIELD_ERRORS, e.to_string()),
            e @ WorkbenchError::NoWeights => field("run_id", e.to_string()),
            e @ (WorkbenchError::NotAPicture | WorkbenchError::BadPicture(_)) => {
                field("dataId", e.to_string())
            }
            WorkbenchError::BadInput { input, message } => {
                let name = match input {
                    InputKind::File => "file",
                    InputKind::Upload => "dataId",
                    InputKind::Features => "features",
                };
                field(name, message)
            }
            WorkbenchError::Layers { index, reason } => {
                let name = index.map_or_else(|| "layers".to_owned(), |i| format!("layers[{i}]"));
                field(&name, sentence(&reason))
            }
            WorkbenchError::ScriptData(message) => field(NON_FIELD_ERRORS, sentence(&message)),
            WorkbenchError::Url(message) => field("url", message),
            e @ WorkbenchError::StorageFull(_) => ApiError::insufficient_storage(e.to_string(), code),
            WorkbenchError::WorkerToken => ApiError::authentication_failed(INVALID_TOKEN),
            WorkbenchError::WorkerData(message) => ApiError::unreadable(message, code),
            e @ WorkbenchError::Internal { .. } => ApiError::internal(error_chain(&e), code),
        }
    }
}

/// The domain crates word problems as fragments ("is required", "must be ..."); DRF
/// shows sentences, and its own message for a missing field.
pub fn sentence(fragment: &str) -> String {
    if fragment == "is required" {
        return REQUIRED.to_owned();
    }
    let mut chars = fragment.chars();
    let mut text: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}
