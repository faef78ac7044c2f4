//! What clients send to each use case. A field is `None` when it was absent from a
//! partial update, or when the caller already recorded a parse error for it.

#[derive(Debug, Default, Clone)]
pub struct RegistrationForm {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password1: Option<String>,
    pub password2: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct LoginForm {
    pub username: String,
    pub email: String,
    pub password: Option<String>,
    /// The client's address, for throttling.
    pub client_address: String,
}

#[derive(Debug, Default, Clone)]
pub struct PasswordChangeForm {
    pub old_password: Option<String>,
    pub new_password1: Option<String>,
    pub new_password2: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct PasswordResetConfirmForm {
    pub uid: Option<String>,
    pub token: Option<String>,
    pub new_password1: Option<String>,
    pub new_password2: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct ProfileForm {
    pub username: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}
