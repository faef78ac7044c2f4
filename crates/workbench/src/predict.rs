//! Using a trained model: which run's parameters answer, turning a picture or CSV rows
//! into samples with the preprocessing of training, and the class probabilities. Loaded
//! networks of ended runs stay in a small LRU cache.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};

use common::{DataKind, RunId, UserId};
use dataset::DataSpec;
use datastore::BlobStore;
use lru::LruCache;
use models::Model;
use runs::{CheckpointStore, Run, RunStatus};
use trainer::{Engine, Predictor};

use crate::error::{InputKind, Result, WorkbenchError};
use crate::{Store, Workbench};

/// More CSV rows than this in one request are refused.
const MAX_ROWS: usize = 10_000;

/// What to classify.
#[derive(Debug, Clone, PartialEq)]
pub enum PredictInput {
    /// A picture file's bytes (or a CSV file's, for a CSV model).
    File(Vec<u8>),
    /// One of the user's uploads.
    Upload(common::DataId),
    /// Feature values in the model's feature order.
    Features(Vec<f64>),
}

/// One sample's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The most probable class.
    pub label: String,
    /// Every class with its probability.
    pub probabilities: BTreeMap<String, f32>,
}

/// A model loaded for prediction.
struct LoadedModel {
    predictor: Box<dyn Predictor>,
    data_spec: DataSpec,
}

/// Trained networks, loaded once and kept while they are used.
pub(crate) struct Predictions {
    engine: Arc<dyn Engine>,
    store: CheckpointStore,
    cache: Mutex<LruCache<RunId, Arc<LoadedModel>>>,
}

impl Predictions {
    pub(crate) fn new(engine: Arc<dyn Engine>, store: CheckpointStore, capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity.max(1)).unwrap_or(NonZeroUsize::MIN);
        Self {
            engine,
            store,
            cache: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// Drops the loaded network of `run` (its parameters are about to change).
    pub(crate) fn forget(&self, run: RunId) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop(&run);
    }

    /// The trained network of `run`. Only runs that have ended are kept: a running
    /// run's parameters change.
    fn loaded(&self, run: &Run) -> Result<Arc<LoadedModel>> {
        let keep = run.status.is_final();
        if keep
            && let Some(found) = self
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&run.id)
        {
            return Ok(found.clone());
        }
        let weights = self.store.weights(run.id)?.ok_or(WorkbenchError::NoWeights)?;
        let spec =
            trainer::network_spec(run).map_err(|e| WorkbenchError::internal("the run's network", e))?;
        let predictor = self
            .engine
            .predictor(&spec, &weights)
            .map_err(|e| WorkbenchError::internal("loading the trained network", e))?;
        let loaded = Arc::new(LoadedModel {
            predictor,
            data_spec: run.data_spec.clone(),
        });
        if keep {
            self.cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .put(run.id, loaded.clone());
        }
        Ok(loaded)
    }
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// Classifies `input` with the model's current parameters: the restored run's, else
    /// its newest run's with saved parameters (completed runs first). Returns that run
    /// and one prediction per sample.
    pub fn predict(
        &self,
        owner: UserId,
        model: &Model,
        input: PredictInput,
    ) -> Result<(RunId, Vec<Prediction>)> {
        let run = self.answering_run(model)?;
        let loaded = self.predictions.loaded(&run)?;
        let spec = &loaded.data_spec;
        let samples = self.samples(owner, spec, input)?;
        let flat: Vec<f32> = samples.concat();
        let rows = loaded
            .predictor
            .probabilities(&flat)
            .map_err(|e| WorkbenchError::internal("prediction", e))?;
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

    fn answering_run(&self, model: &Model) -> Result<Run> {
        if let Some(id) = model.weights_run
            && let Ok(run) = self.run(model.owner, id)
            && self.checkpoints.has_weights(run.id)?
        {
            return Ok(run);
        }
        let runs = self.store.runs_of_model(model.owner, model.id)?;
        let completed = runs.iter().filter(|r| r.status == RunStatus::Completed);
        let others = runs.iter().filter(|r| r.status != RunStatus::Completed);
        for run in completed.chain(others) {
            if self.checkpoints.has_weights(run.id)? {
                return Ok(run.clone());
            }
        }
        Err(WorkbenchError::NotTrained)
    }

    /// Samples from the input, preprocessed like the training data.
    fn samples(&self, owner: UserId, spec: &DataSpec, input: PredictInput) -> Result<Vec<Vec<f32>>> {
        let bytes = match input {
            PredictInput::Features(values) => {
                let text: Vec<String> = values.iter().map(f64::to_string).collect();
                return dataset::prepare_row(&text, spec)
                    .map(|s| vec![s])
                    .map_err(|e| WorkbenchError::bad_input(InputKind::Features, e.to_string()));
            }
            PredictInput::File(bytes) => bytes,
            PredictInput::Upload(id) => {
                let item = self.data.item(owner, id)?;
                let path = self.data.file(&item, None).map_err(|_| {
                    WorkbenchError::bad_input(
                        InputKind::Upload,
                        "Choose a single picture or CSV upload, not an archive.",
                    )
                })?;
                std::fs::read(path).map_err(|e| WorkbenchError::internal("reading the upload", e))?
            }
        };
        match spec.kind {
            DataKind::Images => dataset::prepare_image(&bytes, spec)
                .map(|s| vec![s])
                .map_err(|e| WorkbenchError::bad_input(InputKind::File, e.to_string())),
            DataKind::Csv => csv_samples(&bytes, spec),
        }
    }
}

/// Every row of a CSV with a header naming (at least) the model's feature columns.
fn csv_samples(bytes: &[u8], spec: &DataSpec) -> Result<Vec<Vec<f32>>> {
    let invalid = |message: String| WorkbenchError::bad_input(InputKind::File, message);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| invalid(format!("Not a CSV file: {e}")))?
        .clone();
    let positions: Vec<usize> = spec
        .feature_columns
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| invalid(format!("The CSV has no column {name:?}.")))
        })
        .collect::<Result<_>>()?;
    let mut samples = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| invalid(format!("Row {}: {e}", index + 1)))?;
        let values: Vec<String> = positions
            .iter()
            .map(|&p| record.get(p).unwrap_or("").to_owned())
            .collect();
        samples.push(dataset::prepare_row(&values, spec).map_err(|e| invalid(e.to_string()))?);
        if samples.len() > MAX_ROWS {
            return Err(invalid(format!("Classify at most {MAX_ROWS} rows at once.")));
        }
    }
    if samples.is_empty() {
        return Err(invalid("The CSV has no rows to classify.".to_owned()));
    }
    Ok(samples)
}
