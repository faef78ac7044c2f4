//! Storage of catalogue rows.

use crate::model::{DataId, DataItem, ListQuery, NewDataItem, OwnerId};

#[derive(Debug, thiserror::Error)]
#[error("catalogue storage failure: {0}")]
pub struct CatalogueError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

/// Every method is scoped to one owner: no call can reach another user's rows.
pub trait DataRepo: Send + Sync + 'static {
    fn insert_item(&self, item: &NewDataItem) -> Result<DataItem, CatalogueError>;
    fn item(&self, owner: OwnerId, id: DataId) -> Result<Option<DataItem>, CatalogueError>;
    /// Newest first.
    fn items(&self, owner: OwnerId, query: &ListQuery) -> Result<Vec<DataItem>, CatalogueError>;
    /// Removes the row; returns it when it existed.
    fn delete_item(&self, owner: OwnerId, id: DataId) -> Result<Option<DataItem>, CatalogueError>;
    /// Bytes stored by the owner, for the quota.
    fn used_bytes(&self, owner: OwnerId) -> Result<u64, CatalogueError>;
}
