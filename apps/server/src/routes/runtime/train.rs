//! `GET /runtime/train/<modelname>/`: the latest run of a model in the original's
//! shape (strings with six decimals).

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::error::DetailBody;
use crate::state::{AppState, blocking};

/// One point, every value a string with six decimals (the step without).
#[derive(Serialize, ToSchema)]
pub struct EveryResult {
    pub accuracy: String,
    pub duration: String,
    pub step: String,
}

#[derive(Serialize, ToSchema)]
pub struct TrainResult {
    pub every_result: Vec<EveryResult>,
    /// The final test accuracy; while training, the latest; null before any point.
    pub final_accuracy: Option<f64>,
    /// The run shown, and its status (not in the original).
    pub run_id: Option<i64>,
    pub status: Option<String>,
}

#[utoipa::path(tag = "runs",
    summary = "The latest run of a model: `{\"every_result\": [{\"accuracy\": \"0.240000\", \"duration\": \"0.138934\", \"step\": \"100\"}], \"final_accuracy\": 0.44}`",
    security(("token" = [])), params(("name" = String, Path, description = "model name")),
    responses((status = 200, body = TrainResult), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/runtime/train/{name}/")]
pub async fn latest(
    state: web::Data<AppState>,
    auth: Authenticated,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let latest = blocking(move || Ok(state.bench.latest_run(owner, &name)?)).await?;
    let Some((run, points)) = latest else {
        return Ok(HttpResponse::Ok().json(TrainResult {
            every_result: Vec::new(),
            final_accuracy: None,
            run_id: None,
            status: None,
        }));
    };
    Ok(HttpResponse::Ok().json(TrainResult {
        final_accuracy: run.final_accuracy.or(points.last().map(|p| p.accuracy)),
        every_result: points
            .iter()
            .map(|p| EveryResult {
                accuracy: format!("{:.6}", p.accuracy),
                duration: format!("{:.6}", p.duration),
                step: p.step.to_string(),
            })
            .collect(),
        run_id: Some(run.id.get()),
        status: Some(run.status.as_str().to_owned()),
    }))
}
