//! A multipart form whose file may be large: the file streams to disk through a
//! [`FileSink`] while it arrives (bounded memory, hashed on the way), the other parts
//! are short text fields; the whole is then checked like any request body.

use std::path::PathBuf;

use actix_multipart::{Field, Multipart};
use actix_web::web;
use datastore::UploadLimit;
use futures_util::TryStreamExt;
use serde_json::{Map, Value};
use workbench::{FileSink, Written};

use super::body::{Json, RequestBody};
use super::files::{Parts, StreamedFile};
use crate::error::ApiError;
use crate::messages::max_length;

/// Text fields longer than this are refused while reading.
const MAX_TEXT_FIELD: usize = 64 * 1024;

fn parse_error(error: actix_multipart::MultipartError) -> ApiError {
    if super::body_deadline::form_timed_out(&error) {
        return ApiError::body_too_slow();
    }
    ApiError::unreadable(format!("Multipart form parse error - {error}"), "parse_error")
}

/// Refuses a request that is not a multipart form.
pub fn require_multipart(req: &actix_web::HttpRequest) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        Ok(())
    } else {
        Err(ApiError::unsupported_media_type(content_type))
    }
}

/// Reads `payload` as a multipart form into `T`: the first part named `file_field`
/// is written to `path`, refused past `limit`; every other part is a text field.
pub async fn read_streaming_form<T: RequestBody>(
    form: Multipart,
    file_field: &str,
    path: PathBuf,
    limit: UploadLimit,
) -> Result<Json<T>, ApiError> {
    let mut form = form;
    let mut fields = Map::new();
    let mut files = Parts::new();
    while let Some(field) = form.try_next().await.map_err(parse_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field && !files.contains_key(&name) {
            let file_name = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .unwrap_or("upload")
                .to_owned();
            let written = stream_to_file(field, path.clone(), limit).await?;
            files.insert(name, Box::new(StreamedFile { file_name, written }));
        } else {
            let text = read_text(field, &name).await?;
            fields.entry(name).or_insert(Value::String(text));
        }
    }
    Ok(Json::from_parts(fields, files))
}

async fn stream_to_file(mut field: Field, path: PathBuf, limit: UploadLimit) -> Result<Written, ApiError> {
    let mut sink = FileSink::create(path);
    let copied = copy_field(&mut field, &mut sink, limit).await;
    // The writer is always waited for, so a refused upload's file is closed before its
    // staging folder is removed.
    let written = sink.finish().await;
    copied?;
    written.map_err(|e| {
        if datastore::is_storage_full(&e) {
            datastore::DataError::StorageFull.into()
        } else {
            ApiError::internal(format!("cannot write the upload: {e}"), "upload_write")
        }
    })
}

async fn copy_field(field: &mut Field, sink: &mut FileSink, limit: UploadLimit) -> Result<(), ApiError> {
    let mut size = 0u64;
    while let Some(chunk) = field.try_next().await.map_err(parse_error)? {
        size += chunk.len() as u64;
        crate::metrics::upload_bytes(chunk.len());
        if size > limit.bytes() {
            return Err(limit.exceeded().into());
        }
        sink.write(chunk).await;
    }
    Ok(())
}

async fn read_text(mut field: Field, name: &str) -> Result<String, ApiError> {
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = field.try_next().await.map_err(parse_error)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_TEXT_FIELD {
            return Err(ApiError::field(name, max_length(MAX_TEXT_FIELD), "invalid"));
        }
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}
