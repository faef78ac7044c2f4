//! The `TestApp` helper and what tests share.

pub mod consistency;
mod database;
pub mod kube_double;
mod mail;
mod server;
pub mod small_disk;
pub mod upload;

pub use database::StoredRun;
pub use server::{Response, TestApp};

/// A password that passes every validator.
pub const GOOD_PASSWORD: &str = "plum-orchard-9";
