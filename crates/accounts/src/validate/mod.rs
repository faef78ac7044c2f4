//! Input rules of Django's user model and its default password validators, with their
//! exact messages.

pub mod email;
pub mod password;
pub mod username;

pub use email::validate_email;
pub use password::{PasswordContext, validate_password};
pub use username::validate_username;
