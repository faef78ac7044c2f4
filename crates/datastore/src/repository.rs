//! Storage of catalogue rows.

use common::ErrorCode;

use crate::model::{DataId, DataItem, ListQuery, NewDataItem, UserId};

/// The catalogue's storage failed; the source says how (a database error, usually).
#[derive(Debug, thiserror::Error)]
#[error("catalogue storage failure: {0}")]
pub struct CatalogueError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl ErrorCode for CatalogueError {
    fn code(&self) -> &'static str {
        "catalogue_storage"
    }
}

/// The catalogue's rows. Every method is scoped to one owner: no call can reach another
/// user's rows.
pub trait DataRepo: Send + Sync + 'static {
    /// Records an upload and returns it with its new id.
    fn insert_item(&self, item: &NewDataItem) -> Result<DataItem, CatalogueError>;
    /// The owner's upload with this id, if there is one.
    fn item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError>;
    /// Newest first.
    fn items(&self, owner: UserId, query: &ListQuery) -> Result<Vec<DataItem>, CatalogueError>;
    /// Removes the row; returns it when it existed.
    fn delete_item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError>;
    /// Bytes stored by the owner, for the quota.
    fn used_bytes(&self, owner: UserId) -> Result<u64, CatalogueError>;
    /// The storage keys of the owner's rows (where their files are).
    fn storage_keys(&self, owner: UserId) -> Result<Vec<String>, CatalogueError>;
}
