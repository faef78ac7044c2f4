//! Every route of the service, in one place.

pub mod accounts;
pub mod data;
pub mod generation;
pub mod health;
pub mod models;
pub mod preprocess;
pub mod runtime;

use actix_web::{HttpRequest, HttpResponse, Resource, ResponseError, web};

use crate::error::ApiError;

/// A resource whose unlisted methods answer DRF's 405.
pub fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn method_not_allowed(req: HttpRequest) -> HttpResponse {
    ApiError::MethodNotAllowed(req.method().to_string()).error_response()
}

pub async fn not_found() -> HttpResponse {
    ApiError::NotFound.error_response()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz/").route(web::get().to(health::healthz)));
    accounts::configure(cfg);
    data::configure(cfg);
    preprocess::configure(cfg);
    models::configure(cfg);
    generation::configure(cfg);
    runtime::configure(cfg);
}
