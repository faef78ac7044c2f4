//! The records the accounts domain works with.

use chrono::{DateTime, Utc};

pub use common::UserId;

/// A stored account, as Django's `auth.User` (plus allauth's verification flag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Assigned by the repository.
    pub id: UserId,
    /// Unique ignoring case; the rules are in [`validate_username`](crate::validate::validate_username).
    pub username: String,
    /// Unique ignoring case; the address mails go to.
    pub email: String,
    /// Optional; compared with new passwords for similarity.
    pub first_name: String,
    /// Optional; compared with new passwords for similarity.
    pub last_name: String,
    /// bcrypt hash (`$2b$...`); never the password itself.
    pub password_hash: String,
    /// False for disabled accounts: they cannot log in and get no reset mail.
    pub is_active: bool,
    /// Administrators; sign-up never sets it, only [`AccountService::create_user`](crate::AccountService::create_user).
    pub is_staff: bool,
    /// Whether the address was confirmed through a mailed key (or vouched for at creation).
    pub email_verified: bool,
    /// When the account was created.
    pub date_joined: DateTime<Utc>,
    /// The start of the latest session; `None` before the first login. Part of what a
    /// reset token signs, so logging in invalidates older reset links.
    pub last_login: Option<DateTime<Utc>>,
}

/// A user about to be stored; the repository assigns the id.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Already validated and checked to be free.
    pub username: String,
    /// Already validated and checked to be free.
    pub email: String,
    /// bcrypt hash of the chosen password.
    pub password_hash: String,
    /// Whether the user is an administrator.
    pub is_staff: bool,
    /// True when the address needs no confirmation (verification off, or vouched for).
    pub email_verified: bool,
    /// The creation time, also used for the first verification key.
    pub date_joined: DateTime<Utc>,
}

/// A login session; the token handed to the client names it, so deleting it revokes the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// 32 random lowercase letters and digits; the token's `sid` claim.
    pub id: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// When the login happened.
    pub created_at: DateTime<Utc>,
    /// After this instant the session (and its token) no longer authenticates.
    pub expires_at: DateTime<Utc>,
}

/// A key mailed to confirm that an address belongs to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailKey {
    /// 64 random lowercase letters and digits, as it appears in the mailed link.
    pub key: String,
    /// Whose address it confirms.
    pub user_id: UserId,
    /// The address it was sent to; a key for an address the user no longer has is void.
    pub email: String,
    /// When it was made; keys expire after the configured lifetime.
    pub created_at: DateTime<Utc>,
}

/// Profile fields a user may change about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    /// The new username (already validated and checked to be free).
    pub username: String,
    /// The new first name.
    pub first_name: String,
    /// The new last name.
    pub last_name: String,
}
