//! What a run's remote worker may do, once its run-scoped token is checked: learn what
//! to train and where to start, fetch the data set, report metric points (keyed by
//! step, so a repeated report changes nothing), checkpoints, weights and progress, and
//! learn what it is asked to do (go, pause, stop).

use dataset::Dataset;
use runs::{Checkpoint, MetricPoint, Request, Run, RunStatus, worker_key};
use trainer::Intervals;

use crate::error::{Result, WorkbenchError};
use crate::locate::ModelInputs;
use crate::{Store, Workbench};

/// Where a worker's training starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartFrom {
    /// Fresh parameters from the configuration's seed.
    Fresh,
    /// The weights of the run it warm-starts from.
    Warm,
    /// The run's own last checkpoint.
    Resume,
}

impl StartFrom {
    /// `fresh`, `warm` or `resume`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Warm => "warm",
            Self::Resume => "resume",
        }
    }
}

/// What a worker is told to train.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The run as recorded (configuration, steps, data description).
    pub run: Run,
    /// Where training starts.
    pub start: StartFrom,
    /// Steps between metric points and between extra checkpoints.
    pub intervals: Intervals,
    /// What the worker is asked to do now.
    pub request: Request,
}

/// What a worker reports about its run.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerProgress {
    /// `running`, `paused`, `completed`, `stopped` or `failed`.
    pub status: RunStatus,
    /// Steps done.
    pub step: u64,
    /// Seconds spent in training steps.
    pub training_seconds: f64,
    /// The data as the worker found it.
    pub data_spec: Option<dataset::DataSpec>,
    /// Final test metrics (completed or stopped runs).
    pub final_accuracy: Option<f64>,
    /// Final test loss.
    pub final_loss: Option<f64>,
    /// The confusion matrix (completed or stopped runs).
    pub confusion: Option<Vec<Vec<u64>>>,
    /// Why it failed.
    pub error: Option<String>,
}

impl<S: Store, B: datastore::BlobStore> Workbench<S, B> {
    /// The run `token` was issued for, while that run has not ended.
    pub fn worker_run(&self, token: &str) -> Result<Run> {
        let run = worker_key::run_of(token)
            .map(|id| self.store.run_by_id(id))
            .transpose()?
            .flatten()
            .filter(|run| worker_key::accepts(run, token))
            .ok_or(WorkbenchError::WorkerToken)?;
        Ok(run)
    }

    /// What to train, and from where: the run's checkpoint when it has one (a restarted
    /// worker continues), else the weights it warm-starts from, else fresh.
    pub fn assignment(&self, run: Run) -> Result<Assignment> {
        let start = if self.checkpoints.load(run.id)?.is_some() {
            StartFrom::Resume
        } else if run
            .warm_from
            .is_some_and(|from| self.checkpoints.has_weights(from).unwrap_or(false))
        {
            StartFrom::Warm
        } else {
            StartFrom::Fresh
        };
        Ok(Assignment {
            request: self.executor.requested(run.id),
            run,
            start,
            intervals: self.intervals,
        })
    }

    /// The run's data set, read here exactly as a local run would read it.
    pub fn worker_dataset(&self, run: &Run) -> Result<Dataset> {
        use cluster::RunInputs;
        let inputs = ModelInputs::new(self.data.clone(), self.store.clone());
        let (location, labels) = inputs
            .data_of(run)
            .map_err(|reason| WorkbenchError::internal("the run's data", reason))?;
        dataset::load(&location, labels.as_ref())
            .map_err(|e| WorkbenchError::internal("reading the run's data", e))
    }

    /// The run's PyTorch script (what a cluster's PyTorch workers run).
    pub fn worker_script(&self, run: &Run) -> Result<String> {
        cluster::torch::script_of(run).map_err(WorkbenchError::ScriptData)
    }

    /// The run's last checkpoint, encoded.
    pub fn worker_checkpoint(&self, run: &Run) -> Result<Option<Vec<u8>>> {
        Ok(self.checkpoints.load(run.id)?.map(|c| c.encode()).transpose()?)
    }

