//! Section 1 of the contract: `/rest-auth/...`.

mod login;
mod password_change;
mod password_reset;
mod registration;
mod user;
