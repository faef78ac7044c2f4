//! Storage the accounts domain needs. Each method is atomic on its own: where several
//! rows must change together (a user and its first e-mail key, a new password and the
//! revocation of every session) one method takes them all, so an implementation can use
//! one transaction.

use chrono::{DateTime, Utc};

use crate::error::RepoError;
use crate::model::{EmailKey, NewUser, ProfileChange, Session, User, UserId};

/// The users table.
pub trait UserRepo: Send + Sync + 'static {
    /// Stores a user, and its first verification key when given (its `user_id` is
    /// replaced by the new id), together.
    /// A taken username or e-mail (compared case-insensitively) is `RepoError::Conflict`.
    fn create_user(&self, user: &NewUser, key: Option<&EmailKey>) -> Result<User, RepoError>;
    /// The user with this id, active or not.
    fn user_by_id(&self, id: UserId) -> Result<Option<User>, RepoError>;
    /// Case-insensitive lookup.
    fn user_by_username(&self, username: &str) -> Result<Option<User>, RepoError>;
    /// Case-insensitive lookup.
    fn user_by_email(&self, email: &str) -> Result<Option<User>, RepoError>;
    /// Replaces the profile fields and returns the updated user; a username another
    /// user has is `RepoError::Conflict`.
    fn update_profile(&self, id: UserId, change: &ProfileChange) -> Result<User, RepoError>;
    /// Replaces the password hash and deletes every session of the user.
    fn set_password(&self, id: UserId, password_hash: &str) -> Result<(), RepoError>;
    /// Records that the user's address is confirmed.
    fn mark_email_verified(&self, id: UserId) -> Result<(), RepoError>;
}

/// Login sessions, which the login keys name.
pub trait SessionRepo: Send + Sync + 'static {
    /// Stores the session and records the login time on the user.
    fn start_session(&self, session: &Session) -> Result<(), RepoError>;
    /// The active user owning a session that has not expired at `now`.
    fn user_for_session(&self, session_id: &str, now: DateTime<Utc>) -> Result<Option<User>, RepoError>;
    /// Deletes the session (logout); an unknown id is not an error.
    fn end_session(&self, session_id: &str) -> Result<(), RepoError>;
}

/// The keys mailed to confirm addresses.
pub trait EmailKeyRepo: Send + Sync + 'static {
    /// Stores another key (a resent confirmation); older keys stay valid until they expire.
    fn add_email_key(&self, key: &EmailKey) -> Result<(), RepoError>;
    /// The key with exactly this text, expired or not (the service checks its age).
    fn email_key(&self, key: &str) -> Result<Option<EmailKey>, RepoError>;
}

/// Which count a failed login is kept under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureScope {
    /// The login name, lower-cased.
    Login,
    /// The client address.
    Address,
}

impl FailureScope {
    /// `login` or `address`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Address => "address",
        }
    }
}

/// Failed logins, kept where every server replica counts them.
pub trait LoginFailureRepo: Send + Sync + 'static {
    /// Records a failure under `key` at `at`, and forgets failures from before `forget_before`.
    fn record_login_failure(
        &self,
        scope: FailureScope,
        key: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<(), RepoError>;
    /// The times of the failures under `key` since `since`, oldest first.
    fn login_failures(
        &self,
        scope: FailureScope,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, RepoError>;
    /// Forgets every failure under `key`.
    fn clear_login_failures(&self, scope: FailureScope, key: &str) -> Result<(), RepoError>;
}

/// Everything the account service stores, usually one database.
pub trait AccountRepository: UserRepo + SessionRepo + EmailKeyRepo + LoginFailureRepo {}

impl<T: UserRepo + SessionRepo + EmailKeyRepo + LoginFailureRepo> AccountRepository for T {}
