//! Runs as users drive them: start one for a model (warm-starting from restored
//! weights when the network and data are unchanged, refusing networks too big to
//! train), pause, resume, stop, restore, watch, and the nodes they train on.

use std::time::Duration;

use chrono::Utc;
use cluster::{Launch, Node};
use common::{DataId, RunId, UserId};
use datastore::BlobStore;
use models::service::check_against;
use models::{Model, ModelError};
use runs::{MetricPoint, NewRun, Run, RunStatus};

use crate::error::{Result, WorkbenchError};
use crate::{Store, Workbench};

/// A run may use at most this much memory for its parameters and one step's
/// activations, so one user's network cannot exhaust the server.
pub const STEP_MEMORY_LIMIT: u64 = 4 << 30;

/// How long pause and stop wait for the run to reach a step boundary, in polls.
const SETTLE_POLLS: u32 = 100;
const SETTLE_POLL: Duration = Duration::from_millis(50);

/// Refuses networks whose training step would need more than [`STEP_MEMORY_LIMIT`]:
/// parameters with gradients and optimiser state (4 copies), and every layer's output
/// for the batch kept for the backward pass (3 copies: value, gradient, scratch).
fn check_affordable(summary: &codegen::Summary, batch_size: u64) -> Result<()> {
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
        return Err(WorkbenchError::TooBigToTrain {
            needed_gib: bytes as f64 / f64::from(1u32 << 30),
            limit_gib: STEP_MEMORY_LIMIT >> 30,
        });
    }
    Ok(())
}

/// How a run should train, over what its model's configuration says (`None`: as the
/// configuration says).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunChoice {
    /// `builtin` or `pytorch`.
    pub engine: Option<String>,
    /// Data-parallel workers.
    pub workers: Option<u64>,
    /// `cpu` or `cuda`.
    pub device: Option<String>,
}

impl RunChoice {
    /// The model's configuration with these choices written over it.
    fn over(&self, mut config: serde_json::Value) -> serde_json::Value {
        if let Some(fields) = config.as_object_mut() {
            if let Some(engine) = &self.engine {
                fields.insert("engine".into(), engine.clone().into());
            }
            if let Some(workers) = self.workers {
                fields.insert("workers".into(), workers.into());
            }
            if let Some(device) = &self.device {
                fields.insert("device".into(), device.clone().into());
            }
        }
        config
    }
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// Starts a run of the model `name` (on `data_id`, attached first when given) as
    /// its configuration says: recorded as queued and handed to the executor.
    pub fn start_run(&self, owner: UserId, name: &str, data_id: Option<DataId>) -> Result<Run> {
        self.start_run_as(owner, name, data_id, &RunChoice::default())
    }

    /// The same on the engine, workers and device of `choice`, refused (naming the
    /// field) when this server cannot train that way.
    pub fn start_run_as(
        &self,
        owner: UserId,
        name: &str,
        data_id: Option<DataId>,
        choice: &RunChoice,
    ) -> Result<Run> {
        // Before anything changes (attaching data, say).
        self.check_queue_room(owner)?;
        let model = match data_id {
            Some(id) => self.models.attach_data(owner, name, id)?,
            None => self.models.by_name(owner, name)?,
        };
        let saved = model.config.clone().ok_or(WorkbenchError::NoConfiguration {
            inline_allowed: false,
        })?;
        let config_value = choice.over(saved);
        let spec = model.data_spec.clone().ok_or(ModelError::NoData)?;
        let data_id = model.data_id.ok_or(ModelError::NoData)?;
        let config = codegen::NetworkConfig::from_value(&config_value)?;
        self.executor
            .can_run(&config.execution)
            .map_err(|refusal| WorkbenchError::EngineUnavailable {
                field: refusal.field,
                reason: refusal.reason,
            })?;
        let summary = check_against(&config, &spec)?;
        check_affordable(&summary, config.batch_size)?;
        let warm_from = self.warm_source(&model, &config_value)?;
        let mut run = self.store.insert_run(&NewRun {
            owner,
            model_id: model.id,
            data_id,
            config: config_value,
            iter: config.iter,
            warm_from,
            data_spec: spec,
            created_at: Utc::now(),
        })?;
        self.launch(&mut run, false)?;
        Ok(run)
    }

