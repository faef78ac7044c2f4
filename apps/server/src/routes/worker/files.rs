//! The bytes a worker fetches and sends: the data set, the checkpoint it resumes from
//! or saves, the weights it warm-starts from or saves.

use actix_web::{HttpResponse, get, put, web};
use futures_util::StreamExt;

use super::auth::WorkerRun;
use crate::error::{ApiError, DetailBody};
use crate::state::{AppState, blocking};

/// A checkpoint or weights larger than this are refused.
const MAX_STATE_BYTES: usize = 1 << 30;

fn octets(bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/octet-stream")
        .body(bytes)
}

/// The request body, whole, up to [`MAX_STATE_BYTES`].
async fn read_body(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::unreadable(format!("Could not read the request body: {e}"), "parse_error")
        })?;
        if bytes.len() + chunk.len() > MAX_STATE_BYTES {
            return Err(ApiError::too_large("Request body is too large.", "too_large"));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[utoipa::path(tag = "worker", summary = "The run's data set, read by the server as a local run reads it (binary)",
    security(("run_token" = [])),
    responses((status = 200, description = "`NSMDATA1` data set (see `dataset::Dataset::encode`)", content_type = "application/octet-stream"),
              (status = 401, body = DetailBody)))]
#[get("/worker/runs/{id}/dataset/")]
pub async fn dataset(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let data = blocking(move || Ok(state.bench.worker_dataset(&run.0)?.encode())).await?;
    Ok(octets(data))
}

#[utoipa::path(tag = "worker", summary = "The run's generated PyTorch script (what the PyTorch engine's workers on a cluster run)",
    security(("run_token" = [])),
    responses((status = 200, description = "the script", content_type = "text/x-python"),
              (status = 400, body = DetailBody), (status = 401, body = DetailBody)))]
#[get("/worker/runs/{id}/script/")]
pub async fn script(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let text = blocking(move || Ok(state.bench.worker_script(&run.0)?)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/x-python; charset=utf-8")
        .body(text))
}

#[utoipa::path(tag = "worker", summary = "The run's last checkpoint (binary), to resume from",
    security(("run_token" = [])),
    responses((status = 200, description = "the checkpoint", content_type = "application/octet-stream"),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/worker/runs/{id}/checkpoint/")]
pub async fn checkpoint(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let bytes = blocking(move || Ok(state.bench.worker_checkpoint(&run.0)?)).await?;
    bytes
        .map(octets)
        .ok_or_else(|| ApiError::not_found("no_checkpoint"))
}

#[utoipa::path(tag = "worker", summary = "Replace the run's checkpoint (binary, atomically)",
    security(("run_token" = [])),
    responses((status = 200, body = DetailBody), (status = 400, body = DetailBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody),
              (status = 507, body = DetailBody)))]
#[put("/worker/runs/{id}/checkpoint/")]
pub async fn save_checkpoint(
    state: web::Data<AppState>,
    run: WorkerRun,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_body(payload).await?;
    blocking(move || Ok(state.bench.save_worker_checkpoint(&run.0, &bytes)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"detail": "saved"})))
}

#[utoipa::path(tag = "worker", summary = "The weights of the run this one warm-starts from (binary)",
    security(("run_token" = [])),
    responses((status = 200, description = "the weights", content_type = "application/octet-stream"),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/worker/runs/{id}/warm-weights/")]
pub async fn warm_weights(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let bytes = blocking(move || Ok(state.bench.warm_weights(&run.0)?)).await?;
    bytes.map(octets).ok_or_else(|| ApiError::not_found("no_weights"))
}

#[utoipa::path(tag = "worker", summary = "Replace the run's trained weights (binary)",
    security(("run_token" = [])),
    responses((status = 200, body = DetailBody), (status = 400, body = DetailBody),
              (status = 401, body = DetailBody), (status = 413, body = DetailBody),
              (status = 507, body = DetailBody)))]
#[put("/worker/runs/{id}/weights/")]
pub async fn save_weights(
    state: web::Data<AppState>,
    run: WorkerRun,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_body(payload).await?;
    blocking(move || Ok(state.bench.save_worker_weights(&run.0, &bytes)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"detail": "saved"})))
}
