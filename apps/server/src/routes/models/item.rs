//! `GET` and `DELETE /models/<id>/`.

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::dto::ModelDetail;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::openapi::DetailBody;
use crate::state::{AppState, blocking};

#[utoipa::path(get, path = "/models/{id}/", tag = "models",
    summary = "A model: its data, configuration, shape summary and parameter count",
    security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ModelDetail), (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn get_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let id = id.into_inner();
    let detail = blocking(move || {
        let model = state.models.by_id(owner, id)?;
        let runs = state.runs.runs_of_model(owner, id)?;
        Ok(ModelDetail::new(&model, &runs))
    })
    .await?;
    Ok(HttpResponse::Ok().json(detail))
}

#[utoipa::path(delete, path = "/models/{id}/", tag = "models",
    summary = "Delete a model with its runs and checkpoints (its uploads stay)",
    security(("token" = [])), params(("id" = i64, Path)),
    responses((status = 200, description = "`{\"message\": \"success\"}`"),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn delete_model(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let id = id.into_inner();
    let deleted = blocking(move || {
        let runs = state.runs.runs_of_model(owner, id)?;
        let deleted = state.models.delete(owner, id)?;
        if deleted {
            state.runs.forget(&runs)?;
        }
        Ok(deleted)
    })
    .await?;
    if !deleted {
        return Err(ApiError::NotFound);
    }
    Ok(HttpResponse::Ok().json(json!({"message": "success"})))
}
