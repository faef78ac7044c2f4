//! Every refusal and failure as the client sees it: a status and a body shaped like
//! Django REST Framework's, with DRF's error code in `X-Error-Code` (`invalid`,
//! `not_found`, ... or a domain's own code such as `model_name_taken`). Server faults
//! answer an opaque 500; the cause is logged inside the request's span, which carries
//! the request id. The table that turns each domain error into one of these is in
//! [`table`].

mod table;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use common::FieldErrors;
use serde_json::{Map, Value, json};

/// The header that names what went wrong, for programs.
const ERROR_CODE: HeaderName = HeaderName::from_static("x-error-code");

/// What the body says.
#[derive(Debug)]
enum Body {
    /// `{"field": ["message", ...]}`.
    Fields(FieldErrors),
    /// A 400 body shaped by the caller's nesting (one object per list item).
    Nested(Value),
    /// `{"detail": "..."}`.
    Detail(String),
}

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Body,
    code: &'static str,
    /// Seconds, for 429.
    retry_after: Option<u64>,
    /// For 405: the methods the path takes.
    allow: Option<String>,
    /// For 500: the cause, logged and never shown.
    cause: Option<String>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

pub const NOT_AUTHENTICATED: &str = "Authentication credentials were not provided.";
pub const INVALID_TOKEN: &str = "Invalid token.";
pub const NOT_FOUND: &str = "Not found.";

impl ApiError {
    fn new(status: StatusCode, body: Body, code: &'static str) -> Self {
        Self {
            status,
            body,
            code,
            retry_after: None,
            allow: None,
            cause: None,
        }
    }

    /// 400 with field errors (`code` says which rule; `invalid` for form rules).
    pub fn fields(errors: FieldErrors, code: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Body::Fields(errors), code)
    }

    /// 400 with one message for one field.
    pub fn field(field: &str, message: impl Into<String>, code: &'static str) -> Self {
        Self::fields(FieldErrors::single(field, message), code)
    }

    /// 400 with a body nested like the request (one object per list item).
    pub fn nested(body: Value) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Body::Nested(body), "invalid")
    }

    /// 400 `{"detail": ...}` for a body that cannot be read at all.
    pub fn unreadable(message: impl Into<String>, code: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Body::Detail(message.into()), code)
    }

    /// 401: no credentials.
    pub fn not_authenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            Body::Detail(NOT_AUTHENTICATED.into()),
            "not_authenticated",
        )
    }

    /// 401: credentials that do not authenticate.
    pub fn authentication_failed(message: &'static str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            Body::Detail(message.into()),
            "authentication_failed",
        )
    }

    /// 404 (also for objects of other users).
    pub fn not_found(code: &'static str) -> Self {
        Self::new(StatusCode::NOT_FOUND, Body::Detail(NOT_FOUND.into()), code)
    }

    /// 405 with the methods the path takes.
    pub fn method_not_allowed(method: &str, allow: String) -> Self {
        Self {
            allow: Some(allow),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                Body::Detail(format!("Method \"{method}\" not allowed.")),
                "method_not_allowed",
            )
        }
    }

    /// 415, as DRF words it, for a body in a type no parser reads.
    pub fn unsupported_media_type(content_type: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Body::Detail(format!("Unsupported media type \"{content_type}\" in request.")),
            "unsupported_media_type",
        )
    }

    /// 408: the body came too slowly (see `request::BodyDeadline`).
    pub fn body_too_slow() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            Body::Detail("The request body was not received in time.".into()),
            "request_timeout",
        )
    }

    /// 413.
    pub fn too_large(message: impl Into<String>, code: &'static str) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, Body::Detail(message.into()), code)
    }

    /// 507: the server's disk is full (the request was fine; nothing of it was kept).
    pub fn insufficient_storage(message: impl Into<String>, code: &'static str) -> Self {
        Self::new(
            StatusCode::INSUFFICIENT_STORAGE,
            Body::Detail(message.into()),
            code,
        )
    }

    /// 429 with `Retry-After`.
    pub fn throttled(seconds: u64, code: &'static str) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                Body::Detail(format!(
                    "Request was throttled. Expected available in {seconds} seconds."
                )),
                code,
            )
        }
    }

    /// 429 with `Retry-After` and a message of its own (a limit, not a throttle).
    pub fn busy(message: impl Into<String>, seconds: u64, code: &'static str) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, Body::Detail(message.into()), code)
        }
    }

    /// 503 with `Retry-After`: this server is going away; another (or it, restarted)
    /// answers the retry.
    pub fn unavailable(message: impl Into<String>, seconds: u64, code: &'static str) -> Self {
        Self {
            retry_after: Some(seconds),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                Body::Detail(message.into()),
                code,
            )
        }
    }

    /// 500; `cause` goes to the log only.
    pub fn internal(cause: impl Into<String>, code: &'static str) -> Self {
        Self {
            cause: Some(cause.into()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                Body::Detail("A server error occurred.".into()),
                code,
            )
        }
    }

    /// The field errors of a 400, to show them elsewhere (e.g. a model's summary).
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match &self.body {
            Body::Fields(errors) => Some(errors),
            _ => None,
        }
    }
}

/// Field errors as a JSON object, in the order they were found.
pub fn fields_body(errors: &FieldErrors) -> Value {
    let map: Map<String, Value> = errors
        .iter()
        .map(|(field, messages)| (field.to_owned(), json!(messages)))
        .collect();
    Value::Object(map)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(code = self.code, cause = %cause, "internal error");
        }
        let body = match &self.body {
            Body::Fields(errors) => fields_body(errors),
            Body::Nested(body) => body.clone(),
            Body::Detail(message) => json!({ "detail": message }),
        };
        let mut response = HttpResponse::build(self.status);
        response.insert_header((ERROR_CODE, HeaderValue::from_static(self.code)));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(allow) = &self.allow
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Token")));
        }
        response.json(body)
    }
}

/// `{"message": "success"}`: what a delete answers, as the original did.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MessageBody {
    /// Always `success`.
    #[schema(pattern = "^success$")]
    pub message: String,
}

impl MessageBody {
    pub fn success() -> Self {
        Self {
            message: "success".to_owned(),
        }
    }
}

/// `{"detail": "..."}`: refusals that concern the whole request.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DetailBody {
    pub detail: String,
}

/// A 400's body, in either of DRF's forms: each field (or `non_field_errors`) with its
/// messages (a list field's items with their own errors), or `{"detail": "..."}` when
/// the body cannot be read at all.
#[derive(serde::Serialize)]
pub struct ErrorBody(pub std::collections::BTreeMap<String, Vec<String>>);

impl utoipa::PartialSchema for ErrorBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let messages = serde_json::json!({
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, {"type": "object"}]},
        });
        serde_json::from_value(serde_json::json!({
            "description": "DRF validation errors: each field (or `non_field_errors`) with its messages \
                (a list's items with errors of their own, as objects), or `{\"detail\": \"...\"}` \
                for a body that cannot be read.",
            "oneOf": [
                {"type": "object", "additionalProperties": messages},
                {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}},
                 "additionalProperties": false},
            ],
        }))
        .expect("a valid schema")
    }
}

impl utoipa::ToSchema for ErrorBody {}
