//! `/generation/run/...` and `/generation/restore/<run_id>/`: start, watch, pause,
//! resume, stop and restore training runs.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use common::{DataId, RunId};
use futures_util::StreamExt;
use workbench::Result as BenchResult;

use super::run_dto::{
    RunDetails, RunIdBody, RunParams, RunStatusBody, RuntimeBody, RuntimeParams, StartRunRequest,
};
use super::stream::live_events;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::{Json, Query};
use crate::routes::points::PointView;
use crate::state::{AppState, Bench, blocking};

#[utoipa::path(tag = "runs",
    summary = "Start training a model's saved network on its data, with the configuration's engine, workers and device or those given (400 naming the field when this server cannot train that way)",
    security(("token" = [])),
    responses((status = 202, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody),
              (status = 429, description = "This user has the most runs waiting to train", body = DetailBody)))]
#[post("/generation/run/basic/")]
pub async fn start(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<StartRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_valid()?;
    let choice = body.choice();
    let (name, data_id) = (body.model_name.unwrap_or_default(), body.data_id.map(DataId));
    let owner = auth.user();
    let run = blocking(move || Ok(state.bench.start_run_as(owner, &name, data_id, &choice)?)).await?;
    Ok(HttpResponse::Accepted().json(RunStatusBody::from(&run)))
}

fn run_id(id: Option<u64>) -> RunId {
    RunId(id.map_or(0, |id| i64::try_from(id).unwrap_or(i64::MAX)))
}

#[utoipa::path(tag = "runs",
    summary = "A run: status, configuration, every metric point, final metrics, timings, confusion matrix",
    security(("token" = [])), params(RunParams),
    responses((status = 200, body = RunDetails), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/generation/run/details/")]
pub async fn details(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<RunParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let id = run_id(params.run_id);
    let owner = auth.user();
    let details = blocking(move || {
        let (run, points) = state.bench.run_progress(owner, id, None)?;
        Ok(RunDetails::new(&run, &points, state.bench.placement(run.id)))
    })
    .await?;
    Ok(HttpResponse::Ok().json(details))
}

fn wants_stream(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

#[utoipa::path(tag = "runs",
    summary = "The metric points after `since`; with `Accept: text/event-stream`, a live stream of them ending with the final status",
    security(("token" = [])), params(RuntimeParams),
    responses((status = 200, body = RuntimeBody,
               description = "JSON, or an event stream: `event: point` with a point as data, then `event: end` with `{\"run_id\", \"status\", \"final_accuracy\"}`"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/generation/run/runtime/")]
pub async fn runtime(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    query: Query<RuntimeParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let id = run_id(params.run_id);
    let since = params.since;
    let owner = auth.user();
    let bench = state.bench.clone();
    let (run, points) = blocking(move || Ok(bench.run_progress(owner, id, since)?)).await?;
    if !wants_stream(&req) {
        return Ok(HttpResponse::Ok().json(RuntimeBody {
            run_id: run.id.get(),
            status: run.status.as_str().to_owned(),
            points: points.iter().map(PointView::from).collect(),
            final_accuracy: run.final_accuracy,
        }));
    }
    let last = points.last().map(|p| p.step).or(since);
    let open = crate::metrics::stream_opened();
    let events = live_events(state.bench.clone(), owner, run, last, points).map(move |event| {
        let _open = &open;
        event
    });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(events))
}

/// Reads `{"run_id": N}` and applies `action` to the caller's run.
async fn control(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<RunIdBody>,
    action: fn(&Bench, common::UserId, RunId) -> BenchResult<runs::Run>,
) -> Result<HttpResponse, ApiError> {
    let id = RunId(body.into_valid()?.run_id.unwrap_or_default());
    let owner = auth.user();
    let run = blocking(move || Ok(action(&state.bench, owner, id)?)).await?;
    Ok(HttpResponse::Ok().json(RunStatusBody::from(&run)))
}

#[utoipa::path(tag = "runs",
    summary = "Hold a run between steps with its whole state in memory (answers once it holds)",
    security(("token" = [])),
    responses((status = 200, body = RunStatusBody),
              (status = 400, description = "`{\"run_id\": [\"Only a queued or running run can be paused; this run is completed.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/generation/run/pause/")]
pub async fn pause(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<RunIdBody>,
) -> Result<HttpResponse, ApiError> {
    control(state, auth, body, Bench::pause_run).await
}

#[utoipa::path(tag = "runs",
    summary = "Continue a paused run where it is, or an interrupted one from its last checkpoint",
    security(("token" = [])),
    responses((status = 200, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/generation/run/resume/")]
pub async fn resume(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<RunIdBody>,
) -> Result<HttpResponse, ApiError> {
    control(state, auth, body, Bench::resume_run).await
}

#[utoipa::path(tag = "runs",
    summary = "End a run, keeping its last checkpoint (answers once it has stopped)",
    security(("token" = [])),
    responses((status = 200, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/generation/run/stop/")]
pub async fn stop(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<RunIdBody>,
) -> Result<HttpResponse, ApiError> {
    control(state, auth, body, Bench::stop_run).await
}

/// What restore answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RestoredBody {
    pub run_id: i64,
    pub model_id: i64,
    /// The step its saved parameters are from.
    pub step: u64,
}

#[utoipa::path(tag = "runs",
    summary = "Make a run's saved parameters the model's current ones (its next run warm-starts from them)",
    security(("token" = [])),
    responses((status = 200, body = RestoredBody),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/generation/restore/{run_id:[0-9]+}/")]
pub async fn restore(
    state: web::Data<AppState>,
    auth: Authenticated,
    run_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = RunId(run_id.into_inner());
    let owner = auth.user();
    let run = blocking(move || Ok(state.bench.restore_run(owner, id)?)).await?;
    Ok(HttpResponse::Ok().json(RestoredBody {
        run_id: run.id.get(),
        model_id: run.model_id.get(),
        step: run.step,
    }))
}
