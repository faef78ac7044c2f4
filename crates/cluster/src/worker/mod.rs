//! `netsmith worker`: trains one run for a server that is elsewhere. It fetches what to
//! train and the data set with the run's token, trains with the same engine and driver
//! as the server's own threads, and reports every metric point, checkpoint and status
//! back; pause and stop reach it through its reports' answers and a poll of the run's
//! request. It exits with a code the executor acts on (see [`WorkerExit`]).

mod client;
mod remote;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{DataId, ModelId, RunId, UserId};
use dataset::Dataset;
use runs::{Control, Request, Run, RunRepo, RunStatus};
use trainer::{Drive, Engine, Intervals};

pub use client::{ClientError, WorkerClient};
use remote::Remote;

/// How a worker ends, as its exit code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerExit {
    /// The run completed, was stopped, or had already ended: 0.
    Finished,
    /// The run cannot train (its configuration or data is unusable, or training
    /// diverged); the run is reported failed and trying again would not help: 78.
    BadConfiguration,
    /// The server stayed unreachable; starting the worker again continues the run
    /// from its last checkpoint: 75.
    Retryable,
}

impl WorkerExit {
    /// The process exit code (`EX_CONFIG` and `EX_TEMPFAIL` of sysexits for the
    /// failures).
    pub fn code(self) -> u8 {
        match self {
            Self::Finished => 0,
            Self::BadConfiguration => 78,
            Self::Retryable => 75,
        }
    }

    /// The exit of a process that ended with `code` (`None`: killed by a signal).
    pub fn of_code(code: Option<i32>) -> Option<Self> {
        match code {
            Some(0) => Some(Self::Finished),
            Some(78) => Some(Self::BadConfiguration),
            Some(75) => Some(Self::Retryable),
            _ => None,
        }
    }
}

/// Where the worker reports and how patient it is.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The server's base URL, e.g. `http://netsmith:8000`.
    pub server: String,
    /// The run to train.
    pub run: RunId,
    /// The run's token.
    pub token: String,
    /// How long the server may stay unreachable before the worker gives up.
    pub patience: Duration,
    /// How often the worker asks for its run's request between reports.
    pub poll: Duration,
}

/// Trains the run and reports it; returns how the worker ends.
pub fn run_worker(settings: &WorkerSettings, engine: &dyn Engine) -> WorkerExit {
    let client = match WorkerClient::new(
        &settings.server,
        settings.run.get(),
        settings.token.clone(),
        settings.patience,
    ) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot make the server's client");
            return WorkerExit::Retryable;
        }
    };
    let control = Arc::new(Control::default());
    let remote = Arc::new(Remote::new(client, settings.run, control.clone()));
    let assignment = match remote.client().assignment() {
        Ok(assignment) => assignment,
        Err(error) => return exit_for(&error),
    };
    remote.obey(&assignment.request);
    let Ok(data_spec) = serde_json::from_value(assignment.data_spec.clone()) else {
        tracing::error!("the server's data description cannot be read");
        return WorkerExit::BadConfiguration;
    };
    let mut run = Run {
        id: settings.run,
        owner: UserId(0),
        model_id: ModelId(0),
        data_id: DataId(0),
        config: assignment.config.clone(),
        iter: assignment.iter,
        warm_from: (assignment.start == "warm").then_some(RunId(0)),
        status: RunStatus::Running,
        step: assignment.step,
        error: None,
        final_accuracy: None,
        final_loss: None,
        training_seconds: assignment.training_seconds,
        confusion: None,
        data_spec,
        created_at: chrono::Utc::now(),
        started_at: None,
        finished_at: None,
        worker_key: None,
    };
    if let Err(error) = remote.update_run(&run) {
        tracing::error!(%error, "cannot report the run as running");
        return if remote.lost() {
            WorkerExit::Retryable
        } else if control.get() == Request::Stop {
            // The token was revoked: the run ended on the server before it started.
            WorkerExit::Finished
        } else {
            WorkerExit::BadConfiguration
        };
    }
    let data = match remote.client().dataset().map(|bytes| Dataset::decode(&bytes)) {
        Ok(Ok(data)) => data,
        Ok(Err(error)) => return fail(&remote, &mut run, format!("could not read the data: {error}")),
        Err(error) => return exit_for(&error),
    };
    let done = Arc::new(AtomicBool::new(false));
    let poller = poll_requests(remote.clone(), done.clone(), settings.poll);
    let drive = Drive {
        engine,
        repo: remote.as_ref(),
        store: remote.as_ref(),
        control: &control,
        intervals: Intervals {
            eval_every: assignment.eval_every.max(1),
            checkpoint_every: assignment.checkpoint_every.max(1),
        },
    };
    let outcome = drive.train(&mut run, &data, assignment.start == "resume");
    done.store(true, Ordering::Release);
    let _ = poller.join();
    match outcome {
        Ok(ending) => {
            tracing::info!(run = %run.id, ?ending, "worker done");
            WorkerExit::Finished
        }
        Err(_) if remote.lost() => WorkerExit::Retryable,
        // The run ended on the server meanwhile (stopped, its model deleted).
        Err(_) if control.get() == Request::Stop => WorkerExit::Finished,
        Err(error) => fail(&remote, &mut run, error.0),
    }
}

/// Reports the run failed for `reason`.
fn fail(remote: &Remote, run: &mut Run, reason: String) -> WorkerExit {
    tracing::error!(run = %run.id, %reason, "run failed");
    run.end(RunStatus::Failed, Some(reason));
    match remote.update_run(run) {
        Err(_) if remote.lost() => WorkerExit::Retryable,
        _ => WorkerExit::BadConfiguration,
    }
}

fn exit_for(error: &ClientError) -> WorkerExit {
    tracing::error!(%error, "worker stops");
    match error {
        ClientError::Unreachable(_) => WorkerExit::Retryable,
        ClientError::Revoked => WorkerExit::Finished,
        ClientError::Refused(_) | ClientError::StorageFull => WorkerExit::BadConfiguration,
    }
}

/// Asks the server for the run's request every `every` until `done`.
fn poll_requests(remote: Arc<Remote>, done: Arc<AtomicBool>, every: Duration) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !done.load(Ordering::Acquire) {
            std::thread::sleep(every);
            match remote.client().control() {
                Ok(request) => remote.obey(&request),
                Err(ClientError::Revoked) => remote.obey("stop"),
                Err(error) => tracing::warn!(%error, "cannot ask for the run's request"),
            }
        }
    })
}
