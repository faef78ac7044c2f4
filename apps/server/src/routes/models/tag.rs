//! `POST /data/tag/`: labels for the pictures of a model's data.

use accounts::ValidationErrors;
use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::LabelCount;
use crate::auth::Authenticated;
use crate::body::REQUIRED;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::small_form;
use crate::state::{AppState, blocking};

/// A labels file larger than this is refused (about 100,000 labels).
const MAX_LABELS_BYTES: usize = 16 * 1024 * 1024;

/// The form, for the document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct TagForm {
    #[schema(rename = "modelName")]
    pub model_name: String,
    /// JSON object: a picture's relative path in the model's data → its label.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[utoipa::path(post, path = "/data/tag/", tag = "models",
    summary = "Label the pictures of a model's data (labels override class folders)",
    security(("token" = [])), request_body(content = TagForm, content_type = "multipart/form-data"),
    responses((status = 200, body = LabelCount),
              (status = 400, description = "`{\"file\": [\"No such picture in the model's data: a.png.\"]}`", body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody), (status = 413, body = DetailBody)))]
pub async fn tag(
    state: web::Data<AppState>,
    auth: Authenticated,
    req: HttpRequest,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    if !small_form::is_multipart(&req) {
        return Err(ApiError::BadRequest(
            "Unsupported media type in request: send multipart/form-data.".into(),
        ));
    }
    let parts = small_form::read(form, MAX_LABELS_BYTES).await?;
    let mut errors = ValidationErrors::new();
    let name = match parts.get("modelName").map(|p| p.text()) {
        None => {
            errors.add("modelName", REQUIRED);
            None
        }
        Some(Some(name)) if !name.is_empty() => Some(name.to_owned()),
        Some(_) => {
            errors.add("modelName", crate::body::MAY_NOT_BE_BLANK);
            None
        }
    };
    let file = parts.get("file").map(|p| p.bytes.clone());
    if file.is_none() {
        errors.add("file", "No file was submitted.");
    }
    let (Some(name), Some(file)) = (name, file) else {
        return Err(ApiError::Validation(errors));
    };
    let owner = auth.0.user.id;
    let labels = blocking(move || Ok(state.models.tag(owner, &name, &file)?)).await?;
    Ok(HttpResponse::Ok().json(LabelCount { labels }))
}
