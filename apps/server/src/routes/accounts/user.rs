use accounts::ProfileForm;
use actix_web::{HttpResponse, web};

use super::dto::{UserDetails, UserUpdateRequest};
use crate::auth::Authenticated;
use crate::body::{Fields, Text};
use crate::error::ApiError;
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

/// Django's limits on these user-model fields.
const NAME: Text = Text::max(150);

#[utoipa::path(get, path = "/rest-auth/user/", tag = "accounts", summary = "The logged-in user",
    security(("token" = [])), responses((status = 200, body = UserDetails), (status = 401, body = DetailBody)))]
pub async fn get_user(auth: Authenticated) -> HttpResponse {
    HttpResponse::Ok().json(UserDetails::from(&auth.0.user))
}

#[utoipa::path(put, path = "/rest-auth/user/", tag = "accounts",
    summary = "Replace username, first and last name (e-mail is read-only)", security(("token" = [])),
    request_body = UserUpdateRequest,
    responses((status = 200, body = UserDetails), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
pub async fn put_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    update(state, auth, fields, false).await
}

#[utoipa::path(patch, path = "/rest-auth/user/", tag = "accounts",
    summary = "Change some of username, first and last name", security(("token" = [])),
    request_body = UserUpdateRequest,
    responses((status = 200, body = UserDetails), (status = 400, body = ErrorBody), (status = 401, body = DetailBody)))]
pub async fn patch_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    update(state, auth, fields, true).await
}

async fn update(
    state: web::Data<AppState>,
    auth: Authenticated,
    mut fields: Fields,
    partial: bool,
) -> Result<HttpResponse, ApiError> {
    let form = ProfileForm {
        username: if partial {
            fields.optional("username", NAME)
        } else {
            fields.required("username", NAME)
        },
        first_name: fields.optional("first_name", NAME.blank_ok()),
        last_name: fields.optional("last_name", NAME.blank_ok()),
    };
    let errors = fields.into_errors();
    let user = blocking(move || Ok(state.accounts.update_profile(&auth.0.user, form, errors)?)).await?;
    Ok(HttpResponse::Ok().json(UserDetails::from(&user)))
}
