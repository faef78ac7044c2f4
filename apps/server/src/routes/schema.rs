//! `GET /api/schema/`: the OpenAPI document (outside itself, like `/api/docs/`). It is
//! serialized once at start (84 KB of JSON) and shared by every HTTP worker: as utoipa's
//! structures it takes 2.5 MB, and Swagger UI's way (two copies per worker) cost that on
//! every core plus a new serialization on every request.

use actix_web::http::header::ContentType;
use actix_web::web::{self, Bytes};
use actix_web::{HttpResponse, get};
use utoipa::openapi::OpenApi;

/// The document as JSON.
pub struct SchemaJson(Bytes);

impl SchemaJson {
    pub fn new(document: &OpenApi) -> serde_json::Result<Self> {
        Ok(Self(Bytes::from(serde_json::to_vec(document)?)))
    }
}

#[get("/api/schema/")]
pub async fn schema(json: web::Data<SchemaJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(json.0.clone())
}
