use accounts::LoginForm;
use actix_web::{HttpRequest, HttpResponse, post, web};

use super::dto::{KeyResponse, LoginRequest};
use crate::auth::Authenticated;
use crate::client_address::TrustedProxies;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "accounts", summary = "Log in with username or e-mail",
    responses((status = 200, body = KeyResponse), (status = 400, body = ErrorBody),
              (status = 429, description = "Too many failed logins", body = DetailBody)))]
#[post("/rest-auth/login/")]
pub async fn login(
    state: web::Data<AppState>,
    proxies: web::Data<TrustedProxies>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = LoginForm {
        username: body.username.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        password: body.password,
        client_address: proxies.client_of(&req),
    };
    let key = blocking(move || Ok(state.accounts.login(form, errors)?)).await?;
    Ok(HttpResponse::Ok().json(KeyResponse { key }))
}

#[utoipa::path(tag = "accounts", summary = "Log out (the key stops working)",
    security(("token" = [])),
    responses((status = 200, body = DetailBody), (status = 401, body = DetailBody)))]
#[post("/rest-auth/logout/")]
pub async fn logout(state: web::Data<AppState>, auth: Authenticated) -> Result<HttpResponse, ApiError> {
    blocking(move || Ok(state.accounts.logout(&auth.0)?)).await?;
    Ok(super::detail(
        actix_web::http::StatusCode::OK,
        "Successfully logged out.",
    ))
}
