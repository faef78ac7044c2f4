//! Using a model: `POST /construct/detail/<name>/` (the original's answer) and
//! `POST /models/<id>/predict/` (with class probabilities).

use std::collections::BTreeMap;

use accounts::ValidationErrors;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::body::Fields;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::predict::{Input, Prediction, predict};
use crate::small_form;
use crate::state::{AppState, blocking};

/// A picture to classify is at most this large.
const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// The form, for the document: `file` (a picture, or CSV rows for a CSV model), or
/// `dataId` (an upload), or in JSON `features` (one row's values).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PredictForm {
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
    #[schema(rename = "dataId")]
    pub data_id: Option<i64>,
    pub features: Option<Vec<f64>>,
}

async fn read_input(req: HttpRequest, mut payload: Payload) -> Result<Input, ApiError> {
    let missing = || {
        ApiError::Validation(ValidationErrors::single(
            "file",
            "Send a file to classify (multipart `file`), a `dataId`, or `features`.",
        ))
    };
    if small_form::is_multipart(&req) {
        let form = actix_multipart::Multipart::new(req.headers(), payload.take());
        let parts = small_form::read(form, MAX_INPUT_BYTES).await?;
        if let Some(file) = parts.get("file") {
            return Ok(Input::File(file.bytes.clone()));
        }
        return match parts.get("dataId").and_then(|p| p.text()) {
            Some(text) => text.parse().map(Input::DataId).map_err(|_| {
                ApiError::Validation(ValidationErrors::single("dataId", crate::body::INVALID_INTEGER))
            }),
            None => Err(missing()),
        };
    }
    let mut fields = Fields::from_request(&req, &mut payload).await?;
    if let Some(features) = fields.value("features").cloned() {
        let values = features
            .as_array()
            .and_then(|items| items.iter().map(Value::as_f64).collect::<Option<Vec<_>>>());
        return values.map(Input::Features).ok_or_else(|| {
            ApiError::Validation(ValidationErrors::single("features", "Enter a list of numbers."))
        });
    }
    if fields.value("dataId").is_some() {
        let id = fields.required_integer("dataId");
        fields.finish()?;
        return Ok(Input::DataId(id.unwrap_or_default()));
    }
    Err(missing())
}

/// The original answered `"message": 1` for a numeric class.
fn label_value(label: &str) -> Value {
    label.parse::<i64>().map_or_else(|_| json!(label), |n| json!(n))
}

#[utoipa::path(post, path = "/construct/detail/{name}/", tag = "models",
    summary = "Use the model: classify a picture (or a CSV row) with its current parameters",
    security(("token" = [])), params(("name" = String, Path)),
    request_body(content = PredictForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "`{\"result\": \"success\", \"message\": <predicted label>}`"),
              (status = 400, body = ErrorBody), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn use_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    name: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let input = read_input(req, payload.into_inner()).await?;
    let owner = auth.0.user.id;
    let (_, predictions) = blocking(move || {
        let model = state.models.by_name(owner, &name)?;
        predict(&state, &model, input)
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

#[utoipa::path(post, path = "/models/{id}/predict/", tag = "models",
    summary = "Classify a picture or CSV rows, with class probabilities",
    security(("token" = [])), params(("id" = i64, Path)),
    request_body(content = PredictForm, content_type = "multipart/form-data"),
    responses((status = 200, body = PredictBody), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn predict_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let input = read_input(req, payload.into_inner()).await?;
    let owner = auth.0.user.id;
    let id = id.into_inner();
    let (run_id, predictions) = blocking(move || {
        let model = state.models.by_id(owner, id)?;
        predict(&state, &model, input)
    })
    .await?;
    let predictions: Vec<PredictionView> = predictions.into_iter().map(PredictionView::from).collect();
    let (label, probabilities) = predictions
        .first()
        .map(|p| (p.label.clone(), p.probabilities.clone()))
        .unwrap_or_default();
    Ok(HttpResponse::Ok().json(PredictBody {
        run_id,
        label,
        probabilities,
        predictions,
    }))
}
