//! Using a trained model: `POST /construct/detail/<name>/` (the original's answer) and
//! `POST /models/<id>/predict/` (with class probabilities).

use std::collections::BTreeMap;

use actix_web::{HttpResponse, post, web};
use common::{DataId, FieldErrors, ModelId};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use workbench::{PredictInput, Prediction};

use super::dto::PredictForm;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

impl PredictForm {
    /// What to classify: the file, else the features, else the upload.
    fn input(self) -> Result<PredictInput, FieldErrors> {
        if let Some(file) = self.file {
            return Ok(PredictInput::File(file.content));
        }
        if let Some(features) = self.features {
            return features
                .iter()
                .map(Value::as_f64)
                .collect::<Option<Vec<_>>>()
                .map(PredictInput::Features)
                .ok_or_else(|| FieldErrors::single("features", "Enter a list of numbers."));
        }
        match self.data_id {
            Some(id) => Ok(PredictInput::Upload(DataId(id))),
            None => Err(FieldErrors::single(
                "file",
                "Send a file to classify (multipart `file`), a `dataId`, or `features`.",
            )),
        }
    }
}

/// The original answered `"message": 1` for a numeric class.
fn label_value(label: &str) -> Value {
    label.parse::<i64>().map_or_else(|_| json!(label), |n| json!(n))
}

#[utoipa::path(tag = "models",
    summary = "Use the model: classify a picture (or a CSV row) with its current parameters",
    security(("token" = [])), params(("name" = String, Path, description = "model name")),
    responses((status = 200, description = "`{\"result\": \"success\", \"message\": <predicted label>}`"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/construct/detail/{name}/")]
pub async fn use_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    name: web::Path<String>,
    body: Json<PredictForm>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_valid()?.input()?;
    let owner = auth.user();
    let (_, predictions) = blocking(move || {
        let model = state.bench.models().by_name(owner, &name)?;
        Ok(state.bench.predict(owner, &model, input)?)
    })
    .await?;
    let label = predictions.first().map(|p| p.label.as_str()).unwrap_or_default();
    Ok(HttpResponse::Ok().json(json!({"result": "success", "message": label_value(label)})))
}

#[derive(Serialize, ToSchema)]
pub struct PredictionView {
    pub label: String,
    /// Class name → probability.
    pub probabilities: BTreeMap<String, f32>,
}

impl From<Prediction> for PredictionView {
    fn from(p: Prediction) -> Self {
        PredictionView {
            label: p.label,
            probabilities: p.probabilities,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PredictBody {
    /// The run whose parameters answered.
    pub run_id: i64,
    /// The (first) sample's class.
    pub label: String,
    pub probabilities: BTreeMap<String, f32>,
    /// One per sample (several for CSV rows).
    pub predictions: Vec<PredictionView>,
}

#[utoipa::path(tag = "models",
    summary = "Classify a picture or CSV rows, with class probabilities",
    security(("token" = [])),
    responses((status = 200, body = PredictBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/models/{id:[0-9]+}/predict/")]
pub async fn predict_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
    body: Json<PredictForm>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_valid()?.input()?;
    let owner = auth.user();
    let id = ModelId(id.into_inner());
    let (run_id, predictions) = blocking(move || {
        let model = state.bench.models().by_id(owner, id)?;
        Ok(state.bench.predict(owner, &model, input)?)
    })
    .await?;
    let predictions: Vec<PredictionView> = predictions.into_iter().map(PredictionView::from).collect();
    let (label, probabilities) = predictions
        .first()
        .map(|p| (p.label.clone(), p.probabilities.clone()))
        .unwrap_or_default();
    Ok(HttpResponse::Ok().json(PredictBody {
        run_id: run_id.get(),
        label,
        probabilities,
        predictions,
    }))
}
