use accounts::{RegistrationForm, RegistrationOutcome};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};

use super::detail;
use super::dto::{EmailRequest, KeyResponse, RegisterRequest, VerifyEmailRequest};
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "accounts",
    summary = "Sign up; a confirmation mail is sent unless verification is off",
    responses((status = 201, description = "`{\"detail\": \"Verification e-mail sent.\"}`, or `{\"key\"}` when verification is not mandatory", body = KeyResponse),
              (status = 400, body = ErrorBody)))]
#[post("/rest-auth/registration/")]
pub async fn register(
    state: web::Data<AppState>,
    body: Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = RegistrationForm {
        username: body.username,
        email: body.email,
        password1: body.password1,
        password2: body.password2,
    };
    let outcome = blocking(move || Ok(state.accounts.register(form, errors)?)).await?;
    Ok(match outcome {
        RegistrationOutcome::VerificationSent => detail(StatusCode::CREATED, "Verification e-mail sent."),
        RegistrationOutcome::LoggedIn(key) => HttpResponse::Created().json(KeyResponse { key }),
    })
}

#[utoipa::path(tag = "accounts",
    summary = "Confirm an e-mail address with the key from the mail",
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody), (status = 404, body = DetailBody)))]
#[post("/rest-auth/registration/verify-email/")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: Json<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let key = body.into_valid()?.key.unwrap_or_default();
    blocking(move || Ok(state.accounts.verify_email(&key)?)).await?;
    Ok(detail(StatusCode::OK, "ok"))
}

#[utoipa::path(tag = "accounts",
    summary = "Send the confirmation mail again (same answer for unknown addresses)",
    responses((status = 200, body = DetailBody), (status = 400, body = ErrorBody)))]
#[post("/rest-auth/registration/resend-email/")]
pub async fn resend_email(
    state: web::Data<AppState>,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = body.into_valid()?.email.unwrap_or_default();
    blocking(move || Ok(state.accounts.resend_verification(&email)?)).await?;
    Ok(detail(StatusCode::OK, "ok"))
}
