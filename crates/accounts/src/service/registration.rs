//! Sign-up, e-mail confirmation and re-sending the confirmation.

use chrono::Utc;

use super::{AccountService, EmailVerification, RegistrationForm, is_expired, mails, random_token};
use common::{FieldErrors, NON_FIELD_ERRORS};

use crate::error::{AccountError, RepoError, UniqueField};
use crate::mailer::Mailer;
use crate::model::{EmailKey, NewUser, User, UserId};
use crate::repository::AccountRepository;
use crate::validate::{PasswordContext, validate_email, validate_password, validate_username};

pub(super) const USERNAME_TAKEN: &str = "A user with that username already exists.";
const EMAIL_TAKEN: &str = "A user is already registered with this e-mail address.";
pub(super) const PASSWORDS_DIFFER: &str = "The two password fields didn't match.";

/// What a successful sign-up leads to, by [`EmailVerification`] setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationOutcome {
    /// Mandatory verification: the user must confirm the address before logging in.
    VerificationSent,
    /// Logged in at once, with this key.
    LoggedIn(String),
}

impl<R: AccountRepository, M: Mailer> AccountService<R, M> {
    /// Signs a user up: every field error is collected (on top of the caller's parse
    /// errors in `errors`) before anything is stored, then the user is created and,
    /// unless verification is off, a confirmation link is mailed.
    pub fn register(
        &self,
        form: RegistrationForm,
        mut errors: FieldErrors,
    ) -> Result<RegistrationOutcome, AccountError> {
        let username = form
            .username
            .filter(|u| self.check_new_username(u, None, &mut errors));
        let email = form.email.filter(|e| self.check_new_email(e, &mut errors));
        if let Some(password) = &form.password1 {
            let context = PasswordContext {
                username: username.as_deref(),
                email: email.as_deref(),
                ..Default::default()
            };
            errors.extend("password1", validate_password(password, &context));
        }
        if let (Some(p1), Some(p2)) = (&form.password1, &form.password2)
            && p1 != p2
        {
            errors.add(NON_FIELD_ERRORS, PASSWORDS_DIFFER);
        }
        let (Some(username), Some(email), Some(password), true) =
            (username, email, form.password1, errors.is_empty())
        else {
            return Err(AccountError::Validation(errors));
        };
        let user = self.create_user(&username, &email, &password, false, false)?;
        match self.settings.email_verification {
            EmailVerification::Mandatory => Ok(RegistrationOutcome::VerificationSent),
            _ => Ok(RegistrationOutcome::LoggedIn(self.start_session(&user)?)),
        }
    }

    /// Creates a user whose input is already valid, and mails a confirmation link
    /// unless verification is off or the address is already vouched for.
    pub fn create_user(
        &self,
        username: &str,
        email: &str,
        password: &str,
        verified: bool,
        staff: bool,
    ) -> Result<User, AccountError> {
        let now = Utc::now();
        let new_user = NewUser {
            username: username.to_owned(),
            email: email.to_owned(),
            password_hash: self.hasher.hash(password)?,
            is_staff: staff,
            email_verified: verified,
            date_joined: now,
        };
        let wants_key = !verified && self.settings.email_verification != EmailVerification::None;
        let key = wants_key.then(|| EmailKey {
            key: random_token(64),
            user_id: UserId(0),
            email: email.to_owned(),
            created_at: now,
        });
        let user = self
            .repo
            .create_user(&new_user, key.as_ref())
            .map_err(|e| match e {
                RepoError::Conflict(UniqueField::Username) => {
                    AccountError::Validation(FieldErrors::single("username", USERNAME_TAKEN))
                }
                RepoError::Conflict(UniqueField::Email) => {
                    AccountError::Validation(FieldErrors::single("email", EMAIL_TAKEN))
                }
                other => other.into(),
            })?;
        if let Some(key) = key {
            self.send_verification(&user, &key.key);
        }
        Ok(user)
    }

    /// Validates a username for a new or renamed user, recording what is wrong.
    pub(super) fn check_new_username(
        &self,
        username: &str,
        renaming: Option<&User>,
        errors: &mut FieldErrors,
    ) -> bool {
        let messages = validate_username(username);
        if !messages.is_empty() {
            errors.extend("username", messages);
            return false;
        }
        match self.repo.user_by_username(username) {
            Ok(Some(existing)) if renaming.is_none_or(|me| me.id != existing.id) => {
                errors.add("username", USERNAME_TAKEN);
                false
            }
            Ok(_) => true,
            Err(error) => {
                tracing::error!(%error, "username lookup failed");
                errors.add("username", "Could not check this username; try again.");
                false
            }
        }
    }

    /// Validates an e-mail address for a new user, recording what is wrong.
    pub fn check_new_email(&self, email: &str, errors: &mut FieldErrors) -> bool {
        let messages = validate_email(email);
        if !messages.is_empty() {
            errors.extend("email", messages);
            return false;
        }
        match self.repo.user_by_email(email) {
            Ok(Some(_)) => {
                errors.add("email", EMAIL_TAKEN);
                false
            }
            Ok(None) => true,
            Err(error) => {
                tracing::error!(%error, "e-mail lookup failed");
                errors.add("email", "Could not check this address; try again.");
                false
            }
        }
    }

    /// Confirms the address a key was mailed to. Unknown, expired or stale keys
    /// (the user's address changed since) are `NotFound`.
    pub fn verify_email(&self, key: &str) -> Result<(), AccountError> {
        let record = self.repo.email_key(key)?.ok_or(AccountError::NotFound)?;
        if is_expired(record.created_at, self.settings.email_key_lifetime, Utc::now()) {
            return Err(AccountError::NotFound);
        }
        let user = self
            .repo
            .user_by_id(record.user_id)?
            .ok_or(AccountError::NotFound)?;
        if !user.email.eq_ignore_ascii_case(&record.email) {
            return Err(AccountError::NotFound);
        }
        if !user.email_verified {
            self.repo.mark_email_verified(user.id)?;
        }
        Ok(())
    }

    /// Mails a fresh confirmation link to an unconfirmed address. Says nothing about
    /// whether the address is known.
    pub fn resend_verification(&self, email: &str) -> Result<(), AccountError> {
        let messages = validate_email(email);
        if !messages.is_empty() {
            let mut errors = FieldErrors::new();
            errors.extend("email", messages);
            return Err(AccountError::Validation(errors));
        }
        let Some(user) = self.repo.user_by_email(email)? else {
            return Ok(());
        };
        if user.email_verified || self.settings.email_verification == EmailVerification::None {
            return Ok(());
        }
        let key = EmailKey {
            key: random_token(64),
            user_id: user.id,
            email: user.email.clone(),
            created_at: Utc::now(),
        };
        self.repo.add_email_key(&key)?;
        self.send_verification(&user, &key.key);
        Ok(())
    }

    fn send_verification(&self, user: &User, key: &str) {
        let link = self.link(&format!("verify-email/{key}/"));
        let site = &self.settings.site_name;
        self.deliver(mails::verification(site, &user.username, &user.email, &link));
    }
}
