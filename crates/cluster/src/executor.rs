//! The seam between the use cases and whatever trains runs: this machine's threads
//! today, worker processes or a Kubernetes cluster tomorrow. Run records live in the
//! run repository; an executor only trains the runs it is given and answers for the
//! ones it holds.

use std::time::Instant;

use codegen::{Device, Engine, Execution};
use common::RunId;
use runs::{Request, Run};

use crate::node::Node;

/// Where an executor has a run it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Accepted, waiting for a training slot.
    Queued,
    /// Training (or about to hold at the next step boundary).
    Training,
    /// Holding between steps, its whole state kept.
    Paused,
}

impl Held {
    /// `queued`, `training` or `paused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Training => "training",
            Self::Paused => "paused",
        }
    }
}

/// Where a held run is, for people: which executor has it, in what phase, and (on a
/// cluster) the pod and node it trains on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The executor's name (`local`, `process`, `kubernetes`).
    pub executor: &'static str,
    /// `queued`, `pending` (waiting for a pod: scheduling, pulling), `training` or
    /// `paused`.
    pub phase: String,
    /// What the executor says about that phase, e.g. `ContainerCreating`.
    pub detail: Option<String>,
    /// The worker's pod, on a cluster.
    pub pod: Option<String>,
    /// The node it runs on, on a cluster.
    pub node: Option<String>,
}

/// An engine as this server can run it (`GET /generation/options/list/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineInfo {
    /// `builtin` or `pytorch`.
    pub name: &'static str,
    /// Whether runs may choose it here.
    pub available: bool,
    /// Why not, when it is not.
    pub reason: Option<String>,
    /// The devices it can train on here.
    pub devices: Vec<&'static str>,
    /// The most data-parallel workers a run of it may ask for.
    pub max_workers: u64,
}

/// Why a run's engine, workers or device cannot be had here: the configuration field
/// to blame, and the reason for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `engine`, `workers` or `device`.
    pub field: &'static str,
    /// Why.
    pub reason: String,
}

/// How a submitted run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// From its last checkpoint (else fresh, or warm-started as the run says).
    pub resume: bool,
    /// The token a remote worker of the run authenticates with (see
    /// [`runs::worker_key`]); executors that train in this process ignore it.
    pub token: String,
}

/// An executor's failure.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// The executor cannot act (its threads, processes or cluster are unavailable).
    #[error("the executor is unavailable: {0}")]
    Unavailable(String),
}

impl common::ErrorCode for ExecutorError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "executor_unavailable",
        }
    }
}

/// Trains runs somewhere. Every method returns quickly: training happens elsewhere,
/// and the run's trainer records its own progress and final status.
pub trait Executor: Send + Sync + 'static {
    /// Short name, e.g. `local`.
    fn name(&self) -> &'static str;
    /// Starts training a recorded run, as `launch` says.
    fn submit(&self, run: &Run, launch: &Launch) -> Result<(), ExecutorError>;
    /// Where the executor has the run, or `None` when it does not hold it (never
    /// submitted, ended, or cut off by a restart).
    fn status(&self, run: RunId) -> Option<Held>;
    /// Asks a held run to hold between steps (a queued run holds before it starts).
    fn pause(&self, run: RunId) -> Result<(), ExecutorError>;
    /// Lets a paused run continue where it holds.
    fn resume(&self, run: RunId) -> Result<(), ExecutorError>;
    /// Asks a held run to end at the next step boundary, keeping a checkpoint.
    fn stop(&self, run: RunId) -> Result<(), ExecutorError>;
    /// Ends a held run without caring for its results (its model is being deleted).
    fn forget(&self, run: RunId) -> Result<(), ExecutorError>;
    /// What the run's trainer is asked to do now (remote workers poll this).
    fn requested(&self, run: RunId) -> Request;
    /// The machines runs train on, with `runs` (the caller's unfinished runs) placed
    /// on them as pods.
    fn nodes(&self, runs: &[Run]) -> Result<Vec<Node>, ExecutorError>;
    /// A run whose server replica is gone: whether it still trains where this
    /// executor can see it (a Job in the cluster), in which case this executor drives
    /// it from now on. Executors that train inside a server cannot adopt.
    fn adopt(&self, _run: RunId) -> bool {
        false
    }
    /// Stops driving the run here without ending it where it trains (another replica
    /// drives it now). For executors that train inside this server, that ends it.
    fn release(&self, run: RunId) -> Result<(), ExecutorError> {
        self.forget(run)
    }
    /// The run's remote worker reported progress (already stored): the executor may
    /// act on it, e.g. suspend the Job of a run that now holds paused.
    fn reported(&self, _run: &Run) {}
    /// The server is shutting down: every run held here is asked to checkpoint where it
    /// is and end interrupted (a paused one holds as it is), none starts any more, and
    /// the call waits for them until `deadline`. Returns the runs held when it was
    /// called, for the caller to hand over to the next server. Executors whose runs
    /// train outside this server (a cluster) leave them training and hold nothing.
    fn shutdown(&self, _deadline: Instant) -> Vec<RunId> {
        Vec::new()
    }
    /// The engines runs may choose on this executor.
    fn engines(&self) -> Vec<EngineInfo> {
        vec![EngineInfo {
            name: Engine::Builtin.name(),
            available: true,
            reason: None,
            devices: vec![Device::Cpu.name()],
            max_workers: 1,
        }]
    }
    /// Whether this executor can train a run on `execution`.
    fn can_run(&self, execution: &Execution) -> Result<(), Refusal> {
        match execution.engine {
            Engine::Builtin => Ok(()),
            Engine::Pytorch => Err(Refusal {
                field: "engine",
                reason: format!(
                    "The {} executor trains with the built-in engine only.",
                    self.name()
                ),
            }),
        }
    }
    /// Where the executor has the run, for people (`None` when it does not hold it).
    fn placement(&self, run: RunId) -> Option<Placement> {
        self.status(run).map(|held| Placement {
            executor: self.name(),
            phase: held.as_str().to_owned(),
            detail: None,
            pod: None,
            node: None,
        })
    }
}
