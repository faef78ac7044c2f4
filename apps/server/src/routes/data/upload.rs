//! `POST /data/` and `POST /data/list/`: multipart uploads, streamed to disk.

use std::path::{Path, PathBuf};

use accounts::ValidationErrors;
use actix_multipart::{Field, Multipart};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use datastore::{FileClass, Received, UploadKind, UploadLimit};
use futures_util::TryStreamExt;

use super::dto::{DataIdBody, UploadForm};
use crate::auth::Authenticated;
use crate::body::REQUIRED;
use crate::data::fetch::FetchError;
use crate::data::receive::{FileSink, Written};
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

/// Form fields other than the file are short; more than this is refused.
const MAX_TEXT_FIELD: usize = 64 * 1024;
/// Room for the form's other fields and boundaries when judging Content-Length.
const FORM_OVERHEAD: u64 = 1024 * 1024;

#[utoipa::path(post, path = "/data/", tag = "data",
    summary = "Upload a file, a zip archive (extracted) or a URL (downloaded by the server)",
    security(("token" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DataIdBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody)))]
pub async fn upload(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return Err(ApiError::BadRequest(format!(
            "Unsupported media type \"{content_type}\" in request."
        )));
    }
    let owner = auth.0.user.id;
    let data = state.data.clone();
    let limit = blocking(move || Ok(data.upload_limit(owner)?)).await?;
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.bytes().saturating_add(FORM_OVERHEAD)) {
        return Err(limit.exceeded().into());
    }

    let data = state.data.clone();
    let staged = blocking(move || Ok(data.stage()?)).await?;
    let outcome = receive_and_ingest(&state, owner, &req, payload, &staged, limit).await;
    if outcome.is_err() {
        let data = state.data.clone();
        let staged = staged.clone();
        let _ = blocking(move || {
            data.discard(&staged);
            Ok(())
        })
        .await;
    }
    let id = outcome?;
    Ok(HttpResponse::Created().json(DataIdBody { data_id: id }))
}

#[utoipa::path(post, path = "/data/list/", tag = "data",
    summary = "Upload (the same as `POST /data/`; the original service took uploads at both paths)",
    security(("token" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DataIdBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody)))]
pub async fn upload_at_list(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    upload(state, auth, req, payload).await
}

/// The parsed form: text fields, and the file already on disk.
#[derive(Default)]
struct Form {
    file_type: Option<String>,
    file_class: Option<String>,
    url: Option<String>,
    file: Option<(String, Written)>,
}

async fn receive_and_ingest(
    state: &AppState,
    owner: i64,
    req: &HttpRequest,
    payload: web::Payload,
    staged: &Path,
    limit: UploadLimit,
) -> Result<i64, ApiError> {
    let received_file = staged.join("received");
    let form = read_form(req, payload, &received_file, limit).await?;

    let mut errors = ValidationErrors::new();
    let kind = choice::<UploadKind>(&form.file_type, "file_type", &mut errors);
    let class = choice::<FileClass>(&form.file_class, "file_class", &mut errors);
    match kind {
        Some(UploadKind::Single | UploadKind::Zip) => match &form.file {
            None => errors.add("file", "No file was submitted."),
            Some((_, written)) if written.size == 0 => errors.add("file", "The submitted file is empty."),
            Some(_) => {}
        },
        Some(UploadKind::Url) if form.url.is_none() => errors.add("url", REQUIRED),
        _ => {}
    }
    let url = match (kind, &form.url) {
        (Some(UploadKind::Url), Some(text)) => match state.fetcher.parse(text) {
            Ok(url) => Some(url),
            Err(message) => {
                errors.add("url", message);
                None
            }
        },
        _ => None,
    };
    errors.into_result()?;
    let (Some(kind), Some(class)) = (kind, class) else {
        return Err(ApiError::Internal("validated form lacks its choices".into()));
    };

    let received = match (kind, url, form.file) {
        (UploadKind::Url, Some(url), _) => {
            let source = url.to_string();
            match state
                .fetcher
                .fetch(url, received_file.clone(), limit.bytes())
                .await
            {
                Ok(fetched) => Received {
                    staged_dir: staged.to_owned(),
                    file: received_file,
                    original_name: fetched.file_name,
                    size: fetched.written.size,
                    sha256: fetched.written.sha256,
                    source_url: Some(if fetched.final_url == source {
                        source
                    } else {
                        fetched.final_url
                    }),
                },
                Err(FetchError::TooLarge) => return Err(limit.exceeded().into()),
                Err(FetchError::Failed(message)) => {
                    return Err(ApiError::Validation(ValidationErrors::single("url", message)));
                }
                Err(FetchError::Server(error)) => return Err(error),
            }
        }
        (_, _, Some((name, written))) => Received {
            staged_dir: staged.to_owned(),
            file: received_file,
            original_name: name,
            size: written.size,
            sha256: written.sha256,
            source_url: None,
        },
        _ => return Err(ApiError::Internal("validated form lacks its file".into())),
    };
    let data = state.data.clone();
    let item = blocking(move || Ok(data.ingest(owner, class, kind, received)?)).await?;
    Ok(item.id)
}

