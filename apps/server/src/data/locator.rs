//! Lets the model service find a user's uploads through the data catalogue.

use std::sync::Arc;

use datastore::{DataError, Source};
use models::{DataLocation, DataLocator, LocateError};

use crate::state::Data;

pub struct CatalogueLocator(pub Arc<Data>);

impl DataLocator for CatalogueLocator {
    fn locate(&self, owner: i64, data_id: i64) -> Result<Option<DataLocation>, LocateError> {
        let item = match self.0.item(owner, data_id) {
            Ok(item) => item,
            Err(DataError::NotFound) => return Ok(None),
            Err(e) => return Err(LocateError(Box::new(e))),
        };
        Ok(Some(
            match self.0.source(&item).map_err(|e| LocateError(Box::new(e)))? {
                Source::Folder(path) => DataLocation::Folder(path),
                Source::File(path) if datastore::sniff::is_csv_name(&item.original_name) => {
                    DataLocation::Csv(path)
                }
                Source::File(_) => DataLocation::Other {
                    name: item.original_name,
                },
            },
        ))
    }
}
