//! Request bodies read the way Django REST Framework's default parsers read them —
//! JSON, a URL-encoded form or a multipart form — into the request's own type, with
//! its fields checked by the rules of its OpenAPI document. Field errors are collected
//! (all of them, as DRF reports them); a body that cannot be read at all is refused
//! at once.

use std::future::Future;
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use common::{FieldErrors, NON_FIELD_ERRORS};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::body_deadline;
use super::files::{FilePart, Parts, with_parts};
use super::rules::{Rules, cached};
use crate::error::ApiError;
use crate::messages::python_type;

/// A request type: deserialized from the checked fields, documented by its schema.
pub trait RequestBody: DeserializeOwned + ToSchema + 'static {
    /// The most bytes a multipart form of this request may hold, files included.
    const FORM_LIMIT: usize = 1024 * 1024;
}

/// A request body read into `T`, and the field errors found while reading it. The
/// name is what the document generator recognises; JSON is only one of the types read.
/// Reading never fails the extraction itself: a body that cannot be read is reported
/// when the handler asks for it, after authentication, as DRF parses lazily.
pub struct Json<T> {
    read: Result<Read<T>, ApiError>,
}

struct Read<T> {
    body: T,
    errors: FieldErrors,
}

impl<T: RequestBody> Json<T> {
    /// A body whose fields and files were received some other way (e.g. a file
    /// streamed to disk), checked by the same rules.
    pub fn from_parts(map: Map<String, Value>, files: Parts) -> Self {
        Self {
            read: finish(map, files, &rules::<T>()),
        }
    }
}

impl<T> Json<T> {
    /// The body, or why it cannot be used (its field errors, or why it is unreadable).
    pub fn into_valid(self) -> Result<T, ApiError> {
        let read = self.read?;
        if read.errors.is_empty() {
            Ok(read.body)
        } else {
            Err(ApiError::fields(read.errors, "invalid"))
        }
    }

    /// The body as far as it could be read (failed fields are `None`), and the errors:
    /// for forms whose service checks more and reports everything together. A body that
    /// cannot be read at all is the error.
    pub fn into_parts(self) -> Result<(T, FieldErrors), ApiError> {
        self.read.map(|read| (read.body, read.errors))
    }
}

fn media_type(req: &HttpRequest) -> (String, String) {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (content_type, mime)
}

impl<T: RequestBody> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let (content_type, mime) = media_type(&req);
        if mime == "multipart/form-data" {
            let form = Multipart::new(req.headers(), payload.take());
            return Box::pin(async move {
                let rules = rules::<T>();
                let read = match read_multipart(form, &rules, T::FORM_LIMIT).await {
                    Ok((map, files)) => finish(map, files, &rules),
                    Err(error) => Err(error),
                };
                Ok(Json { read })
            });
        }
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let read = bytes
                .await
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => {
                        ApiError::too_large("Request body is too large.", "too_large")
                    }
                    Some(error) if body_deadline::timed_out(error) => ApiError::body_too_slow(),
                    _ => ApiError::unreadable(format!("Could not read the request body: {e}"), "parse_error"),
                })
                .and_then(|bytes| parse(&content_type, &mime, &bytes))
                .and_then(|map| finish(map, Parts::new(), &rules::<T>()));
            Ok(Json { read })
        })
    }
}

fn rules<T: RequestBody>() -> std::sync::Arc<Rules> {
    cached::<T>(|| {
        let mut referenced = Vec::new();
        T::schemas(&mut referenced);
        Rules::of_body(&T::schema(), &referenced)
    })
}

/// Checks the fields, then deserializes what passed.
fn finish<T: RequestBody>(
    mut map: Map<String, Value>,
    files: Parts,
    rules: &Rules,
) -> Result<Read<T>, ApiError> {
    let mut errors = FieldErrors::new();
    let names: Vec<String> = files.keys().cloned().collect();
    rules.apply(&mut map, &names, &mut errors);
    let body = with_parts(files, || serde_json::from_value::<T>(Value::Object(map)))
        .map_err(|e| ApiError::field(NON_FIELD_ERRORS, format!("Invalid data: {e}"), "invalid"))?;
    Ok(Read { body, errors })
}

/// The fields of a JSON or URL-encoded body (an empty body has none).
fn parse(content_type: &str, mime: &str, bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.is_empty() {
        return Ok(Map::new());
    }
    let value = match mime {
        "" | "application/json" => parse_json(bytes)?,
        m if m.ends_with("+json") => parse_json(bytes)?,
        "application/x-www-form-urlencoded" => {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
                .map_err(|e| ApiError::unreadable(format!("Form parse error - {e}"), "parse_error"))?;
            Value::Object(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
        }
        _ => return Err(ApiError::unsupported_media_type(content_type)),
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Err(ApiError::field(NON_FIELD_ERRORS, "No data provided", "invalid")),
        other => Err(ApiError::field(
            NON_FIELD_ERRORS,
            format!(
                "Invalid data. Expected a dictionary, but got {}.",
                python_type(&other)
            ),
            "invalid",
        )),
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::unreadable(format!("JSON parse error - {e}"), "parse_error"))
}

/// Reads every part (the first of each name wins): file fields whole into memory,
/// the others as text; more than `limit` bytes in all is a 413.
async fn read_multipart(
    mut form: Multipart,
    rules: &Rules,
    limit: usize,
) -> Result<(Map<String, Value>, Parts), ApiError> {
    let parse_error = |e: actix_multipart::MultipartError| {
        if body_deadline::form_timed_out(&e) {
            return ApiError::body_too_slow();
        }
        ApiError::unreadable(format!("Multipart form parse error - {e}"), "parse_error")
    };
    let mut fields = Map::new();
    let mut files = Parts::new();
    let mut total = 0usize;
    while let Some(mut part) = form.try_next().await.map_err(parse_error)? {
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        let json_part = part
            .content_type()
            .is_some_and(|mime| mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"));
        let mut bytes = Vec::new();
        while let Some(chunk) = part.try_next().await.map_err(parse_error)? {
            total += chunk.len();
            if total > limit {
                return Err(ApiError::too_large(
                    format!("This form may hold at most {limit} bytes."),
                    "too_large",
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        if rules.is_file(&name) {
            files.entry(name).or_insert_with(|| {
                Box::new(FilePart {
                    file_name,
                    content: bytes,
                })
            });
        } else if !fields.contains_key(&name) {
            fields.insert(name, part_value(json_part, &bytes));
        }
    }
    Ok((fields, files))
}

/// A text part's value: its text, or, for a part sent as `application/json` (how
/// OpenAPI clients encode list and object fields of a multipart form), the JSON it
/// holds (its text when it does not parse, for the field's own error).
fn part_value(json_part: bool, bytes: &[u8]) -> Value {
    if json_part && let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        return value;
    }
    Value::String(String::from_utf8_lossy(bytes).into_owned())
}
