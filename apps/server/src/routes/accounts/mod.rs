//! `/rest-auth/...`: dj-rest-auth's endpoints.

pub mod dto;
pub mod login;
pub mod password;
pub mod registration;
pub mod user;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login::login)
        .service(login::logout)
        .service(password::reset)
        .service(password::reset_confirm)
        .service(password::change)
        .service(user::get_user)
        .service(user::put_user)
        .service(user::patch_user)
        .service(registration::register)
        .service(registration::verify_email)
        .service(registration::resend_email);
}

/// A success answer in dj-rest-auth's `{"detail": ...}` shape.
pub(crate) fn detail(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "detail": message }))
}
