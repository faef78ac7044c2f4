//! Persistence: diesel + r2d2 implementations of the domain repositories, for SQLite
//! (embedded, the default) and PostgreSQL, chosen by the database URL.

mod accounts_repo;
mod data_repo;
mod error;
mod hand_over_repo;
mod leases_repo;
mod login_failures_repo;
mod models_repo;
mod pool;
mod rows;
mod runs_repo;
mod schema;

pub use error::DbError;
pub use pool::Database;
