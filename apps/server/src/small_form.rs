//! Small multipart forms read whole into memory (labels files, pictures to classify),
//! with one limit on the total; large uploads go through `data::receive` instead.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_TYPE;
use futures_util::TryStreamExt;

use crate::error::ApiError;

/// One part's bytes.
pub struct Part {
    pub bytes: Vec<u8>,
}

impl Part {
    /// The part as text (form fields).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok().map(str::trim)
    }
}

/// Whether the request is a multipart form.
pub fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads every part (the first of each name wins); more than `limit` bytes in all is a 413.
pub async fn read(mut form: Multipart, limit: usize) -> Result<HashMap<String, Part>, ApiError> {
    let mut parts = HashMap::new();
    let mut total = 0usize;
    while let Some(mut field) = form
        .try_next()
        .await
        .map_err(|e| ApiError::BadRequest(format!("Multipart form parse error - {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .try_next()
            .await
            .map_err(|e| ApiError::BadRequest(format!("Multipart form parse error - {e}")))?
        {
            total += chunk.len();
            if total > limit {
                return Err(ApiError::PayloadTooLarge(format!(
                    "This form may hold at most {limit} bytes."
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        parts.entry(name).or_insert(Part { bytes });
    }
    Ok(parts)
}
