//! Changing a password, and resetting a forgotten one by mail.

use chrono::Utc;

use super::{AccountService, PasswordChangeForm, PasswordResetConfirmForm, mails};
use common::FieldErrors;

use crate::error::AccountError;
use crate::mailer::Mailer;
use crate::model::User;
use crate::repository::AccountRepository;
use crate::reset_token::{decode_uid, encode_uid};
use crate::validate::{PasswordContext, validate_email, validate_password};

const WRONG_OLD_PASSWORD: &str = "Your old password was entered incorrectly. Please enter it again.";
const INVALID_VALUE: &str = "Invalid value";

impl<R: AccountRepository, M: Mailer> AccountService<R, M> {
    /// Sets a new password after checking the old one. Every session of the user,
    /// this one included, is revoked.
    pub fn change_password(
        &self,
        user: &User,
        form: PasswordChangeForm,
        mut errors: FieldErrors,
    ) -> Result<(), AccountError> {
        if let Some(old) = &form.old_password
            && !self.hasher.verify(old, &user.password_hash)?
        {
            errors.add("old_password", WRONG_OLD_PASSWORD);
        }
        let new_password = check_new_password(user, &form.new_password1, &form.new_password2, &mut errors);
        errors.into_result()?;
        let Some(new_password) = new_password else {
            return Err(AccountError::Validation(FieldErrors::single(
                "new_password2",
                "This field is required.",
            )));
        };
        self.repo
            .set_password(user.id, &self.hasher.hash(&new_password)?)?;
        Ok(())
    }

    /// Mails a reset link to the active user with this address, if there is one.
    /// The answer is the same either way, so addresses cannot be probed.
    pub fn request_password_reset(&self, email: &str) -> Result<(), AccountError> {
        let messages = validate_email(email);
        if !messages.is_empty() {
            let mut errors = FieldErrors::new();
            errors.extend("email", messages);
            return Err(AccountError::Validation(errors));
        }
        let Some(user) = self.repo.user_by_email(email)?.filter(|u| u.is_active) else {
            return Ok(());
        };
        let token = self.reset_tokens.make(&user, Utc::now());
        let link = self.link(&format!(
            "password-reset/confirm/{}/{token}/",
            encode_uid(user.id)
        ));
        self.deliver(mails::password_reset(
            &self.settings.site_name,
            &user.username,
            &user.email,
            &link,
        ));
        Ok(())
    }

    /// Sets the password named in a reset link. Checked in dj-rest-auth's order:
    /// the uid, then the new password, then the token.
    pub fn confirm_password_reset(
        &self,
        form: PasswordResetConfirmForm,
        mut errors: FieldErrors,
    ) -> Result<(), AccountError> {
        errors.into_result()?;
        let user = match form.uid.as_deref().and_then(decode_uid) {
            Some(id) => self.repo.user_by_id(id)?.filter(|u| u.is_active),
            None => None,
        };
        let Some(user) = user else {
            return Err(AccountError::Validation(FieldErrors::single(
                "uid",
                INVALID_VALUE,
            )));
        };
        errors = FieldErrors::new();
        let new_password = check_new_password(&user, &form.new_password1, &form.new_password2, &mut errors);
        errors.into_result()?;
        let token_ok = form
            .token
            .as_deref()
            .is_some_and(|t| self.reset_tokens.check(&user, t, Utc::now()));
        let (Some(new_password), true) = (new_password, token_ok) else {
            return Err(AccountError::Validation(FieldErrors::single(
                "token",
                INVALID_VALUE,
            )));
        };
        self.repo
            .set_password(user.id, &self.hasher.hash(&new_password)?)?;
        Ok(())
    }
}

/// Django's `SetPasswordForm.clean_new_password2`: the two must match, then the
/// validators run against the user's attributes. Errors go under `new_password2`.
fn check_new_password(
    user: &User,
    new1: &Option<String>,
    new2: &Option<String>,
    errors: &mut FieldErrors,
) -> Option<String> {
    let (Some(new1), Some(new2)) = (new1, new2) else {
        return None;
    };
    if new1 != new2 {
        errors.add("new_password2", super::registration::PASSWORDS_DIFFER);
        return None;
    }
    let context = PasswordContext {
        username: Some(&user.username),
        first_name: Some(&user.first_name),
        last_name: Some(&user.last_name),
        email: Some(&user.email),
    };
    let messages = validate_password(new2, &context);
    if messages.is_empty() {
        Some(new2.clone())
    } else {
        errors.extend("new_password2", messages);
        None
    }
}
