//! Errors of the accounts domain.

use std::fmt;

/// Field-keyed validation messages in the order they were found, as Django REST
/// Framework reports them (`{"field": ["message", ...], "non_field_errors": [...]}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    fields: Vec<(String, Vec<String>)>,
}

/// The key under which errors that belong to no single field are reported.
pub const NON_FIELD_ERRORS: &str = "non_field_errors";

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Errors with one message for one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.fields.iter_mut().find(|(name, _)| name == field) {
            Some((_, messages)) => messages.push(message),
            None => self.fields.push((field.to_owned(), vec![message])),
        }
    }

    pub fn extend(&mut self, field: &str, messages: impl IntoIterator<Item = String>) {
        for message in messages {
            self.add(field, message);
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(name, _)| name == field)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.fields
            .iter()
            .map(|(name, messages)| (name.as_str(), messages.as_slice()))
    }

    /// `Ok(())` when nothing was found, else the errors.
    pub fn into_result(self) -> Result<(), AccountError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AccountError::Validation(self))
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// Which uniqueness rule a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueField {
    Username,
    Email,
}

/// Failures of a repository implementation.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("a user with this {0:?} already exists")]
    Conflict(UniqueField),
    #[error("storage failure: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Everything an account operation can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    #[error("unable to log in with provided credentials")]
    InvalidCredentials,
    #[error("user account is disabled")]
    AccountDisabled,
    #[error("e-mail is not verified")]
    EmailNotVerified,
    #[error("not found")]
    NotFound,
    #[error("invalid token")]
    InvalidToken,
    #[error("too many failed logins; retry in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("token signing failed: {0}")]
    Signing(String),
}
