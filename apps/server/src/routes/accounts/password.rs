use accounts::{PasswordChangeForm, PasswordResetConfirmForm};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::detail;
use super::dto::{EmailRequest, PasswordChangeRequest, PasswordResetConfirmRequest};
use crate::auth::Authenticated;
use crate::body::{Fields, Text};
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

/// dj-rest-auth limits its password fields to 128 characters.
const PASSWORD: Text = Text::max(128);

#[utoipa::path(post, path = "/rest-auth/password/reset/", tag = "accounts",
    summary = "Mail a password-reset link (same answer for unknown addresses)",
    request_body = EmailRequest, responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
pub async fn reset(state: web::Data<AppState>, mut fields: Fields) -> Result<HttpResponse, ApiError> {
    let email = fields.required("email", Text::plain());
    fields.finish()?;
    let email = email.unwrap_or_default();
    blocking(move || Ok(state.accounts.request_password_reset(&email)?)).await?;
    Ok(detail(StatusCode::OK, "Password reset e-mail has been sent."))
}

#[utoipa::path(post, path = "/rest-auth/password/reset/confirm/", tag = "accounts",
    summary = "Set a new password with the uid and token from the reset mail",
    request_body = PasswordResetConfirmRequest,
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
pub async fn reset_confirm(state: web::Data<AppState>, mut fields: Fields) -> Result<HttpResponse, ApiError> {
    let form = PasswordResetConfirmForm {
        new_password1: fields.required("new_password1", PASSWORD),
        new_password2: fields.required("new_password2", PASSWORD),
        uid: fields.required("uid", Text::plain()),
        token: fields.required("token", Text::plain()),
    };
    let errors = fields.into_errors();
    blocking(move || Ok(state.accounts.confirm_password_reset(form, errors)?)).await?;
    Ok(detail(
        StatusCode::OK,
        "Password has been reset with the new password.",
    ))
}

#[utoipa::path(post, path = "/rest-auth/password/change/", tag = "accounts",
    summary = "Change the password (every session is logged out)", security(("token" = [])),
    request_body = PasswordChangeRequest,
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
pub async fn change(
    state: web::Data<AppState>,
    auth: Authenticated,
    mut fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let form = PasswordChangeForm {
        old_password: fields.required("old_password", PASSWORD),
        new_password1: fields.required("new_password1", PASSWORD),
        new_password2: fields.required("new_password2", PASSWORD),
    };
    let errors = fields.into_errors();
    blocking(move || Ok(state.accounts.change_password(&auth.0.user, form, errors)?)).await?;
    Ok(detail(StatusCode::OK, "New password has been saved."))
}
