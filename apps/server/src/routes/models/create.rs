//! `POST /data/create/`: a new, empty model (optionally with its data).

use actix_web::{HttpResponse, web};

use super::dto::CreatedModel;
use crate::auth::Authenticated;
use crate::body::Fields;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

/// The request body, for the document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CreateModelBody {
    #[schema(rename = "modelName")]
    pub model_name: String,
    /// Optional: the upload (image-folder zip or CSV) the model trains on.
    #[schema(rename = "dataId")]
    pub data_id: Option<i64>,
}

#[utoipa::path(post, path = "/data/create/", tag = "models",
    summary = "Create a named model (a project: its data, labels, network and runs)",
    security(("token" = [])), request_body = CreateModelBody,
    responses((status = 201, body = CreatedModel),
              (status = 400, description = "`{\"modelName\": [\"A model with this name already exists.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, description = "no such upload", body = DetailBody)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let (name, data_id) = fields.model_and_data()?;
    let owner = auth.0.user.id;
    let model = blocking(move || Ok(state.models.create(owner, &name, data_id)?)).await?;
    Ok(HttpResponse::Created().json(CreatedModel {
        id: model.id,
        name: model.name,
    }))
}
