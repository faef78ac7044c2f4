//! Shapes of the account endpoints' bodies, for the OpenAPI document. Bodies are read
//! field by field (see `body.rs`) so that errors match DRF's.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct LoginRequest {
    /// Username (or leave empty and give `email`).
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct KeyResponse {
    /// Send it back as `Authorization: Token <key>`.
    pub key: String,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterRequest {
    pub username: String,
    pub email: String,
    pub password1: String,
    pub password2: String,
}

#[derive(Serialize, ToSchema)]
pub struct EmailRequest {
    pub email: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyEmailRequest {
    pub key: String,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordChangeRequest {
    pub old_password: String,
    pub new_password1: String,
    pub new_password2: String,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordResetConfirmRequest {
    pub uid: String,
    pub token: String,
    pub new_password1: String,
    pub new_password2: String,
}

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
            pk: u.id,
            username: u.username.clone(),
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserUpdateRequest {
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}
