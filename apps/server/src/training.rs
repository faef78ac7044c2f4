//! Training as the server runs it: the run service over the database and the data
//! folder, how a run finds its model's data, and starting a run for a model.

use std::sync::Arc;

use chrono::Utc;
use models::{DataLocation, DataLocator, Model, ModelRepo, service::check_against};
use trainer::runs::service::{RunInputs, RunSource};
use trainer::runs::{NewRun, Run, RunService};

use crate::data::locator::CatalogueLocator;
use crate::error::ApiError;
use crate::state::{AppState, Models};

pub type Runs = RunService<db::Database>;

/// Finds a run's data: its upload, and the labels its model has now.
pub struct ModelInputs {
    pub locator: CatalogueLocator,
    pub models: Arc<Models>,
}

impl RunInputs for ModelInputs {
    fn source(&self, run: &Run) -> Result<RunSource, String> {
        let labels = self
            .models
            .repo()
            .model_by_id(run.owner, run.model_id)
            .map_err(|e| e.to_string())?
            .and_then(|m| m.labels);
        match self
            .locator
            .locate(run.owner, run.data_id)
            .map_err(|e| e.to_string())?
        {
            Some(DataLocation::Folder(root)) => Ok(RunSource::Images { root, labels }),
            Some(DataLocation::Csv(path)) => Ok(RunSource::Csv { path }),
            Some(DataLocation::Other { name }) => Err(format!("upload {name:?} is not a CSV file")),
            None => Err(format!("upload {} no longer exists", run.data_id)),
        }
    }
}

/// The run a new run of `model` warm-starts from: the restored one, when it trained
/// the same network on data of the same shape and classes.
fn warm_source(state: &AppState, model: &Model, config: &serde_json::Value) -> Result<Option<i64>, ApiError> {
    let Some(run_id) = model.weights_run else {
        return Ok(None);
    };
    let Ok(run) = state.runs.run(model.owner, run_id) else {
        return Ok(None);
    };
    let same_network = run.config.get("net_type") == config.get("net_type")
        && run.config.get("net_config") == config.get("net_config");
    let same_data = model
        .data_spec
        .as_ref()
        .is_some_and(|spec| spec.input() == run.data_spec.input() && spec.classes == run.data_spec.classes);
    Ok((same_network && same_data && state.runs.has_weights(&run)?).then_some(run.id))
}

/// A run may use at most this much memory for its parameters and one step's
/// activations, so one user's network cannot exhaust the server.
const STEP_MEMORY_LIMIT: u64 = 4 << 30;

/// Refuses networks whose training step would need more than [`STEP_MEMORY_LIMIT`]:
/// parameters with gradients and optimiser state (4 copies), and every layer's output
/// for the batch kept for the backward pass (3 copies: value, gradient, scratch).
fn check_affordable(summary: &codegen::Summary, batch_size: u64) -> Result<(), ApiError> {
    let activations: u64 = summary
        .layers
        .iter()
        .chain(std::iter::once(&summary.output))
        .map(|l| l.output.elements())
        .fold(0u64, u64::saturating_add);
    let floats = summary
        .total_params
        .saturating_mul(4)
        .saturating_add(activations.saturating_mul(batch_size).saturating_mul(3));
    let bytes = floats.saturating_mul(4);
    if bytes > STEP_MEMORY_LIMIT {
        return Err(ApiError::Validation(accounts::ValidationErrors::single(
            "net_config",
            format!(
                "This network needs about {:.1} GiB of memory per training step; the limit is {} GiB. Use fewer channels or units, or a smaller batch_size.",
                bytes as f64 / f64::from(1u32 << 30),
                STEP_MEMORY_LIMIT >> 30
            ),
        )));
    }
    Ok(())
}

/// Starts a run of the model `name` (on `data_id`, attached first when given).
pub fn start_run(state: &AppState, owner: i64, name: &str, data_id: Option<i64>) -> Result<Run, ApiError> {
    let model = match data_id {
        Some(id) => state.models.attach_data(owner, name, id)?,
        None => state.models.by_name(owner, name)?,
    };
    let config_value = model.config.clone().ok_or_else(|| {
        ApiError::Validation(accounts::ValidationErrors::single(
            "modelName",
            "This model has no configuration yet: save one with POST /construct/config/.",
        ))
    })?;
    let spec = model.data_spec.clone().ok_or(models::ModelError::NoData)?;
    let data_id = model.data_id.ok_or(models::ModelError::NoData)?;
    let config = codegen::NetworkConfig::from_value(&config_value).map_err(models::ModelError::Config)?;
    let summary = check_against(&config, &spec)?;
    check_affordable(&summary, config.batch_size)?;
    let warm_from = warm_source(state, &model, &config_value)?;
    Ok(state.runs.submit(&NewRun {
        owner,
        model_id: model.id,
        data_id,
        config: config_value,
        iter: config.iter,
        warm_from,
        data_spec: spec,
        created_at: Utc::now(),
    })?)
}
