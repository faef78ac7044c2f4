//! The one table that turns every domain error into an HTTP status and a body shaped
//! like Django REST Framework's. Server faults answer an opaque 500; the cause is
//! logged inside the request's span, which carries the request id.

use accounts::{AccountError, ValidationErrors};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use codegen::ConfigErrors;
use datastore::DataError;
use models::ModelError;
use serde_json::{Map, Value, json};
use trainer::runs::RunError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    #[error("{0}")]
    BadRequest(String),
    /// A 400 whose body is already shaped (nested errors, e.g. per list item).
    #[error("invalid input: {0}")]
    InvalidBody(Value),
    #[error("authentication credentials were not provided")]
    NotAuthenticated,
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("not found")]
    NotFound,
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("throttled for {0} s")]
    Throttled(u64),
    #[error("internal error: {0}")]
    Internal(String),
}

pub const NOT_AUTHENTICATED: &str = "Authentication credentials were not provided.";
pub const INVALID_TOKEN: &str = "Invalid token.";

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        let non_field =
            |message: &str| ApiError::Validation(ValidationErrors::single("non_field_errors", message));
        match error {
            AccountError::Validation(errors) => ApiError::Validation(errors),
            AccountError::InvalidCredentials => non_field("Unable to log in with provided credentials."),
            AccountError::AccountDisabled => non_field("User account is disabled."),
            AccountError::EmailNotVerified => non_field("E-mail is not verified."),
            AccountError::NotFound => ApiError::NotFound,
            AccountError::InvalidToken => ApiError::Unauthenticated(INVALID_TOKEN),
            AccountError::Throttled { retry_after_secs } => ApiError::Throttled(retry_after_secs),
            e @ (AccountError::Repo(_) | AccountError::Hashing(_) | AccountError::Signing(_)) => {
                ApiError::Internal(error_chain(&e))
            }
        }
    }
}

impl From<DataError> for ApiError {
    fn from(error: DataError) -> Self {
        match error {
            DataError::Invalid { field, message } => {
                ApiError::Validation(ValidationErrors::single(field, message))
            }
            DataError::NotFound => ApiError::NotFound,
            DataError::TooLarge(message) | DataError::QuotaExceeded(message) => {
                ApiError::PayloadTooLarge(message)
            }
            DataError::Archive(e) if e.is_client_error() => {
                ApiError::Validation(ValidationErrors::single("file", e.to_string()))
            }
            DataError::Fetch(message) => ApiError::Validation(ValidationErrors::single("url", message)),
            e @ (DataError::Archive(_)
            | DataError::Catalogue(_)
            | DataError::Blob(_)
            | DataError::Io(_)
            | DataError::Csv(_)) => ApiError::Internal(error_chain(&e)),
        }
    }
}

impl From<ModelError> for ApiError {
    fn from(error: ModelError) -> Self {
        let field =
            |name: &str, message: String| ApiError::Validation(ValidationErrors::single(name, message));
        match error {
            ModelError::InvalidName(message) => field("modelName", message),
            e @ ModelError::NameTaken => field("modelName", e.to_string()),
            ModelError::NotFound | ModelError::DataNotFound => ApiError::NotFound,
            ModelError::UnusableData(message) => field("dataId", message),
            e @ ModelError::NoData => field("non_field_errors", e.to_string()),
            ModelError::Labels(message) => field("file", message),
            ModelError::Config(errors) => errors.into(),
            ModelError::Shape { field: path, error } => field(&path, sentence(&error.reason)),
            ModelError::NetType(message) => field("net_type", message),
            e @ ModelError::Storage(_) => ApiError::Internal(error_chain(&e)),
        }
    }
}

impl From<RunError> for ApiError {
    fn from(error: RunError) -> Self {
        match error {
            RunError::NotFound => ApiError::NotFound,
            RunError::State(message) => ApiError::Validation(ValidationErrors::single("run_id", message)),
            e @ RunError::Storage(_) => ApiError::Internal(error_chain(&e)),
        }
    }
}

/// Every configuration problem under its field path, worded as DRF does.
impl From<ConfigErrors> for ApiError {
    fn from(errors: ConfigErrors) -> Self {
        let mut fields = ValidationErrors::new();
        for e in errors.0 {
            let path = if e.path.is_empty() {
                "non_field_errors"
            } else {
                &e.path
            };
            fields.add(path, sentence(&e.message));
        }
        ApiError::Validation(fields)
    }
}

/// The domain crates word problems as fragments ("is required", "must be ..."); DRF
/// shows sentences, and its own message for a missing field.
pub fn sentence(fragment: &str) -> String {
    if fragment == "is required" {
        return crate::body::REQUIRED.to_owned();
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

/// The error and all its sources, for the log.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn detail(message: impl Into<String>) -> Value {
    json!({ "detail": message.into() })
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest(_) | ApiError::InvalidBody(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::NotAuthenticated | ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            ApiError::Validation(errors) => {
                let map: Map<String, Value> = errors
                    .iter()
                    .map(|(field, messages)| (field.to_owned(), json!(messages)))
                    .collect();
                Value::Object(map)
            }
            ApiError::BadRequest(message) => detail(message.as_str()),
            ApiError::InvalidBody(body) => body.clone(),
            ApiError::NotAuthenticated => detail(NOT_AUTHENTICATED),
            ApiError::Unauthenticated(message) => detail(*message),
            ApiError::NotFound => detail("Not found."),
            ApiError::MethodNotAllowed(method) => detail(format!("Method \"{method}\" not allowed.")),
            ApiError::PayloadTooLarge(message) => detail(message.as_str()),
            ApiError::Throttled(seconds) => detail(format!(
                "Request was throttled. Expected available in {seconds} seconds."
            )),
            ApiError::Internal(cause) => {
                tracing::error!(cause = %cause, "internal error");
                detail("A server error occurred.")
            }
        };
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Throttled(seconds) => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            ApiError::NotAuthenticated | ApiError::Unauthenticated(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Token")));
            }
            _ => {}
        }
        response.json(body)
    }
}
