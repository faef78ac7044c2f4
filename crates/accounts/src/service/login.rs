//! Logging in with a username or an e-mail address.

use chrono::Utc;

use super::{AccountService, EmailVerification, LoginForm};
use common::{FieldErrors, NON_FIELD_ERRORS};

use crate::error::AccountError;
use crate::mailer::Mailer;
use crate::model::User;
use crate::repository::AccountRepository;

const MISSING_LOGIN: &str = "Must include either \"username\" or \"email\" and \"password\".";

impl<R: AccountRepository, M: Mailer> AccountService<R, M> {
    /// Checks the credentials and starts a session; returns its login key.
    pub fn login(&self, form: LoginForm, errors: FieldErrors) -> Result<String, AccountError> {
        errors.into_result()?;
        let Some(password) = form.password else {
            return Err(AccountError::Validation(FieldErrors::single(
                "password",
                "This field is required.",
            )));
        };
        // allauth prefers the e-mail address when both are given.
        let login = if form.email.is_empty() {
            &form.username
        } else {
            &form.email
        };
        if login.is_empty() {
            return Err(AccountError::Validation(FieldErrors::single(
                NON_FIELD_ERRORS,
                MISSING_LOGIN,
            )));
        }
        let address = form.client_address.as_str();
        self.throttle
            .check(&self.repo, login, address, Utc::now())?
            .map_err(|retry_after_secs| AccountError::Throttled { retry_after_secs })?;

        let Some(user) = self.find_login_user(&form.username, &form.email)? else {
            self.hasher.verify_nothing(&password)?;
            self.throttle
                .record_failure(&self.repo, login, address, Utc::now())?;
            return Err(AccountError::InvalidCredentials);
        };
        if !self.hasher.verify(&password, &user.password_hash)? || !user.is_active {
            self.throttle
                .record_failure(&self.repo, login, address, Utc::now())?;
            return Err(AccountError::InvalidCredentials);
        }
        self.throttle.clear_login(&self.repo, login)?;
        if self.settings.email_verification == EmailVerification::Mandatory && !user.email_verified {
            return Err(AccountError::EmailNotVerified);
        }
        self.start_session(&user)
    }

    /// The user named by e-mail, else by username; a username that looks like an
    /// address and names nobody is tried as an address too.
    fn find_login_user(&self, username: &str, email: &str) -> Result<Option<User>, AccountError> {
        if !email.is_empty() {
            return Ok(self.repo.user_by_email(email)?);
        }
        if let Some(user) = self.repo.user_by_username(username)? {
            return Ok(Some(user));
        }
        if username.contains('@') {
            return Ok(self.repo.user_by_email(username)?);
        }
        Ok(None)
    }
}
