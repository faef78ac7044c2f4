//! What clients send to each use case. A field is `None` when it was absent from a
//! partial update, or when the caller already recorded a parse error for it.

/// Sign-up (dj-rest-auth's `RegisterSerializer`).
#[derive(Debug, Default, Clone)]
pub struct RegistrationForm {
    /// The wanted username.
    pub username: Option<String>,
    /// The address the confirmation is mailed to.
    pub email: Option<String>,
    /// The password, checked by the password validators.
    pub password1: Option<String>,
    /// The password again; must equal `password1`.
    pub password2: Option<String>,
}

/// Logging in by username or by e-mail address (an empty string means not given).
#[derive(Debug, Default, Clone)]
pub struct LoginForm {
    /// The username, or `""`.
    pub username: String,
    /// The e-mail address, or `""`; preferred over `username` when both are given.
    pub email: String,
    /// The password; `None` is reported as a required field.
    pub password: Option<String>,
    /// The client's address, for throttling.
    pub client_address: String,
}

/// Changing one's own password while logged in.
#[derive(Debug, Default, Clone)]
pub struct PasswordChangeForm {
    /// The current password, checked against the stored hash.
    pub old_password: Option<String>,
    /// The new password.
    pub new_password1: Option<String>,
    /// The new password again; must equal `new_password1`.
    pub new_password2: Option<String>,
}

/// Setting a new password from the link of a reset mail.
#[derive(Debug, Default, Clone)]
pub struct PasswordResetConfirmForm {
    /// The user's id, base64url-encoded, from the link.
    pub uid: Option<String>,
    /// The reset token from the link.
    pub token: Option<String>,
    /// The new password.
    pub new_password1: Option<String>,
    /// The new password again; must equal `new_password1`.
    pub new_password2: Option<String>,
}

/// Editing one's own profile; absent fields keep their value.
#[derive(Debug, Default, Clone)]
pub struct ProfileForm {
    /// A new username.
    pub username: Option<String>,
    /// A new first name (may be empty).
    pub first_name: Option<String>,
    /// A new last name (may be empty).
    pub last_name: Option<String>,
}
