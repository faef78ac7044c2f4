//! A worker's questions and reports: what to train, the points stored so far, a new
//! point, progress (answered with what it is asked to do), and that request alone.

use actix_web::{HttpResponse, get, put, web};

use super::auth::WorkerRun;
use super::dto::{AssignmentBody, PointBody, PointsParams, ProgressBody, RequestBodyOut};
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::{Json, Query};
use crate::routes::points::PointView;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "worker", summary = "What to train: the run's configuration, where to start, intervals, the current request",
    security(("run_token" = [])),
    responses((status = 200, body = AssignmentBody), (status = 401, body = DetailBody)))]
#[get("/worker/runs/{id}/")]
pub async fn assignment(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let assignment = blocking(move || Ok(state.bench.assignment(run.0)?)).await?;
    Ok(HttpResponse::Ok().json(AssignmentBody::from(assignment)))
}

#[utoipa::path(tag = "worker", summary = "The run's metric points after `since`",
    security(("run_token" = [])), params(PointsParams),
    responses((status = 200, body = Vec<PointView>), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[get("/worker/runs/{id}/points/")]
pub async fn points(
    state: web::Data<AppState>,
    run: WorkerRun,
    query: Query<PointsParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let points = blocking(move || Ok(state.bench.worker_points(&run.0, params.since)?)).await?;
    Ok(HttpResponse::Ok().json(points.iter().map(PointView::from).collect::<Vec<_>>()))
}

#[utoipa::path(tag = "worker", summary = "Record the metric point of a step (the same step again replaces it)",
    security(("run_token" = [])),
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[put("/worker/runs/{id}/points/{step}/")]
pub async fn put_point(
    state: web::Data<AppState>,
    run: WorkerRun,
    path: web::Path<(i64, u64)>,
    body: Json<PointBody>,
) -> Result<HttpResponse, ApiError> {
    let point = body.into_valid()?.at(path.into_inner().1);
    blocking(move || Ok(state.bench.put_worker_point(&run.0, &point)?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"detail": "saved"})))
}

#[utoipa::path(tag = "worker", summary = "Report the run's status and progress; answers what the worker is asked to do",
    security(("run_token" = [])),
    responses((status = 200, body = RequestBodyOut), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[put("/worker/runs/{id}/progress/")]
pub async fn report(
    state: web::Data<AppState>,
    run: WorkerRun,
    body: Json<ProgressBody>,
) -> Result<HttpResponse, ApiError> {
    let progress = body.into_valid()?.progress()?;
    let request = blocking(move || Ok(state.bench.worker_progress(run.0, progress)?)).await?;
    Ok(HttpResponse::Ok().json(RequestBodyOut {
        request: request.as_str().to_owned(),
    }))
}

#[utoipa::path(tag = "worker", summary = "What the worker is asked to do now: `go`, `pause` or `stop`",
    security(("run_token" = [])),
    responses((status = 200, body = RequestBodyOut), (status = 401, body = DetailBody)))]
#[get("/worker/runs/{id}/control/")]
pub async fn control(state: web::Data<AppState>, run: WorkerRun) -> Result<HttpResponse, ApiError> {
    let request = blocking(move || Ok(state.bench.worker_request(&run.0))).await?;
    Ok(HttpResponse::Ok().json(RequestBodyOut {
        request: request.as_str().to_owned(),
    }))
}
