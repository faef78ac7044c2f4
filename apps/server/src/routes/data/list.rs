use actix_web::{HttpResponse, web};
use datastore::{FileClass, ListQuery};

use super::dto::DataListItem;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::query::QueryParams;
use crate::state::{AppState, blocking};

#[utoipa::path(get, path = "/data/list/", tag = "data", summary = "The user's uploads, newest first",
    security(("token" = [])),
    params(("file_class" = Option<String>, Query, description = "doc, code, audio or picture"),
           ("offset" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = [DataListItem]), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let mut errors = accounts::ValidationErrors::new();
    let class = query.choice::<FileClass>("file_class", &mut errors);
    let offset = query.unsigned("offset", &mut errors).unwrap_or(0);
    let limit = query.unsigned("limit", &mut errors);
    errors.into_result()?;
    let owner = auth.0.user.id;
    let items = blocking(move || Ok(state.data.list(owner, &ListQuery { class, offset, limit })?)).await?;
    Ok(HttpResponse::Ok().json(items.iter().map(DataListItem::from).collect::<Vec<_>>()))
}
