use accounts::{PasswordChangeForm, PasswordResetConfirmForm};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};

use super::detail;
use super::dto::{EmailRequest, PasswordChangeRequest, PasswordResetConfirmRequest};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "accounts",
    summary = "Mail a password-reset link (same answer for unknown addresses)",
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
#[post("/rest-auth/password/reset/")]
pub async fn reset(state: web::Data<AppState>, body: Json<EmailRequest>) -> Result<HttpResponse, ApiError> {
    let email = body.into_valid()?.email.unwrap_or_default();
    blocking(move || Ok(state.accounts.request_password_reset(&email)?)).await?;
    Ok(detail(StatusCode::OK, "Password reset e-mail has been sent."))
}

#[utoipa::path(tag = "accounts",
    summary = "Set a new password with the uid and token from the reset mail",
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
#[post("/rest-auth/password/reset/confirm/")]
pub async fn reset_confirm(
    state: web::Data<AppState>,
    body: Json<PasswordResetConfirmRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = PasswordResetConfirmForm {
        new_password1: body.new_password1,
        new_password2: body.new_password2,
        uid: body.uid,
        token: body.token,
    };
    blocking(move || Ok(state.accounts.confirm_password_reset(form, errors)?)).await?;
    Ok(detail(
        StatusCode::OK,
        "Password has been reset with the new password.",
    ))
}

#[utoipa::path(tag = "accounts",
    summary = "Change the password (every session is logged out)", security(("token" = [])),
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[post("/rest-auth/password/change/")]
pub async fn change(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = PasswordChangeForm {
        old_password: body.old_password,
        new_password1: body.new_password1,
        new_password2: body.new_password2,
    };
    blocking(move || Ok(state.accounts.change_password(&auth.0.user, form, errors)?)).await?;
    Ok(detail(StatusCode::OK, "New password has been saved."))
}