fn choice<T: std::str::FromStr<Err = String>>(
    value: &Option<String>,
    field: &str,
    errors: &mut ValidationErrors,
) -> Option<T> {
    match value.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add(field, REQUIRED);
            None
        }
        Some(text) => text.parse().map_err(|message| errors.add(field, message)).ok(),
    }
}

/// Reads every part of the form; the (first) `file` part streams into `file_path`.
async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    file_path: &Path,
    limit: UploadLimit,
) -> Result<Form, ApiError> {
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut form = Form::default();
    while let Some(field) = multipart.try_next().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if form.file.is_none() => {
                let file_name = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .unwrap_or("upload")
                    .to_owned();
                let written = stream_to_file(field, file_path.to_owned(), limit).await?;
                form.file = Some((file_name, written));
            }
            "file_type" => form.file_type = Some(read_text(field, &name).await?),
            "file_class" => form.file_class = Some(read_text(field, &name).await?),
            "url" => form.url = Some(read_text(field, &name).await?),
            _ => drain(field).await?,
        }
    }
    Ok(form)
}

async fn stream_to_file(mut field: Field, path: PathBuf, limit: UploadLimit) -> Result<Written, ApiError> {
    let mut sink = FileSink::create(path);
    let copied = copy_field(&mut field, &mut sink, limit).await;
    // The writer is always waited for, so a refused upload's file is closed before its
    // staging folder is removed.
    let written = sink.finish().await;
    copied?;
    written
}

async fn copy_field(field: &mut Field, sink: &mut FileSink, limit: UploadLimit) -> Result<(), ApiError> {
    let mut size = 0u64;
    while let Some(chunk) = field.try_next().await.map_err(multipart_error)? {
        size += chunk.len() as u64;
        if size > limit.bytes() {
            return Err(limit.exceeded().into());
        }
        sink.write(chunk).await?;
    }
    Ok(())
}

async fn read_text(mut field: Field, name: &str) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.try_next().await.map_err(multipart_error)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_TEXT_FIELD {
            return Err(ApiError::Validation(ValidationErrors::single(
                name,
                format!("Ensure this field has no more than {MAX_TEXT_FIELD} characters."),
            )));
        }
    }
    Ok(String::from_utf8_lossy(&bytes).trim().to_owned())
}

async fn drain(mut field: Field) -> Result<(), ApiError> {
    while field.try_next().await.map_err(multipart_error)?.is_some() {}
    Ok(())
}

fn multipart_error(error: actix_multipart::MultipartError) -> ApiError {
    ApiError::BadRequest(format!("Multipart form parse error - {error}"))
}
