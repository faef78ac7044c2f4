//! The records the accounts domain works with.

use chrono::{DateTime, Utc};

pub type UserId = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub email_verified: bool,
    pub date_joined: DateTime<Utc>,
    pub last_login: Option<DateTime<Utc>>,
}

/// A user about to be stored; the repository assigns the id.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub is_staff: bool,
    pub email_verified: bool,
    pub date_joined: DateTime<Utc>,
}

/// A login session; the token handed to the client names it, so deleting it revokes the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A key mailed to confirm that an address belongs to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailKey {
    pub key: String,
    pub user_id: UserId,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

/// Profile fields a user may change about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
}
