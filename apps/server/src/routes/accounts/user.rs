use accounts::ProfileForm;
use actix_web::{HttpResponse, get, patch, put, web};

use super::dto::{UserDetails, UserReplaceRequest, UserUpdateRequest};
use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::request::Json;
use crate::state::{AppState, blocking};

#[utoipa::path(tag = "accounts", summary = "The logged-in user",
    security(("token" = [])), responses((status = 200, body = UserDetails), (status = 401, body = DetailBody)))]
#[get("/rest-auth/user/")]
pub async fn get_user(auth: Authenticated) -> HttpResponse {
    HttpResponse::Ok().json(UserDetails::from(&auth.0.user))
}

#[utoipa::path(tag = "accounts",
    summary = "Replace username, first and last name (e-mail is read-only)", security(("token" = [])),
    responses((status = 200, body = UserDetails), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[put("/rest-auth/user/")]
pub async fn put_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<UserReplaceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = ProfileForm {
        username: body.username,
        first_name: body.first_name,
        last_name: body.last_name,
    };
    update(state, auth, form, errors).await
}

#[utoipa::path(tag = "accounts",
    summary = "Change some of username, first and last name", security(("token" = [])),
    responses((status = 200, body = UserDetails), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
#[patch("/rest-auth/user/")]
pub async fn patch_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<UserUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let form = ProfileForm {
        username: body.username,
        first_name: body.first_name,
        last_name: body.last_name,
    };
    update(state, auth, form, errors).await
}

async fn update(
    state: web::Data<AppState>,
    auth: Authenticated,
    form: ProfileForm,
    errors: common::FieldErrors,
) -> Result<HttpResponse, ApiError> {
    let user = blocking(move || Ok(state.accounts.update_profile(&auth.0.user, form, errors)?)).await?;
    Ok(HttpResponse::Ok().json(UserDetails::from(&user)))
}
