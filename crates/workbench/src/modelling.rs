//! Models with their runs: the list with each model's standing, one model with its
//! runs, a configuration saved, and a model deleted with its runs and checkpoints.

use common::{DataId, ModelId, UserId};
use datastore::BlobStore;
use models::Model;
use models::service::summary_of;
use runs::Run;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::{Store, Workbench};

/// A model in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOverview {
    /// The model.
    pub model: Model,
    /// Its latest run's status; without runs `configured` or `new`.
    pub status: String,
    /// The best final accuracy of its runs.
    pub best_accuracy: Option<f64>,
    /// Trainable parameters of its network on its data (when both fit).
    pub parameter_count: Option<u64>,
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// The owner's models, newest first, each with its standing.
    pub fn model_overviews(&self, owner: UserId) -> Result<Vec<ModelOverview>> {
        let mut rows = Vec::new();
        for model in self.models.list(owner)? {
            let runs = self.store.runs_of_model(owner, model.id)?;
            let status = match runs.first() {
                Some(latest) => latest.status.as_str(),
                None if model.config.is_some() => "configured",
                None => "new",
            };
            rows.push(ModelOverview {
                status: status.to_owned(),
                best_accuracy: runs.iter().filter_map(|r| r.final_accuracy).reduce(f64::max),
                parameter_count: summary_of(&model).and_then(|s| s.ok()).map(|s| s.total_params),
                model,
            });
        }
        Ok(rows)
    }

    /// A model with its runs, newest first.
    pub fn model_with_runs(&self, owner: UserId, id: ModelId) -> Result<(Model, Vec<Run>)> {
        let model = self.models.by_id(owner, id)?;
        let runs = self.store.runs_of_model(owner, id)?;
        Ok((model, runs))
    }

    /// Validates and saves (replaces) the configuration of the model `name` (on
    /// `data_id`, attached in the same update when given); the model with its runs.
    pub fn save_config(
        &self,
        owner: UserId,
        name: &str,
        config: Map<String, Value>,
        data_id: Option<DataId>,
    ) -> Result<(Model, Vec<Run>)> {
        let model = self.models.save_config(owner, name, config, data_id)?;
        let runs = self.store.runs_of_model(owner, model.id)?;
        Ok((model, runs))
    }

    /// Deletes a model with its runs and their checkpoints (its uploads stay). A run
    /// that still trains is stopped. `false` when the owner has no such model.
    pub fn delete_model(&self, owner: UserId, id: ModelId) -> Result<bool> {
        let runs = self.store.runs_of_model(owner, id)?;
        if !self.models.delete(owner, id)? {
            return Ok(false);
        }
        for run in &runs {
            self.executor.forget(run.id)?;
            self.predictions.forget(run.id);
            self.checkpoints.remove(run.id)?;
        }
        Ok(true)
    }

    /// The saved configuration of the model `name`; `None` before one is saved.
    pub fn model_config(&self, owner: UserId, name: &str) -> Result<Option<Value>> {
        Ok(self.models.by_name(owner, name)?.config)
    }
}
