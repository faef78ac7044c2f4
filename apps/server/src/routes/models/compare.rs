//! `GET /models/compare/?ids=1,2`: configurations side by side.

use actix_web::{HttpResponse, get, web};
use common::{FieldErrors, ModelId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::ModelDetail;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Query;
use crate::routes::points::PointView;
use crate::state::{AppState, blocking};

/// At most this many models side by side.
const MAX_COMPARED: usize = 20;

/// The models to compare.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// Comma-separated model ids, e.g. `1,2`.
    #[param(required = true, pattern = "^ *[0-9]{1,18} *(, *[0-9]{1,18} *){0,19}$")]
    pub ids: Option<String>,
}

impl CompareParams {
    fn ids(&self) -> Result<Vec<ModelId>, FieldErrors> {
        let invalid = |message: &str| FieldErrors::single("ids", message);
        let ids: Vec<ModelId> = self
            .ids
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(|part| part.trim().parse::<ModelId>())
            .collect::<Result<_, _>>()
            .map_err(|_| invalid("Enter model ids separated by commas, e.g. ids=1,2."))?;
        if ids.len() > MAX_COMPARED {
            return Err(invalid(&format!(
                "Compare at most {MAX_COMPARED} models at once."
            )));
        }
        Ok(ids)
    }
}

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
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<models::FieldRow>,
    /// Paths of the fields whose values differ.
    pub differences: Vec<String>,
}

#[utoipa::path(tag = "models",
    summary = "Models side by side: configurations with their differences marked, final metrics, training time and curves",
    security(("token" = [])), params(CompareParams),
    responses((status = 200, body = CompareBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/models/compare/")]
pub async fn compare(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<CompareParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let ids = params.ids()?;
    let owner = auth.user();
    let comparison = blocking(move || Ok(state.bench.compare_models(owner, &ids)?)).await?;
    let models = comparison
        .models
        .iter()
        .map(|compared| ComparedModel {
            model: ModelDetail::new(&compared.model, &compared.runs),
            latest_run: compared.latest.as_ref().map(|(run, points)| RunResults {
                run_id: run.id.get(),
                status: run.status.as_str().to_owned(),
                final_accuracy: run.final_accuracy,
                final_loss: run.final_loss,
                training_seconds: run.training_seconds,
                curve: points.iter().map(PointView::from).collect(),
            }),
        })
        .collect();
    let body = CompareBody {
        models,
        fields: comparison.configs.fields,
        differences: comparison.configs.differences,
    };
    Ok(HttpResponse::Ok().json(body))
}
