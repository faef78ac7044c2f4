//! `/rest-auth/...`: dj-rest-auth's endpoints.

pub mod dto;
pub mod login;
pub mod password;
pub mod registration;
pub mod user;

use actix_web::{HttpResponse, web};
use serde_json::json;

use super::resource;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/rest-auth/login/").route(web::post().to(login::login)))
        .service(resource("/rest-auth/logout/").route(web::post().to(login::logout)))
        .service(resource("/rest-auth/password/reset/").route(web::post().to(password::reset)))
        .service(
            resource("/rest-auth/password/reset/confirm/").route(web::post().to(password::reset_confirm)),
        )
        .service(resource("/rest-auth/password/change/").route(web::post().to(password::change)))
        .service(
            resource("/rest-auth/user/")
                .route(web::get().to(user::get_user))
                .route(web::put().to(user::put_user))
                .route(web::patch().to(user::patch_user)),
        )
        .service(resource("/rest-auth/registration/").route(web::post().to(registration::register)))
        .service(
            resource("/rest-auth/registration/verify-email/")
                .route(web::post().to(registration::verify_email)),
        )
        .service(
            resource("/rest-auth/registration/resend-email/")
                .route(web::post().to(registration::resend_email)),
        );
}

pub(crate) fn detail(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "detail": message }))
}
