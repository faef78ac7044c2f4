use actix_web::{HttpResponse, get, web};
use datastore::ListQuery;

use super::dto::{DataListItem, ListParams};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Query;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "data", summary = "The user's uploads, newest first",
    security(("token" = [])), params(ListParams),
    responses((status = 200, body = [DataListItem]), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[get("/data/list/")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let query = ListQuery {
        class: params.file_class.map(Into::into),
        offset: params.offset.unwrap_or(0),
        limit: params.limit,
    };
    let owner = auth.user();
    let items = blocking(move || Ok(state.bench.data().list(owner, &query)?)).await?;
    Ok(HttpResponse::Ok().json(items.iter().map(DataListItem::from).collect::<Vec<_>>()))
}
