//! `GET` and `DELETE /models/<id>/`.

use actix_web::{HttpResponse, delete, get, web};
use common::ModelId;

use super::dto::ModelDetail;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, MessageBody};
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "models",
    summary = "A model: its data, configuration, shape summary and parameter count",
    security(("token" = [])),
    responses((status = 200, body = ModelDetail), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/models/{id:[0-9]+}/")]
pub async fn get_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let id = ModelId(id.into_inner());
    let detail = blocking(move || {
        let (model, runs) = state.bench.model_with_runs(owner, id)?;
        Ok(ModelDetail::new(&model, &runs))
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}

#[utoipa::path(tag = "models",
    summary = "Delete a model with its runs and checkpoints (its uploads stay)",
    security(("token" = [])),
    responses((status = 200, description = "Deleted with its runs and checkpoints", body = MessageBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[delete("/models/{id:[0-9]+}/")]
pub async fn delete_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let id = ModelId(id.into_inner());
    let deleted = blocking(move || Ok(state.bench.delete_model(owner, id)?)).await?;
    if !deleted {
        return Err(ApiError::not_found("model_not_found"));
    }
    Ok(HttpResponse::Ok().json(MessageBody::success()))
}
