//! Using a trained model: which run's parameters answer, turning a picture or CSV rows
//! into samples with the preprocessing of training, and the class probabilities.

use std::collections::BTreeMap;

use accounts::ValidationErrors;
use dataset::{DataKind, DataSpec};
use models::Model;
use trainer::runs::{Run, RunStatus};

use crate::error::ApiError;
use crate::state::AppState;

/// What to classify, as the client sent it.
pub enum Input {
    /// A picture file's bytes (or a CSV file's, for a CSV model).
    File(Vec<u8>),
    /// One of the user's uploads.
    DataId(i64),
    /// Feature values in the model's feature order.
    Features(Vec<f64>),
}

/// One sample's answer.
pub struct Prediction {
    pub label: String,
    pub probabilities: BTreeMap<String, f32>,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::Validation(ValidationErrors::single(field, message))
}

/// The run whose parameters the model uses: the restored one, else its newest run
/// with saved parameters (completed runs first).
fn answering_run(state: &AppState, model: &Model) -> Result<Run, ApiError> {
    if let Some(id) = model.weights_run
        && let Ok(run) = state.runs.run(model.owner, id)
        && state.runs.has_weights(&run)?
    {
        return Ok(run);
    }
    let runs = state.runs.runs_of_model(model.owner, model.id)?;
    let completed = runs.iter().filter(|r| r.status == RunStatus::Completed);
    let others = runs.iter().filter(|r| r.status != RunStatus::Completed);
    for run in completed.chain(others) {
        if state.runs.has_weights(run)? {
            return Ok(run.clone());
        }
    }
    Err(invalid(
        "non_field_errors",
        "This model has not been trained yet: start a run first.",
    ))
}

/// Samples from the input, preprocessed like the training data.
fn samples(state: &AppState, owner: i64, spec: &DataSpec, input: Input) -> Result<Vec<Vec<f32>>, ApiError> {
    let bytes = match input {
        Input::Features(values) => {
            let text: Vec<String> = values.iter().map(f64::to_string).collect();
            return dataset::prepare_row(&text, spec)
                .map(|s| vec![s])
                .map_err(|e| invalid("features", e.to_string()));
        }
        Input::File(bytes) => bytes,
        Input::DataId(id) => {
            let item = state.data.item(owner, id)?;
            let path = state
                .data
                .file(&item, None)
                .map_err(|_| invalid("dataId", "Choose a single picture or CSV upload, not an archive."))?;
            std::fs::read(path).map_err(|e| ApiError::Internal(format!("reading upload {id}: {e}")))?
        }
    };
    match spec.kind {
        DataKind::Images => dataset::prepare_image(&bytes, spec)
            .map(|s| vec![s])
            .map_err(|e| invalid("file", e.to_string())),
        DataKind::Csv => csv_samples(&bytes, spec),
    }
}

/// Every row of a CSV with a header naming (at least) the model's feature columns.
fn csv_samples(bytes: &[u8], spec: &DataSpec) -> Result<Vec<Vec<f32>>, ApiError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| invalid("file", format!("Not a CSV file: {e}")))?
        .clone();
    let positions: Vec<usize> = spec
        .feature_columns
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| invalid("file", format!("The CSV has no column {name:?}.")))
        })
        .collect::<Result<_, _>>()?;
    let mut samples = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| invalid("file", format!("Row {}: {e}", index + 1)))?;
        let values: Vec<String> = positions
            .iter()
            .map(|&p| record.get(p).unwrap_or("").to_owned())
            .collect();
        samples.push(dataset::prepare_row(&values, spec).map_err(|e| invalid("file", e.to_string()))?);
        if samples.len() > 10_000 {
            return Err(invalid("file", "Classify at most 10000 rows at once."));
        }
    }
    if samples.is_empty() {
        return Err(invalid("file", "The CSV has no rows to classify."));
    }
    Ok(samples)
}

/// Classifies `input` with the model's current parameters. Returns the run used
/// and one prediction per sample.
pub fn predict(state: &AppState, model: &Model, input: Input) -> Result<(i64, Vec<Prediction>), ApiError> {
    let run = answering_run(state, model)?;
    let loaded = state.runs.loaded(&run)?;
    let spec = &loaded.data_spec;
    let samples = samples(state, model.owner, spec, input)?;
    let flat: Vec<f32> = samples.concat();
    let rows = loaded
        .predictor
        .probabilities(&flat)
        .map_err(|e| ApiError::Internal(format!("prediction failed: {e}")))?;
    let predictions = rows
        .into_iter()
        .map(|probabilities| {
            let best = probabilities
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            Prediction {
                label: spec.classes.get(best).cloned().unwrap_or_default(),
                probabilities: spec.classes.iter().cloned().zip(probabilities).collect(),
            }
        })
        .collect();
    Ok((run.id, predictions))
}
