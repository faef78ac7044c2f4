//! What every handler shares, and the bridge to blocking work.

use std::sync::Arc;

use accounts::AccountService;
use actix_web::web;
use datastore::LocalBlobStore;
use db::Database;
use workbench::Workbench;

use crate::error::ApiError;
use crate::mail::MailTransport;

pub type Accounts = AccountService<Database, MailTransport>;
pub type Bench = Workbench<Database, LocalBlobStore>;

/// The services behind the routes.
pub struct AppState {
    pub accounts: Arc<Accounts>,
    pub bench: Bench,
}

/// Runs blocking work (bcrypt, database, files, training control) on the blocking
/// pool, never on the async workers.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let _in_flight = crate::metrics::blocking_started();
    web::block(work)
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}"), "blocking_pool"))?
}
