use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::request::PreprocessRequest;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::per_user::UserLimits;
use crate::request::Json;
use crate::state::{AppState, blocking};

/// A picture of an archive that was left out, and why.
#[derive(Serialize, ToSchema)]
pub struct SkippedView {
    /// Its path inside the archive.
    pub path: String,
    /// Why (it could not be decoded).
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreprocessResult {
    /// The new upload holding the results (a picture, or a folder like an archive).
    pub data_id: i64,
    /// Pictures written.
    pub images: u64,
    /// Pictures of an archive that could not be decoded, left out.
    pub skipped: Vec<SkippedView>,
}

#[utoipa::path(tag = "preprocess",
    summary = "Run operations in order over a picture or an archive of pictures; the result is a new upload",
    security(("token" = [])),
    responses((status = 200, body = PreprocessResult),
              (status = 400, description = "`{\"operations\": [{}, {\"value1\": [\"...\"]}]}`: one object per operation", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody),
              (status = 429, description = "Too many preprocessing jobs of this user at once", body = DetailBody),
              (status = 507, description = "The server's disk is full; no result was kept", body = DetailBody)))]
#[post("/preprocess/")]
pub async fn run(
    state: web::Data<AppState>,
    limits: web::Data<UserLimits>,
    auth: Authenticated,
    body: Json<PreprocessRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let (data_id, steps) = body.steps(errors)?;
    let owner = auth.user();
    let _job = limits.preprocessing.enter(owner)?;
    let done = blocking(move || Ok(state.bench.preprocess(owner, data_id, steps)?)).await?;
    Ok(HttpResponse::Ok().json(PreprocessResult {
        data_id: done.data_id.get(),
        images: done.images,
        skipped: done
            .skipped
            .into_iter()
            .map(|s| SkippedView {
                path: s.path,
                reason: s.reason,
            })
            .collect(),
    }))
}
