//! Request bodies read the way Django REST Framework reads them: JSON or a URL-encoded
//! form, checked field by field with DRF's messages, so a client mistake is always a
//! 400 that names the field.

use std::future::Future;
use std::pin::Pin;

use accounts::ValidationErrors;
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::{Map, Value};

use crate::error::ApiError;

pub const REQUIRED: &str = "This field is required.";
pub const MAY_NOT_BE_NULL: &str = "This field may not be null.";
pub const MAY_NOT_BE_BLANK: &str = "This field may not be blank.";
pub const NOT_A_STRING: &str = "Not a valid string.";
pub const INVALID_INTEGER: &str = "A valid integer is required.";

/// The fields of a request body, and the errors found while reading them.
pub struct Fields {
    map: Map<String, Value>,
    errors: ValidationErrors,
}

/// How one text field is checked.
#[derive(Clone, Copy)]
pub struct Text {
    pub allow_blank: bool,
    pub max_length: Option<usize>,
}

impl Text {
    pub const fn plain() -> Self {
        Self {
            allow_blank: false,
            max_length: None,
        }
    }
    pub const fn max(max_length: usize) -> Self {
        Self {
            allow_blank: false,
            max_length: Some(max_length),
        }
    }
    pub const fn blank_ok(self) -> Self {
        Self {
            allow_blank: true,
            ..self
        }
    }
}

impl FromRequest for Fields {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => {
                    ApiError::PayloadTooLarge("Request body is too large.".into())
                }
                _ => ApiError::BadRequest(format!("Could not read the request body: {e}")),
            })?;
            Fields::parse(&req, &bytes)
        })
    }
}

impl Fields {
    fn parse(req: &HttpRequest, bytes: &[u8]) -> Result<Self, ApiError> {
        let content_type = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if bytes.is_empty() {
            return Ok(Self::from_map(Map::new()));
        }
        let value = match mime.as_str() {
            "" | "application/json" => parse_json(bytes)?,
            m if m.ends_with("+json") => parse_json(bytes)?,
            "application/x-www-form-urlencoded" => {
                let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
                    .map_err(|e| ApiError::BadRequest(format!("Form parse error - {e}")))?;
                Value::Object(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
            }
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "Unsupported media type \"{content_type}\" in request."
                )));
            }
        };
        match value {
            Value::Object(map) => Ok(Self::from_map(map)),
            other => Err(ApiError::Validation(ValidationErrors::single(
                "non_field_errors",
                match other {
                    Value::Null => "No data provided".to_owned(),
                    other => format!(
                        "Invalid data. Expected a dictionary, but got {}.",
                        python_type(&other)
                    ),
                },
            ))),
        }
    }

    fn from_map(map: Map<String, Value>) -> Self {
        Self {
            map,
            errors: ValidationErrors::new(),
        }
    }

    /// A field that must be present; `None` (with the error recorded) when it is not valid.
    pub fn required(&mut self, name: &str, rules: Text) -> Option<String> {
        if !self.map.contains_key(name) {
            self.errors.add(name, REQUIRED);
            return None;
        }
        self.optional(name, rules)
    }

    /// A field that may be absent (`None`); when present it is checked like a required one.
    pub fn optional(&mut self, name: &str, rules: Text) -> Option<String> {
        let value = self.map.get(name)?;
        let text = match value {
            Value::Null => Err(MAY_NOT_BE_NULL.to_owned()),
            Value::String(s) => Ok(s.trim().to_owned()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => Err(NOT_A_STRING.to_owned()),
        }
        .and_then(|text| {
            if text.is_empty() && !rules.allow_blank {
                return Err(MAY_NOT_BE_BLANK.to_owned());
            }
            match rules.max_length {
                Some(max) if text.chars().count() > max => {
                    Err(format!("Ensure this field has no more than {max} characters."))
                }
                _ => Ok(text),
            }
        });
        match text {
            Ok(text) => Some(text),
            Err(message) => {
                self.errors.add(name, message);
                None
            }
        }
    }

    /// Every field as sent.
    pub fn all(&self) -> &Map<String, Value> {
        &self.map
    }

    /// The raw JSON value of a field.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }

    /// A required integer (a number or a numeric string), as DRF's `IntegerField`.
    pub fn required_integer(&mut self, name: &str) -> Option<i64> {
        let parsed = match self.map.get(name) {
            None => Err(REQUIRED),
            Some(Value::Null) => Err(MAY_NOT_BE_NULL),
            Some(Value::Number(n)) => n.as_i64().ok_or(INVALID_INTEGER),
            Some(Value::String(s)) => s.trim().parse().map_err(|_| INVALID_INTEGER),
            Some(_) => Err(INVALID_INTEGER),
        };
        parsed.map_err(|message| self.errors.add(name, message)).ok()
    }

    /// Ends reading a body that names a model (`modelName`, required) and optionally
    /// an upload (`dataId`).
    pub fn model_and_data(mut self) -> Result<(String, Option<i64>), ApiError> {
        let name = self.required("modelName", Text::max(models::service::NAME_MAX));
        let data_id = self
            .value("dataId")
            .is_some()
            .then(|| self.required_integer("dataId"));
        self.finish()?;
        Ok((name.unwrap_or_default(), data_id.flatten()))
    }

    /// Records an error found by the caller.
    pub fn add_error(&mut self, name: &str, message: impl Into<String>) {
        self.errors.add(name, message);
    }

    /// Ends reading: the errors found so far.
    pub fn into_errors(self) -> ValidationErrors {
        self.errors
    }

    /// Ends reading where nothing else is checked: any error becomes the answer.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest(format!("JSON parse error - {e}")))
}

/// The name Python gives the type, as DRF's message shows it.
pub fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "list",
        Value::String(_) => "str",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Null => "NoneType",
        Value::Object(_) => "dict",
    }
}