    /// Issues the run a worker token, stores it, and hands the run to the executor.
    pub(crate) fn launch(&self, run: &mut Run, resume: bool) -> Result<()> {
        let token = runs::worker_key::issue(run);
        self.store.update_run(run)?;
        self.executor.submit(run, &Launch { resume, token })?;
        Ok(())
    }

    /// The run a new run of `model` warm-starts from: the restored one, when it trained
    /// the same network on data of the same shape and classes.
    fn warm_source(&self, model: &Model, config: &serde_json::Value) -> Result<Option<RunId>> {
        let Some(run_id) = model.weights_run else {
            return Ok(None);
        };
        let Ok(run) = self.run(model.owner, run_id) else {
            return Ok(None);
        };
        let same_network = run.config.get("net_type") == config.get("net_type")
            && run.config.get("net_config") == config.get("net_config");
        let same_data = model.data_spec.as_ref().is_some_and(|spec| {
            spec.input() == run.data_spec.input() && spec.classes == run.data_spec.classes
        });
        Ok((same_network && same_data && self.checkpoints.has_weights(run.id)?).then_some(run.id))
    }

    /// A run of this owner.
    pub fn run(&self, owner: UserId, id: RunId) -> Result<Run> {
        self.store.run(owner, id)?.ok_or(WorkbenchError::RunNotFound)
    }

    /// A run and its metric points after step `since` (all of them without).
    pub fn run_progress(
        &self,
        owner: UserId,
        id: RunId,
        since: Option<u64>,
    ) -> Result<(Run, Vec<MetricPoint>)> {
        let run = self.run(owner, id)?;
        let points = self.store.points(run.id, since)?;
        Ok((run, points))
    }

    /// Where the executor has the run now (`None` once it has ended or before it was
    /// handed over).
    pub fn placement(&self, id: RunId) -> Option<cluster::Placement> {
        self.executor.placement(id)
    }

    /// The runs of a model, newest first.
    pub fn runs_of_model(&self, owner: UserId, model: common::ModelId) -> Result<Vec<Run>> {
        Ok(self.store.runs_of_model(owner, model)?)
    }

    /// The latest run of the model `name` with its points (`None` before any run).
    pub fn latest_run(&self, owner: UserId, name: &str) -> Result<Option<(Run, Vec<MetricPoint>)>> {
        let model = self.models.by_name(owner, name)?;
        let Some(run) = self.store.runs_of_model(owner, model.id)?.into_iter().next() else {
            return Ok(None);
        };
        let points = self.store.points(run.id, None)?;
        Ok(Some((run, points)))
    }

    /// Holds a queued or running run between steps, and answers once it holds (or a
    /// few seconds passed). A running run's trainer records `paused` itself at the
    /// next step boundary (writing it here could overwrite a `completed` stored
    /// meanwhile).
    pub fn pause_run(&self, owner: UserId, id: RunId) -> Result<Run> {
        let mut run = self.run(owner, id)?;
        let held = self.executor.status(id).is_some();
        match (run.status, held) {
            (RunStatus::Paused, _) => {}
            (RunStatus::Queued, true) => {
                // Not started: its trainer reads the request before it begins.
                self.executor.pause(id)?;
                run.status = RunStatus::Paused;
                self.store.update_run(&run)?;
            }
            (RunStatus::Running, true) => self.executor.pause(id)?,
            (status, _) => {
                return Err(WorkbenchError::RunState(format!(
                    "Only a queued or running run can be paused; this run is {}.",
                    status.as_str()
                )));
            }
        }
        self.settle(owner, id, |s| s == RunStatus::Paused || s.is_final())
    }