    /// Stores a checkpoint the worker sent (refused unless it is one).
    pub fn save_worker_checkpoint(&self, run: &Run, bytes: &[u8]) -> Result<()> {
        let checkpoint =
            Checkpoint::decode(bytes).map_err(|_| WorkbenchError::WorkerData("not a checkpoint".into()))?;
        self.checkpoints
            .save(run.id, &checkpoint)
            .map_err(|e| WorkbenchError::storing("this checkpoint", e))
    }

    /// The weights the run warm-starts from.
    pub fn warm_weights(&self, run: &Run) -> Result<Option<Vec<u8>>> {
        match run.warm_from {
            Some(from) => Ok(self.checkpoints.weights(from)?),
            None => Ok(None),
        }
    }

    /// Stores the run's trained weights as the worker sent them; a PyTorch run's
    /// weight body is made the built-in engine's weights (the same network), so its
    /// predictions, restore and warm starts work as any run's.
    pub fn save_worker_weights(&self, run: &Run, bytes: &[u8]) -> Result<()> {
        if bytes.is_empty() {
            return Err(WorkbenchError::WorkerData("no weights".into()));
        }
        let engine = codegen::NetworkConfig::from_value(&run.config)?.execution.engine;
        let weights = match engine {
            codegen::Engine::Builtin => bytes.to_vec(),
            codegen::Engine::Pytorch => {
                let spec = trainer::network_spec(run).map_err(WorkbenchError::WorkerData)?;
                trainer::weights_from_body(&spec, bytes)
                    .map_err(|e| WorkbenchError::WorkerData(e.to_string()))?
            }
        };
        self.predictions.forget(run.id);
        self.checkpoints
            .save_weights(run.id, &weights)
            .map_err(|e| WorkbenchError::storing("these weights", e))
    }

    /// The run's points after `since`.
    pub fn worker_points(&self, run: &Run, since: Option<u64>) -> Result<Vec<MetricPoint>> {
        Ok(self.store.points(run.id, since)?)
    }

    /// Records a metric point (a point of the same step replaces the earlier one).
    pub fn put_worker_point(&self, run: &Run, point: &MetricPoint) -> Result<()> {
        if !(point.accuracy.is_finite() && point.loss.is_finite() && point.duration.is_finite())
            || point.step > run.iter
        {
            return Err(WorkbenchError::WorkerData(format!(
                "point of step {} is not usable",
                point.step
            )));
        }
        Ok(self.store.put_point(run.id, point)?)
    }

    /// Records the worker's progress; a final status ends the run (its token stops
    /// working). Answers what the worker is asked to do now.
    pub fn worker_progress(&self, mut run: Run, progress: WorkerProgress) -> Result<Request> {
        // A worker reports `interrupted` only when this server, shutting down, asked it to.
        let interrupting = self.executor.requested(run.id) == Request::Interrupt;
        if progress.status == RunStatus::Queued
            || (progress.status == RunStatus::Interrupted && !interrupting)
        {
            return Err(WorkbenchError::WorkerData(format!(
                "a worker does not report {}",
                progress.status.as_str()
            )));
        }
        if progress.status == RunStatus::Failed {
            // A failure may be told by a process that does not know where the run was
            // (the generated script's reports step 0): it never moves the run back.
            run.step = run.step.max(progress.step).min(run.iter);
            run.training_seconds = run.training_seconds.max(progress.training_seconds);
        } else {
            run.step = progress.step.min(run.iter);
            run.training_seconds = progress.training_seconds.max(0.0);
        }
        if let Some(spec) = progress.data_spec {
            run.data_spec = spec;
        }
        run.started_at.get_or_insert_with(chrono::Utc::now);
        if progress.status == RunStatus::Interrupted {
            run.interrupt();
        } else if progress.status.is_final() {
            run.final_accuracy = progress.final_accuracy;
            run.final_loss = progress.final_loss;
            run.confusion = progress.confusion;
            run.end(progress.status, progress.error);
        } else {
            run.status = progress.status;
        }
        self.store.update_run(&run)?;
        self.executor.reported(&run);
        Ok(self.executor.requested(run.id))
    }

    /// What the worker of `run` is asked to do now.
    pub fn worker_request(&self, run: &Run) -> Request {
        self.executor.requested(run.id)
    }
}
