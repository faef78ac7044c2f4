use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct StatusBody {
    pub status: String,
}

/// Liveness: answers without touching the database, so it stays fast under load.
#[utoipa::path(tag = "health", summary = "Liveness check",
    responses((status = 200, description = "The server is up", body = StatusBody)))]
#[get("/healthz/")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(StatusBody { status: "ok".into() })
}
