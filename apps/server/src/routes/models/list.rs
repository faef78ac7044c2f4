//! `GET /models/list/`.

use actix_web::{HttpResponse, get, web};

use super::dto::ModelListItem;
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody};
use crate::state::{AppState, blocking};
use crate::time::rfc3339_micros;

#[utoipa::path(tag = "models",
    summary = "The user's models, newest first, with status and best accuracy",
    security(("token" = [])),
    responses((status = 200, body = Vec<ModelListItem>), (status = 401, body = DetailBody)))]
#[get("/models/list/")]
pub async fn list(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    let owner = auth.user();
    let overviews = blocking(move || Ok(state.bench.model_overviews(owner)?)).await?;
    let rows: Vec<ModelListItem> = overviews
        .into_iter()
        .map(|o| ModelListItem {
            id: o.model.id.get(),
            created_at: rfc3339_micros(o.model.created_at),
            name: o.model.name,
            status: o.status,
            best_accuracy: o.best_accuracy,
            data_id: o.model.data_id.map(|d| d.get()),
            parameter_count: o.parameter_count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}
