//! `/construct/config/` (names; save a configuration) and `/construct/detail/<name>/`.

use actix_web::{HttpResponse, web};
use serde_json::{Map, Value};

use super::dto::ModelDetail;
use crate::auth::Authenticated;
use crate::body::Fields;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

#[utoipa::path(get, path = "/construct/config/", tag = "models",
    summary = "The user's model names, newest first: `[\"modelname2\", \"modelname\"]`",
    security(("token" = [])),
    responses((status = 200, body = Vec<String>), (status = 401, body = DetailBody)))]
pub async fn names(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let names: Vec<String> =
        blocking(move || Ok(state.models.list(owner)?.into_iter().map(|m| m.name).collect())).await?;
    Ok(HttpResponse::Ok().json(names))
}

/// The request body, for the document: `modelName`, optional `dataId`, and the
/// configuration's fields (`iter`, `learning_rate`, `ratio`, `loss_name`,
/// `optimizer_name`, `net_type`, `net_config`, optional `batch_size`, `seed`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SaveConfigBody {
    #[schema(rename = "modelName")]
    pub model_name: String,
    #[schema(rename = "dataId")]
    pub data_id: Option<i64>,
    pub iter: u64,
    pub learning_rate: f64,
    pub ratio: f64,
    pub loss_name: String,
    pub optimizer_name: String,
    pub net_type: String,
    pub net_config: Value,
}

#[utoipa::path(post, path = "/construct/config/", tag = "models",
    summary = "Validate (shape inference on the model's data) and save a model's configuration",
    security(("token" = [])), request_body = SaveConfigBody,
    responses((status = 200, description = "the model, as `GET /models/<id>/`", body = ModelDetail),
              (status = 400, description = "`{\"net_config.middle_layer[3]\": [\"...\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn save(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let body: Map<String, Value> = fields.all().clone();
    let (name, data_id) = fields.model_and_data()?;
    let owner = auth.0.user.id;
    let detail = blocking(move || {
        let model = state.models.save_config(owner, &name, &body, data_id)?;
        let runs = state.runs.runs_of_model(owner, model.id)?;
        Ok(ModelDetail::new(&model, &runs))
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}

#[utoipa::path(get, path = "/construct/detail/{name}/", tag = "models",
    summary = "A model's configuration, as saved",
    security(("token" = [])), params(("name" = String, Path, description = "model name")),
    responses((status = 200, description = "the configuration object"),
              (status = 401, body = DetailBody),
              (status = 404, description = "no such model, or no configuration saved yet", body = DetailBody)))]
pub async fn detail(
    state: web::Data<AppState>,
    auth: Authenticated,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let config = blocking(move || Ok(state.models.by_name(owner, &name)?.config)).await?;
    let config = config.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(config))
}
