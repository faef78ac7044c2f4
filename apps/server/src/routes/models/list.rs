//! `GET /models/list/`.

use actix_web::{HttpResponse, web};
use models::service::summary_of;

use super::dto::ModelListItem;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::openapi::DetailBody;
use crate::state::{AppState, blocking};
use crate::time::rfc3339_micros;

#[utoipa::path(get, path = "/models/list/", tag = "models",
    summary = "The user's models, newest first, with status and best accuracy",
    security(("token" = [])),
    responses((status = 200, body = Vec<ModelListItem>), (status = 401, body = DetailBody)))]
pub async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.0.user.id;
    let rows: Vec<ModelListItem> = blocking(move || {
        let mut rows = Vec::new();
        for model in state.models.list(owner)? {
            let runs = state.runs.runs_of_model(owner, model.id)?;
            let status = match runs.first() {
                Some(latest) => latest.status.as_str(),
                None if model.config.is_some() => "configured",
                None => "new",
            };
            rows.push(ModelListItem {
                id: model.id,
                name: model.name.clone(),
                created_at: rfc3339_micros(model.created_at),
                status: status.to_owned(),
                best_accuracy: runs.iter().filter_map(|r| r.final_accuracy).reduce(f64::max),
                data_id: model.data_id,
                parameter_count: summary_of(&model).and_then(|s| s.ok()).map(|s| s.total_params),
            });
        }
        Ok(rows)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}
