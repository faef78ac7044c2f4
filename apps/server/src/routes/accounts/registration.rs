use accounts::{RegistrationForm, RegistrationOutcome};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::detail;
use super::dto::{EmailRequest, KeyResponse, RegisterRequest, VerifyEmailRequest};
use crate::body::{Fields, Text};
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

#[utoipa::path(post, path = "/rest-auth/registration/", tag = "accounts",
    summary = "Sign up; a confirmation mail is sent unless verification is off",
    request_body = RegisterRequest,
    responses((status = 201, description = "`{\"detail\": \"Verification e-mail sent.\"}`, or `{\"key\"}` when verification is not mandatory", body = KeyResponse),
              (status = 400, body = ErrorBody)))]
pub async fn register(state: web::Data<AppState>, mut fields: Fields) -> Result<HttpResponse, ApiError> {
    let form = RegistrationForm {
        username: fields.required("username", Text::max(150)),
        email: fields.required("email", Text::plain()),
        password1: fields.required("password1", Text::plain()),
        password2: fields.required("password2", Text::plain()),
    };
    let errors = fields.into_errors();
    let outcome = blocking(move || Ok(state.accounts.register(form, errors)?)).await?;
    Ok(match outcome {
        RegistrationOutcome::VerificationSent => detail(StatusCode::CREATED, "Verification e-mail sent."),
        RegistrationOutcome::LoggedIn(key) => HttpResponse::Created().json(json!({ "key": key })),
    })
}

#[utoipa::path(post, path = "/rest-auth/registration/verify-email/", tag = "accounts",
    summary = "Confirm an e-mail address with the key from the mail",
    request_body = VerifyEmailRequest,
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody), (status = 404, body = DetailBody)))]
pub async fn verify_email(state: web::Data<AppState>, mut fields: Fields) -> Result<HttpResponse, ApiError> {
    let key = fields.required("key", Text::plain());
    fields.finish()?;
    let key = key.unwrap_or_default();
    blocking(move || Ok(state.accounts.verify_email(&key)?)).await?;
    Ok(detail(StatusCode::OK, "ok"))
}

#[utoipa::path(post, path = "/rest-auth/registration/resend-email/", tag = "accounts",
    summary = "Send the confirmation mail again (same answer for unknown addresses)",
    request_body = EmailRequest, responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
pub async fn resend_email(state: web::Data<AppState>, mut fields: Fields) -> Result<HttpResponse, ApiError> {
    let email = fields.required("email", Text::plain());
    fields.finish()?;
    let email = email.unwrap_or_default();
    blocking(move || Ok(state.accounts.resend_verification(&email)?)).await?;
    Ok(detail(StatusCode::OK, "ok"))
}