    /// Continues a paused run where it holds, or a paused or interrupted run the
    /// executor no longer holds from its last checkpoint.
    pub fn resume_run(&self, owner: UserId, id: RunId) -> Result<Run> {
        let mut run = self.run(owner, id)?;
        let held = self.executor.status(id).is_some();
        match (run.status, held) {
            (RunStatus::Paused, true) => {
                // Its trainer records `running` as it continues where it holds; an
                // executor that must start it again first records it queued.
                self.executor.resume(id)?;
                let mut now = self.run(owner, id)?;
                if now.status == RunStatus::Paused {
                    now.status = RunStatus::Running;
                }
                Ok(now)
            }
            (RunStatus::Paused | RunStatus::Interrupted, false) => {
                // Its parameters will move on from the checkpoint.
                self.predictions.forget(id);
                run.status = RunStatus::Queued;
                self.launch(&mut run, true)?;
                Ok(run)
            }
            (status, _) => Err(WorkbenchError::RunState(format!(
                "Only a paused or interrupted run can be resumed; this run is {}.",
                status.as_str()
            ))),
        }
    }

    /// Ends a run, keeping its last checkpoint; answers once it has ended (or a few
    /// seconds passed).
    pub fn stop_run(&self, owner: UserId, id: RunId) -> Result<Run> {
        let mut run = self.run(owner, id)?;
        let held = self.executor.status(id).is_some();
        match (run.status, held) {
            (RunStatus::Queued | RunStatus::Running | RunStatus::Paused, true) => self.executor.stop(id)?,
            (RunStatus::Interrupted | RunStatus::Paused, false) => {
                run.end(RunStatus::Stopped, run.error.clone());
                self.store.update_run(&run)?;
            }
            (status, _) => {
                return Err(WorkbenchError::RunState(format!(
                    "This run has already ended; it is {}.",
                    status.as_str()
                )));
            }
        }
        self.settle(owner, id, RunStatus::is_final)
    }

    /// Waits until the run's status satisfies `done`, or the polls run out (then the
    /// run as it is).
    fn settle(&self, owner: UserId, id: RunId, done: fn(RunStatus) -> bool) -> Result<Run> {
        let mut current = self.run(owner, id)?;
        for _ in 1..SETTLE_POLLS {
            if done(current.status) {
                break;
            }
            std::thread::sleep(SETTLE_POLL);
            current = self.run(owner, id)?;
        }
        Ok(current)
    }

    /// Makes the run's saved parameters its model's current ones (the model's next run
    /// warm-starts from them).
    pub fn restore_run(&self, owner: UserId, id: RunId) -> Result<Run> {
        let run = self.run(owner, id)?;
        if !self.checkpoints.has_weights(run.id)? {
            return Err(WorkbenchError::NoWeights);
        }
        self.models.set_weights_run(owner, run.model_id, Some(run.id))?;
        Ok(run)
    }

    /// Refuses a new run when the owner already has the most runs waiting to train.
    fn check_queue_room(&self, owner: UserId) -> Result<()> {
        if self.max_queued_runs == 0 {
            return Ok(());
        }
        let queued = self
            .store
            .runs_in(&[RunStatus::Queued])?
            .iter()
            .filter(|run| run.owner == owner)
            .count();
        if queued >= self.max_queued_runs {
            return Err(WorkbenchError::QueueFull {
                limit: self.max_queued_runs,
            });
        }
        Ok(())
    }

    /// The owner's runs that have not ended (queued, running, paused), oldest first.
    pub fn unfinished_runs(&self, owner: UserId) -> Result<Vec<Run>> {
        let mut runs: Vec<Run> = self
            .store
            .runs_in(&[RunStatus::Queued, RunStatus::Running, RunStatus::Paused])?
            .into_iter()
            .filter(|run| run.owner == owner)
            .collect();
        runs.sort_by_key(|run| run.id);
        Ok(runs)
    }

    /// The engines runs may choose on this server.
    pub fn engines(&self) -> Vec<cluster::EngineInfo> {
        self.executor.engines()
    }

    /// The nodes runs train on, with the owner's unfinished runs as their pods (never
    /// another user's).
    pub fn nodes(&self, owner: UserId) -> Result<Vec<Node>> {
        let runs = self.unfinished_runs(owner)?;
        Ok(self.executor.nodes(&runs)?)
    }
}
