//! What every handler shares, and the bridge to blocking work.

use std::sync::Arc;

use accounts::AccountService;
use actix_web::web;
use datastore::{DataService, LocalBlobStore};
use db::Database;
use models::ModelService;

use crate::data::fetch::UrlFetcher;
use crate::data::locator::CatalogueLocator;
use crate::error::ApiError;
use crate::mail::MailTransport;

pub type Accounts = AccountService<Database, MailTransport>;
pub type Data = DataService<Database, LocalBlobStore>;
pub type Models = ModelService<Database, CatalogueLocator>;

/// What `/runtime/kubernetes/` says about this node that only settings know.
pub struct NodeFacts {
    pub bind_ip: String,
    pub train_workers: usize,
}

pub struct AppState {
    pub accounts: Arc<Accounts>,
    pub data: Arc<Data>,
    pub models: Arc<Models>,
    pub runs: crate::training::Runs,
    pub node: NodeFacts,
    pub fetcher: UrlFetcher,
}

/// Runs blocking work (bcrypt, database, files) on the blocking pool, never on the
/// async workers.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    web::block(work)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}
