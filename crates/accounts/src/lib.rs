//! Accounts: registration, e-mail verification, login sessions, password change and
//! reset, as dj-rest-auth and django-allauth do them, with Django's messages.
//!
//! Pure domain logic. Storage and mail delivery are reached through the traits in
//! [`repository`] and [`mailer`]; the database crate and the HTTP shell plug into them.
//! Hashing (bcrypt on a bounded pool), login keys (HS256 JWTs naming a session),
//! reset tokens and login throttling are internal to [`AccountService`].
//!
//! The input rules are usable on their own:
//!
//! ```
//! use accounts::validate::{PasswordContext, validate_password, validate_username};
//!
//! let context = PasswordContext { username: Some("zqh"), ..PasswordContext::default() };
//! assert_eq!(
//!     validate_password("12345", &context),
//!     vec![
//!         "This password is too short. It must contain at least 8 characters.",
//!         "This password is too common.",
//!         "This password is entirely numeric.",
//!     ]
//! );
//! assert!(validate_password("plum-orchard-9", &context).is_empty());
//! assert!(validate_username("zqh").is_empty());
//! ```

#![warn(missing_docs)]

pub mod error;
mod hashing;
pub mod mailer;
pub mod model;
pub mod repository;
mod reset_token;
pub mod service;
mod throttle;
mod token;
pub mod validate;

pub use error::{AccountError, RepoError, UniqueField};
pub use mailer::{MailError, Mailer, OutgoingMail};
pub use model::{EmailKey, NewUser, ProfileChange, Session, User, UserId};
pub use repository::{
    AccountRepository, EmailKeyRepo, FailureScope, LoginFailureRepo, SessionRepo, UserRepo,
};
pub use service::{
    AccountService, AccountSettings, AuthContext, EmailVerification, LoginForm, PasswordChangeForm,
    PasswordResetConfirmForm, ProfileForm, RegistrationForm, RegistrationOutcome,
};
pub use throttle::ThrottleLimits;
