//! `/construct/config/` (names; save a configuration) and `/construct/detail/<name>/`.

use actix_web::{HttpResponse, get, post, web};
use common::DataId;

use super::dto::{ModelDetail, SaveConfigRequest};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "models",
    summary = "The user's model names, newest first: `[\"modelname2\", \"modelname\"]`",
    security(("token" = [])),
    responses((status = 200, body = Vec<String>), (status = 401, body = DetailBody)))]
#[get("/construct/config/")]
pub async fn names(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let names: Vec<String> = blocking(move || {
        Ok(state
            .bench
            .models()
            .list(owner)?
            .into_iter()
            .map(|m| m.name)
            .collect())
    })
    .await?;
    Ok(HttpResponse::Ok().json(names))
}

#[utoipa::path(tag = "models",
    summary = "Validate (shape inference on the model's data) and save a model's configuration",
    security(("token" = [])),
    responses((status = 200, description = "the model, as `GET /models/<id>/`", body = ModelDetail),
              (status = 400, description = "`{\"net_config.middle_layer[3]\": [\"...\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[post("/construct/config/")]
pub async fn save(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<SaveConfigRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_valid()?;
    let (name, data_id) = (body.model_name.unwrap_or_default(), body.data_id.map(DataId));
    let owner = auth.user();
    let saved = blocking(move || {
        let (model, runs) = state.bench.save_config(owner, &name, body.config.0, data_id)?;
        Ok(ModelDetail::new(&model, &runs))
    })
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[utoipa::path(tag = "models",
    summary = "A model's configuration, as saved",
    security(("token" = [])), params(("name" = String, Path, description = "model name")),
    responses((status = 200, description = "the configuration object"),
              (status = 401, body = DetailBody),
              (status = 404, description = "no such model, or no configuration saved yet", body = DetailBody)))]
#[get("/construct/detail/{name}/")]
pub async fn detail(
    state: web::Data<AppState>,
    auth: Authenticated,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let config = blocking(move || Ok(state.bench.model_config(owner, &name)?)).await?;
    let config = config.ok_or_else(|| ApiError::not_found("model_not_configured"))?;
    Ok(HttpResponse::Ok().json(config))
}
