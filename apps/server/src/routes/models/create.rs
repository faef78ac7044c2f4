//! `POST /data/create/`: a new, empty model (optionally with its data).

use actix_web::{HttpResponse, post, web};
use common::DataId;

use super::dto::{CreatedModel, ModelDataRequest};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "models",
    summary = "Create a named model (a project: its data, labels, network and runs)",
    security(("token" = [])),
    responses((status = 201, body = CreatedModel),
              (status = 400, description = "`{\"modelName\": [\"A model with this name already exists.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, description = "no such upload", body = DetailBody)))]
#[post("/data/create/")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<ModelDataRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_valid()?;
    let (name, data_id) = (body.model_name.unwrap_or_default(), body.data_id.map(DataId));
    let owner = auth.user();
    let model = blocking(move || Ok(state.bench.models().create(owner, &name, data_id)?)).await?;
    Ok(HttpResponse::Created().json(CreatedModel {
        id: model.id.get(),
        name: model.name,
    }))
}
