//! `POST /data/tag/`: labels for the pictures of a model's data.

use actix_web::{HttpResponse, post, web};

use super::dto::{LabelCount, TagForm};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "models",
    summary = "Label the pictures of a model's data (labels override class folders)",
    security(("token" = [])),
    responses((status = 200, body = LabelCount),
              (status = 400, description = "`{\"file\": [\"No such picture in the model's data: a.png.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody), (status = 413, body = DetailBody)))]
#[post("/data/tag/")]
pub async fn tag(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<TagForm>,
) -> Result<HttpResponse, ApiError> {
    let form = body.into_valid()?;
    let (name, file) = (form.model_name.unwrap_or_default(), form.file.map(|f| f.content));
    let owner = auth.user();
    let labels = blocking(move || {
        Ok(state
            .bench
            .models()
            .tag(owner, &name, &file.unwrap_or_default())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(LabelCount { labels }))
}
