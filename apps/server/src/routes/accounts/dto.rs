//! The account endpoints' request and response bodies. Fields are read by the rules
//! these types document (see `crate::request`); every field is optional in Rust so a
//! form with errors still reaches the service, which reports all errors together.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::request::RequestBody;

/// `POST /rest-auth/login/`: a username or an e-mail address, and the password.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Username (or leave empty and give `email`).
    pub username: Option<String>,
    /// E-mail address (wins over `username` when both are given).
    pub email: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub password: Option<String>,
}

impl RequestBody for LoginRequest {}

#[derive(Serialize, ToSchema)]
pub struct KeyResponse {
    /// Send it back as `Authorization: Token <key>`.
    pub key: String,
}

/// `POST /rest-auth/registration/`.
#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    #[schema(required = true, min_length = 1, max_length = 150, pattern = r"^[\w.@+-]+$")]
    pub username: Option<String>,
    #[schema(
        required = true,
        min_length = 1,
        max_length = 320,
        pattern = r"^[A-Za-z0-9_+-]{1,32}(\.[A-Za-z0-9_+-]{1,15}){0,2}@([A-Za-z0-9]{1,20}(-[A-Za-z0-9]{1,20}){0,2}\.){1,4}[A-Za-z]{2,20}$"
    )]
    pub email: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub password1: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub password2: Option<String>,
}

impl RequestBody for RegisterRequest {}

/// An e-mail address (password reset, resending the confirmation).
#[derive(Deserialize, ToSchema)]
pub struct EmailRequest {
    /// Plain ASCII addresses, as the document states them: a subset of what the server
    /// accepts (Django's rules: it also takes the other dot-atom symbols, quoted local
    /// parts, IP literals and international domains).
    #[schema(
        required = true,
        min_length = 1,
        max_length = 320,
        pattern = r"^[A-Za-z0-9_+-]{1,32}(\.[A-Za-z0-9_+-]{1,15}){0,2}@([A-Za-z0-9]{1,20}(-[A-Za-z0-9]{1,20}){0,2}\.){1,4}[A-Za-z]{2,20}$"
    )]
    pub email: Option<String>,
}

impl RequestBody for EmailRequest {}

/// The key from the confirmation mail.
#[derive(Deserialize, ToSchema)]
pub struct VerifyEmailRequest {
    #[schema(required = true, min_length = 1)]
    pub key: Option<String>,
}

impl RequestBody for VerifyEmailRequest {}

/// `POST /rest-auth/password/change/`.
#[derive(Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub old_password: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub new_password1: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub new_password2: Option<String>,
}

impl RequestBody for PasswordChangeRequest {}

/// `POST /rest-auth/password/reset/confirm/`, with the uid and token of the mail.
#[derive(Deserialize, ToSchema)]
pub struct PasswordResetConfirmRequest {
    #[schema(required = true, min_length = 1)]
    pub uid: Option<String>,
    #[schema(required = true, min_length = 1)]
    pub token: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub new_password1: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 128)]
    pub new_password2: Option<String>,
}

impl RequestBody for PasswordResetConfirmRequest {}

#[derive(Serialize, ToSchema)]
pub struct UserDetails {
    pub pk: i64,
    pub username: String,
    /// Read-only.
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

impl From<&accounts::User> for UserDetails {
    fn from(u: &accounts::User) -> Self {
        UserDetails {
            pk: u.id.get(),
            username: u.username.clone(),
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
        }
    }
}

/// `PUT` (username required) and `PATCH` `/rest-auth/user/`; the e-mail is read-only.
#[derive(Deserialize, ToSchema)]
pub struct UserUpdateRequest {
    #[schema(min_length = 1, max_length = 150, pattern = r"^[\w.@+-]+$")]
    pub username: Option<String>,
    #[schema(max_length = 150)]
    pub first_name: Option<String>,
    #[schema(max_length = 150)]
    pub last_name: Option<String>,
}

impl RequestBody for UserUpdateRequest {}

/// `PUT /rest-auth/user/`: like PATCH, with the username required.
#[derive(Deserialize, ToSchema)]
pub struct UserReplaceRequest {
    #[schema(required = true, min_length = 1, max_length = 150, pattern = r"^[\w.@+-]+$")]
    pub username: Option<String>,
    #[schema(max_length = 150)]
    pub first_name: Option<String>,
    #[schema(max_length = 150)]
    pub last_name: Option<String>,
}

impl RequestBody for UserReplaceRequest {}
