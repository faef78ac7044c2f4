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

/// The Python of `make pyenv` (torch, tensorflow), which `make test` names.
pub fn test_python() -> String {
    std::env::var("NETSMITH_TEST_PYTHON")
        .expect("NETSMITH_TEST_PYTHON is not set: run `make test` (it builds the Python venv)")
}

/// A password that passes every validator.
pub const GOOD_PASSWORD: &str = "plum-orchard-9";
