//! `POST /data/` and `POST /data/list/`: multipart uploads, streamed to disk.

use actix_multipart::Multipart;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{HttpRequest, HttpResponse, post, web};
use common::UserId;
use workbench::{PendingUpload, UploadSource};

use super::dto::{DataIdBody, UploadForm};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::per_user::UserLimits;
use crate::request::{Json, Parts, announces_body, read_streaming_form, require_multipart};
use crate::state::{AppState, blocking};

/// Room for the form's other fields and boundaries when judging Content-Length.
const FORM_OVERHEAD: u64 = 1024 * 1024;

#[utoipa::path(tag = "data",
    summary = "Upload a file, a zip archive (extracted) or a URL (downloaded by the server)",
    security(("token" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DataIdBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody),
              (status = 429, description = "Too many uploads of this user at once", body = DetailBody),
              (status = 507, description = "The server's disk is full; nothing of the upload was kept", body = DetailBody)))]
#[post("/data/")]
pub async fn upload(
    state: web::Data<AppState>,
    limits: web::Data<UserLimits>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    receive(state, &limits, auth.user(), req, payload).await
}

#[utoipa::path(tag = "data",
    summary = "Upload (the same as `POST /data/`; the original service took uploads at both paths)",
    security(("token" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = DataIdBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody),
              (status = 429, description = "Too many uploads of this user at once", body = DetailBody),
              (status = 507, description = "The server's disk is full; nothing of the upload was kept", body = DetailBody)))]
#[post("/data/list/")]
pub async fn upload_at_list(
    state: web::Data<AppState>,
    limits: web::Data<UserLimits>,
    auth: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    receive(state, &limits, auth.user(), req, payload).await
}

async fn receive(
    state: web::Data<AppState>,
    limits: &UserLimits,
    owner: UserId,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !announces_body(req.headers()) {
        // DRF reads a request without a body as an empty form, whatever its type: the
        // answer names the missing fields, not the media type.
        let (form, errors) = Json::<UploadForm>::from_parts(Default::default(), Parts::new()).into_parts()?;
        form.source(state.bench.fetcher(), errors)?;
    }
    require_multipart(&req)?;
    let _slot = limits.uploads.enter(owner)?;
    let _receiving = crate::metrics::upload_started();
    let bench = state.bench.clone();
    let limit = blocking(move || Ok(bench.upload_limit(owner)?)).await?;
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.bytes().saturating_add(FORM_OVERHEAD)) {
        return Err(limit.exceeded().into());
    }
    let bench = state.bench.clone();
    let pending = blocking(move || Ok(bench.begin_upload(owner, limit)?)).await?;
    let form = Multipart::new(req.headers(), payload.into_inner());
    let source = match read_source(&state, form, &pending).await {
        Ok(source) => source,
        Err(error) => {
            let bench = state.bench.clone();
            let _ = blocking(move || {
                bench.abandon_upload(pending);
                Ok(())
            })
            .await;
            return Err(error);
        }
    };
    let (kind, class, source) = source;
    let item = state.bench.finish_upload(pending, class, kind, source).await?;
    Ok(HttpResponse::Created().json(DataIdBody {
        data_id: item.id.get(),
    }))
}

/// The form, read and checked: kind, class and where the bytes come from.
async fn read_source(
    state: &AppState,
    form: Multipart,
    pending: &PendingUpload,
) -> Result<(datastore::UploadKind, datastore::FileClass, UploadSource), ApiError> {
    let body = read_streaming_form::<UploadForm>(form, "file", pending.file_path(), pending.limit()).await?;
    let (form, errors) = body.into_parts()?;
    Ok(form.source(state.bench.fetcher(), errors)?)
}
