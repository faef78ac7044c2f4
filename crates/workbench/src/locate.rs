//! How the model catalogue and the executors find a user's uploads: through the data
//! catalogue, which knows where each upload's content is on disk.

use std::sync::Arc;

use cluster::RunInputs;
use common::{DataId, DataLocation, UserId};
use dataset::Labels;
use datastore::{BlobStore, Content, DataError, DataRepo, DataService};
use models::{DataLocator, LocateError, ModelRepo};
use runs::Run;

/// Finds uploads in the data catalogue: an archive's folder is image data, a file
/// named like a CSV is CSV data, any other file is no model's data.
pub struct CatalogueLocator<S, B>(pub Arc<DataService<S, B>>);

impl<S: DataRepo, B: BlobStore> DataLocator for CatalogueLocator<S, B> {
    fn locate(&self, owner: UserId, data_id: DataId) -> Result<DataLocation, LocateError> {
        let item = match self.0.item(owner, data_id) {
            Ok(item) => item,
            Err(DataError::NotFound) => return Err(LocateError::NotFound),
            Err(e) => return Err(LocateError::Storage(Box::new(e))),
        };
        match self
            .0
            .content(&item)
            .map_err(|e| LocateError::Storage(Box::new(e)))?
        {
            Content::Folder(path) => Ok(DataLocation::Images(path)),
            Content::File(path) if datastore::sniff::is_csv_name(&item.original_name) => {
                Ok(DataLocation::Csv(path))
            }
            Content::File(_) => Err(LocateError::Unusable {
                name: item.original_name,
            }),
        }
    }
}

/// What an executor needs to train a run: its upload, and the labels its model has now.
pub struct ModelInputs<S, B> {
    locator: CatalogueLocator<S, B>,
    models: S,
}

impl<S, B> ModelInputs<S, B> {
    /// Finds uploads in `data` and labels in `models`.
    pub fn new(data: Arc<DataService<S, B>>, models: S) -> Self {
        Self {
            locator: CatalogueLocator(data),
            models,
        }
    }
}

impl<S: DataRepo + ModelRepo, B: BlobStore> RunInputs for ModelInputs<S, B> {
    fn data_of(&self, run: &Run) -> Result<(DataLocation, Option<Labels>), String> {
        let labels = self
            .models
            .model_by_id(run.owner, run.model_id)
            .map_err(|e| e.to_string())?
            .and_then(|m| m.labels);
        match self.locator.locate(run.owner, run.data_id) {
            Ok(location) => Ok((location, labels)),
            Err(LocateError::Unusable { name }) => Err(format!("upload {name:?} is not a CSV file")),
            Err(LocateError::NotFound) => Err(format!("upload {} no longer exists", run.data_id)),
            Err(e) => Err(e.to_string()),
        }
    }
}
