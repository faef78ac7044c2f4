//! `GET /models/compare/?ids=1,2`: configurations side by side.

use accounts::ValidationErrors;
use actix_web::{HttpResponse, web};
use models::{Comparison, compare_configs};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::dto::ModelDetail;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::query::QueryParams;
use crate::routes::generation::run_dto::PointView;
use crate::state::{AppState, blocking};

/// At most this many models side by side.
const MAX_COMPARED: usize = 20;

/// A compared model and the results of its latest run.
#[derive(Serialize, ToSchema)]
pub struct ComparedModel {
    #[serde(flatten)]
    pub model: ModelDetail,
    /// The latest run's final metrics and curve (null before any run).
    pub latest_run: Option<RunResults>,
}

#[derive(Serialize, ToSchema)]
pub struct RunResults {
    pub run_id: i64,
    pub status: String,
    pub final_accuracy: Option<f64>,
    pub final_loss: Option<f64>,
    /// Seconds spent in training steps.
    pub training_seconds: f64,
    /// Every metric point.
    pub curve: Vec<PointView>,
}

#[derive(Serialize, ToSchema)]
pub struct CompareBody {
    /// The models, in the order asked.
    pub models: Vec<ComparedModel>,
    /// Every configuration field with each model's value; `differs` marks differences.
    #[schema(value_type = Object)]
    pub fields: Value,
    /// Paths of the fields whose values differ.
    pub differences: Vec<String>,
}

fn parse_ids(text: Option<&str>) -> Result<Vec<i64>, ApiError> {
    let invalid = |message: &str| ApiError::Validation(ValidationErrors::single("ids", message));
    let text = text.ok_or_else(|| invalid(crate::body::REQUIRED))?;
    let ids: Vec<i64> = text
        .split(',')
        .map(|part| part.trim().parse::<i64>())
        .collect::<Result<_, _>>()
        .map_err(|_| invalid("Enter model ids separated by commas, e.g. ids=1,2."))?;
    if ids.len() > MAX_COMPARED {
        return Err(invalid(&format!(
            "Compare at most {MAX_COMPARED} models at once."
        )));
    }
    Ok(ids)
}

#[utoipa::path(get, path = "/models/compare/", tag = "models",
    summary = "Models side by side: configurations with their differences marked, final metrics, training time and curves",
    security(("token" = [])), params(("ids" = String, Query, description = "comma-separated model ids, e.g. `1,2`")),
    responses((status = 200, body = CompareBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn compare(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let ids = parse_ids(query.get("ids"))?;
    let owner = auth.0.user.id;
    let (models, compared) = blocking(move || {
        let mut models = Vec::new();
        let mut compared = Vec::new();
        for id in ids {
            let model = state.models.by_id(owner, id)?;
            let runs = state.runs.runs_of_model(owner, id)?;
            let latest_run = match runs.first() {
                Some(run) => Some(RunResults {
                    run_id: run.id,
                    status: run.status.as_str().to_owned(),
                    final_accuracy: run.final_accuracy,
                    final_loss: run.final_loss,
                    training_seconds: run.training_seconds,
                    curve: state
                        .runs
                        .points(owner, run.id, None)?
                        .iter()
                        .map(PointView::from)
                        .collect(),
                }),
                None => None,
            };
            compared.push(ComparedModel {
                model: ModelDetail::new(&model, &runs),
                latest_run,
            });
            models.push(model);
        }
        Ok((models, compared))
    })
    .await?;
    let configs: Vec<Option<&Value>> = models.iter().map(|m| m.config.as_ref()).collect();
    let Comparison { fields, differences } = compare_configs(&configs);
    let body = CompareBody {
        models: compared,
        fields: serde_json::to_value(fields).map_err(|e| ApiError::Internal(e.to_string()))?,
        differences,
    };
    Ok(HttpResponse::Ok().json(body))
}
