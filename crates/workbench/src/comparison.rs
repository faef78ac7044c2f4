//! Models side by side: configurations with their differences marked, and each
//! model's latest run with its final metrics, training time and curve.

use common::{ModelId, UserId};
use datastore::BlobStore;
use models::{Comparison, Model, compare_configs};
use runs::{MetricPoint, Run};

use crate::error::Result;
use crate::{Store, Workbench};

/// One compared model.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparedModel {
    /// The model.
    pub model: Model,
    /// Its runs, newest first.
    pub runs: Vec<Run>,
    /// Its latest run with every metric point (`None` before any run).
    pub latest: Option<(Run, Vec<MetricPoint>)>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelComparison {
    /// The models, in the order asked.
    pub models: Vec<ComparedModel>,
    /// Their configurations field by field.
    pub configs: Comparison,
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// Compares the owner's models `ids` (a missing one is not found).
    pub fn compare_models(&self, owner: UserId, ids: &[ModelId]) -> Result<ModelComparison> {
        let mut models = Vec::with_capacity(ids.len());
        for &id in ids {
            let model = self.models.by_id(owner, id)?;
            let runs = self.store.runs_of_model(owner, id)?;
            let latest = match runs.first() {
                Some(run) => Some((run.clone(), self.store.points(run.id, None)?)),
                None => None,
            };
            models.push(ComparedModel { model, runs, latest });
        }
        let configs: Vec<Option<&serde_json::Value>> =
            models.iter().map(|m| m.model.config.as_ref()).collect();
        let configs = compare_configs(&configs);
        Ok(ModelComparison { models, configs })
    }
}
