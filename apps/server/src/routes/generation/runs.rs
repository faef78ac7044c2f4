//! `/generation/run/...` and `/generation/restore/<run_id>/`: start, watch, pause,
//! resume, stop and restore training runs.

use std::time::Duration;

use accounts::ValidationErrors;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;
use trainer::runs::{Run, RunStatus};

use super::run_dto::{PointView, RunDetails, RunStatusBody, RuntimeBody};
use crate::auth::Authenticated;
use crate::body::Fields;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::query::QueryParams;
use crate::state::{AppState, blocking};

/// How often a live stream looks for new points.
const STREAM_POLL: Duration = Duration::from_millis(200);
/// A comment line this often keeps proxies from closing a quiet stream.
const STREAM_KEEPALIVE_POLLS: u32 = 75;
/// How long stop and pause wait for the run to reach a step boundary.
const SETTLE_POLLS: u32 = 100;

/// The request body of `POST /generation/run/basic/`, for the document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct StartRunBody {
    #[schema(rename = "modelName")]
    pub model_name: String,
    /// Optional: train on this upload (it becomes the model's data).
    #[schema(rename = "dataId")]
    pub data_id: Option<i64>,
}

#[utoipa::path(post, path = "/generation/run/basic/", tag = "runs",
    summary = "Start training a model's saved network on its data (queued on the training threads)",
    security(("token" = [])), request_body = StartRunBody,
    responses((status = 202, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn start(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let (name, data_id) = fields.model_and_data()?;
    let owner = auth.0.user.id;
    let run = blocking(move || crate::training::start_run(&state, owner, &name, data_id)).await?;
    Ok(HttpResponse::Accepted().json(RunStatusBody::from(&run)))
}

fn run_id_of(query: &QueryParams) -> Result<i64, ApiError> {
    let mut errors = ValidationErrors::new();
    match query.unsigned("run_id", &mut errors) {
        Some(id) => Ok(id as i64),
        None if errors.is_empty() => Err(ApiError::Validation(ValidationErrors::single(
            "run_id",
            crate::body::REQUIRED,
        ))),
        None => Err(ApiError::Validation(errors)),
    }
}

#[utoipa::path(get, path = "/generation/run/details/", tag = "runs",
    summary = "A run: status, configuration, every metric point, final metrics, timings, confusion matrix",
    security(("token" = [])), params(("run_id" = i64, Query)),
    responses((status = 200, body = RunDetails), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn details(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let id = run_id_of(&query)?;
    let owner = auth.0.user.id;
    let details = blocking(move || {
        let run = state.runs.run(owner, id)?;
        let points = state.runs.points(owner, id, None)?;
        Ok(RunDetails::new(&run, &points))
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

#[utoipa::path(get, path = "/generation/run/runtime/", tag = "runs",
    summary = "The metric points after `since`; with `Accept: text/event-stream`, a live stream of them ending with the final status",
    security(("token" = [])),
    params(("run_id" = i64, Query), ("since" = Option<u64>, Query, description = "last step already seen")),
    responses((status = 200, body = RuntimeBody,
               description = "JSON, or an event stream: `event: point` with a point as data, then `event: end` with `{\"run_id\", \"status\", \"final_accuracy\"}`"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn runtime(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let id = run_id_of(&query)?;
    let mut errors = ValidationErrors::new();
    let since = query.unsigned("since", &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let owner = auth.0.user.id;
    let poll_state = state.clone();
    let (run, points) = blocking(move || {
        let run = state.runs.run(owner, id)?;
        let points = state.runs.points(owner, id, since)?;
        Ok((run, points))
    })
    .await?;
    if !wants_stream(&req) {
        return Ok(HttpResponse::Ok().json(RuntimeBody {
            run_id: run.id,
            status: run.status.as_str().to_owned(),
            points: points.iter().map(PointView::from).collect(),
            final_accuracy: run.final_accuracy,
        }));
    }
    let last = points.last().map(|p| p.step).or(since);
    let first: Vec<String> = points.iter().map(point_event).collect();
    let events = live_events(poll_state, owner, run, last, first);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(events))
}

fn point_event(point: &trainer::runs::MetricPoint) -> String {
    let data = serde_json::to_string(&PointView::from(point)).unwrap_or_default();
    format!("event: point\ndata: {data}\n\n")
}

fn end_event(run: &Run) -> String {
    let data = serde_json::json!({
        "run_id": run.id,
        "status": run.status.as_str(),
        "final_accuracy": run.final_accuracy,
        "error": run.error,
    });
    format!("event: end\ndata: {data}\n\n")
}

/// Streams the points already found, then polls the store for new ones until the run
/// reaches a final state (or is paused: a paused run's stream stays open).
fn live_events(
    state: web::Data<AppState>,
    owner: i64,
    run: Run,
    last: Option<u64>,
    first: Vec<String>,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    struct Cursor {
        state: web::Data<AppState>,
        owner: i64,
        run_id: i64,
        last: Option<u64>,
        pending: std::collections::VecDeque<String>,
        done: bool,
        quiet: u32,
    }
    let cursor = Cursor {
        state,
        owner,
        run_id: run.id,
        last,
        pending: first.into_iter().collect(),
        done: false,
        quiet: 0,
    };
    stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(event) = c.pending.pop_front() {
                return Some((Ok(web::Bytes::from(event)), c));
            }
            if c.done {
                return None;
            }
            let (state, owner, id, since) = (c.state.clone(), c.owner, c.run_id, c.last);
            let polled = blocking(move || {
                let points = state.runs.points(owner, id, since)?;
                let run = state.runs.run(owner, id)?;
                Ok((run, points))
            })
            .await;
            let Ok((run, points)) = polled else {
                return None;
            };
            if let Some(p) = points.last() {
                c.last = Some(p.step);
            }
            c.pending.extend(points.iter().map(point_event));
            if run.status.is_final() {
                c.pending.push_back(end_event(&run));
                c.done = true;
                continue;
            }
            if !c.pending.is_empty() {
                continue;
            }
            c.quiet += 1;
            if c.quiet >= STREAM_KEEPALIVE_POLLS {
                c.quiet = 0;
                return Some((Ok(web::Bytes::from_static(b": keep-alive\n\n")), c));
            }
            actix_web::rt::time::sleep(STREAM_POLL).await;
        }
    })
}

/// The request body of pause, resume and stop, for the document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct RunIdBody {
    pub run_id: i64,
}

fn run_id_in(mut fields: Fields) -> Result<i64, ApiError> {
    let id = fields.required_integer("run_id");
    fields.finish()?;
    Ok(id.unwrap_or_default())
}

/// Reads `{"run_id": N}` and applies `action` to the caller's run.
async fn control(
    state: &web::Data<AppState>,
    auth: &Authenticated,
    fields: Fields,
    action: fn(&crate::training::Runs, i64, i64) -> Result<Run, trainer::runs::RunError>,
) -> Result<(i64, i64, Run), ApiError> {
    let id = run_id_in(fields)?;
    let owner = auth.0.user.id;
    let state = state.clone();
    let run = blocking(move || Ok(action(&state.runs, owner, id)?)).await?;
    Ok((owner, id, run))
}

/// Waits until the run's thread has acted on a request (or a few seconds passed).
async fn settle(
    state: &web::Data<AppState>,
    owner: i64,
    id: i64,
    done: fn(RunStatus) -> bool,
) -> Result<Run, ApiError> {
    let mut run = None;
    for _ in 0..SETTLE_POLLS {
        let state = state.clone();
        let current = blocking(move || Ok(state.runs.run(owner, id)?)).await?;
        if done(current.status) {
            return Ok(current);
        }
        run = Some(current);
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    run.ok_or(ApiError::NotFound)
}

#[utoipa::path(post, path = "/generation/run/pause/", tag = "runs",
    summary = "Hold a run between steps with its whole state in memory (answers once it holds)",
    security(("token" = [])), request_body = RunIdBody,
    responses((status = 200, body = RunStatusBody),
              (status = 400, description = "`{\"run_id\": [\"Only a queued or running run can be paused; this run is completed.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn pause(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let (owner, id, _) = control(&state, &auth, fields, |runs, owner, id| runs.pause(owner, id)).await?;
    // Answer once the run's thread holds (a step takes milliseconds).
    let run = settle(&state, owner, id, |s| s == RunStatus::Paused || s.is_final()).await?;
    Ok(HttpResponse::Ok().json(RunStatusBody::from(&run)))
}

#[utoipa::path(post, path = "/generation/run/resume/", tag = "runs",
    summary = "Continue a paused run where it is, or an interrupted one from its last checkpoint",
    security(("token" = [])), request_body = RunIdBody,
    responses((status = 200, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn resume(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let (_, _, run) = control(&state, &auth, fields, |runs, owner, id| runs.resume(owner, id)).await?;
    Ok(HttpResponse::Ok().json(RunStatusBody::from(&run)))
}

#[utoipa::path(post, path = "/generation/run/stop/", tag = "runs",
    summary = "End a run, keeping its last checkpoint (answers once it has stopped)",
    security(("token" = [])), request_body = RunIdBody,
    responses((status = 200, body = RunStatusBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn stop(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let (owner, id, _) = control(&state, &auth, fields, |runs, owner, id| runs.stop(owner, id)).await?;
    let run = settle(&state, owner, id, RunStatus::is_final).await?;
    Ok(HttpResponse::Ok().json(RunStatusBody::from(&run)))
}

#[utoipa::path(get, path = "/generation/restore/{run_id}/", tag = "runs",
    summary = "Make a run's saved parameters the model's current ones (its next run warm-starts from them)",
    security(("token" = [])), params(("run_id" = i64, Path)),
    responses((status = 200, description = "`{\"run_id\": 7, \"model_id\": 3, \"step\": 400}`"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn restore(
    state: web::Data<AppState>,
    auth: Authenticated,
    run_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = run_id.into_inner();
    let owner = auth.0.user.id;
    let body = blocking(move || {
        let run = state.runs.run(owner, id)?;
        if !state.runs.has_weights(&run)? {
            return Err(ApiError::Validation(ValidationErrors::single(
                "run_id",
                "This run has no saved parameters yet.",
            )));
        }
        state.models.set_weights_run(owner, run.model_id, Some(run.id))?;
        Ok(serde_json::json!({"run_id": run.id, "model_id": run.model_id, "step": run.step}))
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}
