use accounts::LoginForm;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use super::detail;
use super::dto::{KeyResponse, LoginRequest};
use crate::auth::Authenticated;
use crate::body::{Fields, Text};
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

#[utoipa::path(post, path = "/rest-auth/login/", tag = "accounts", summary = "Log in with username or e-mail",
    request_body = LoginRequest,
    responses((status = 200, body = KeyResponse), (status = 400, body = ErrorBody),
              (status = 429, description = "Too many failed logins", body = DetailBody)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    mut fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let form = LoginForm {
        username: fields
            .optional("username", Text::plain().blank_ok())
            .unwrap_or_default(),
        email: fields
            .optional("email", Text::plain().blank_ok())
            .unwrap_or_default(),
        password: fields.required("password", Text::plain()),
        client_address: req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default(),
    };
    let errors = fields.into_errors();
    let key = blocking(move || Ok(state.accounts.login(form, errors)?)).await?;
    Ok(HttpResponse::Ok().json(json!({ "key": key })))
}

#[utoipa::path(post, path = "/rest-auth/logout/", tag = "accounts", summary = "Log out (the key stops working)",
    security(("token" = [])),
    responses((status = 200, body = DetailBody), (status = 401, body = DetailBody)))]
pub async fn logout(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    blocking(move || Ok(state.accounts.logout(&auth.0)?)).await?;
    Ok(detail(StatusCode::OK, "Successfully logged out."))
}
