//! Accounts: registration, e-mail verification, login sessions, password change and reset.
//!
//! Pure domain logic. Storage and mail delivery are reached through the traits in
//! [`repository`] and [`mailer`]; the HTTP shell and the database crate plug into them.

pub mod error;
pub mod hashing;
pub mod mailer;
pub mod model;
pub mod repository;
pub mod reset_token;
pub mod service;
pub mod throttle;
pub mod token;
pub mod validate;

pub use error::{AccountError, RepoError, UniqueField, ValidationErrors};
pub use mailer::{MailError, Mailer, OutgoingMail};
pub use model::{EmailKey, NewUser, ProfileChange, Session, User, UserId};
pub use repository::{AccountRepository, EmailKeyRepo, SessionRepo, UserRepo};
pub use service::{
    AccountService, AccountSettings, AuthContext, EmailVerification, LoginForm, PasswordChangeForm,
    PasswordResetConfirmForm, ProfileForm, RegistrationForm, RegistrationOutcome,
};
pub use throttle::ThrottleLimits;
