//! Reading and editing one's own profile (the e-mail address is read-only here).

use super::{AccountService, ProfileForm};
use common::FieldErrors;

use crate::error::{AccountError, RepoError, UniqueField};
use crate::mailer::Mailer;
use crate::model::{ProfileChange, User};
use crate::repository::AccountRepository;

impl<R: AccountRepository, M: Mailer> AccountService<R, M> {
    /// Applies the fields present in the form; absent ones keep their value.
    pub fn update_profile(
        &self,
        user: &User,
        form: ProfileForm,
        mut errors: FieldErrors,
    ) -> Result<User, AccountError> {
        if let Some(username) = &form.username {
            self.check_new_username(username, Some(user), &mut errors);
        }
        errors.into_result()?;
        let change = ProfileChange {
            username: form.username.unwrap_or_else(|| user.username.clone()),
            first_name: form.first_name.unwrap_or_else(|| user.first_name.clone()),
            last_name: form.last_name.unwrap_or_else(|| user.last_name.clone()),
        };
        self.repo.update_profile(user.id, &change).map_err(|e| match e {
            RepoError::Conflict(UniqueField::Username) => AccountError::Validation(FieldErrors::single(
                "username",
                super::registration::USERNAME_TAKEN,
            )),
            other => other.into(),
        })
    }
}
