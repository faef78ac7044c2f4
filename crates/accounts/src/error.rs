//! Errors of the accounts domain.

use common::{ErrorCode, FieldErrors};

/// Which uniqueness rule a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueField {
    /// Usernames are unique, ignoring case.
    Username,
    /// E-mail addresses are unique, ignoring case.
    Email,
}

/// Failures of a repository implementation.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// A username or e-mail address that another user has.
    #[error("a user with this {0:?} already exists")]
    Conflict(UniqueField),
    /// The storage itself failed.
    #[error("storage failure: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ErrorCode for RepoError {
    fn code(&self) -> &'static str {
        match self {
            Self::Conflict(UniqueField::Username) => "username_taken",
            Self::Conflict(UniqueField::Email) => "email_taken",
            // The same failure as `AccountError::Repo` reports it.
            Self::Storage(_) => "account_storage",
        }
    }
}

/// Everything an account operation can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Form fields that break the rules (messages as Django words them).
    #[error("invalid input: {0}")]
    Validation(#[from] FieldErrors),
    /// No active user with this login and password.
    #[error("unable to log in with provided credentials")]
    InvalidCredentials,
    /// The user exists but may not log in.
    #[error("user account is disabled")]
    AccountDisabled,
    /// Verification is mandatory and the address is not confirmed yet.
    #[error("e-mail is not verified")]
    EmailNotVerified,
    /// No such e-mail key (or other object).
    #[error("not found")]
    NotFound,
    /// A login key that is forged, expired or revoked.
    #[error("invalid token")]
    InvalidToken,
    /// Too many failed logins for this name or address.
    #[error("too many failed logins; retry in {retry_after_secs} s")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// Storage failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// bcrypt failed (or its worker pool is gone).
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The login key could not be signed.
    #[error("token signing failed: {0}")]
    Signing(String),
    /// The server is shutting down: password work still waiting is dropped.
    #[error("the server is shutting down")]
    ShuttingDown,
}

impl ErrorCode for AccountError {
    fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "account_invalid",
            Self::InvalidCredentials => "login_failed",
            Self::AccountDisabled => "account_disabled",
            Self::EmailNotVerified => "email_not_verified",
            Self::NotFound => "account_key_not_found",
            Self::InvalidToken => "token_invalid",
            Self::Throttled { .. } => "login_throttled",
            Self::Repo(_) => "account_storage",
            Self::Hashing(_) => "password_hashing",
            Self::Signing(_) => "token_signing",
            Self::ShuttingDown => "shutting_down",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::mailer::MailError;

    #[test]
    fn every_failure_has_its_own_code() {
        let storage = || RepoError::Storage("disk full".into());
        let codes = [
            AccountError::Validation(FieldErrors::new()).code(),
            AccountError::InvalidCredentials.code(),
            AccountError::AccountDisabled.code(),
            AccountError::EmailNotVerified.code(),
            AccountError::NotFound.code(),
            AccountError::InvalidToken.code(),
            AccountError::Throttled { retry_after_secs: 1 }.code(),
            AccountError::Hashing(String::new()).code(),
            AccountError::Signing(String::new()).code(),
            AccountError::ShuttingDown.code(),
            RepoError::Conflict(UniqueField::Username).code(),
            RepoError::Conflict(UniqueField::Email).code(),
            storage().code(),
            MailError(String::new()).code(),
        ];
        // A storage failure has one code, however it is wrapped.
        assert_eq!(AccountError::from(storage()).code(), storage().code());
        let distinct: HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(distinct.len(), codes.len(), "{codes:?}");
        assert!(codes.iter().all(|c| {
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }));
    }
}
