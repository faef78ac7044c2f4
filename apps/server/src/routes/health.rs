use actix_web::HttpResponse;
use serde_json::json;

/// Liveness: answers without touching the database, so it stays fast under load.
#[utoipa::path(get, path = "/healthz/", tag = "health", summary = "Liveness check",
    responses((status = 200, description = "The server is up", body = crate::openapi::StatusBody)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}
