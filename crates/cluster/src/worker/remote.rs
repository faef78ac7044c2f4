//! The run repository and checkpoint store as a worker sees them: its server, through
//! [`WorkerClient`]. The training driver writes to these exactly as it writes to the
//! database and the data folder when it trains inside the server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{ModelId, RunId, UserId};
use runs::{
    Checkpoint, CheckpointError, Checkpoints, Control, MetricPoint, NewRun, Request, Run, RunRepo,
    RunRepoError, RunStatus,
};

use super::client::{ClientError, PointWire, ProgressWire, WorkerClient};

/// The server, shared by the remote repository and checkpoint store; remembers whether
/// it was ever unreachable for good (the worker then exits as retryable).
pub struct Remote {
    client: WorkerClient,
    run: RunId,
    control: Arc<Control>,
    lost: AtomicBool,
}

impl Remote {
    /// Calls `client` for `run`, passing the server's requests to `control`.
    pub fn new(client: WorkerClient, run: RunId, control: Arc<Control>) -> Self {
        Self {
            client,
            run,
            control,
            lost: AtomicBool::new(false),
        }
    }

    /// The client.
    pub fn client(&self) -> &WorkerClient {
        &self.client
    }

    /// Whether the server became unreachable for longer than the worker waits.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }

    /// Passes a request word from the server on to the run's control.
    pub fn obey(&self, request: &str) {
        match Request::parse(request) {
            Some(Request::Go) => self.control.set(Request::Go),
            Some(Request::Pause) => self.control.set(Request::Pause),
            Some(Request::Stop) => self.control.set(Request::Stop),
            Some(Request::Interrupt) => self.control.set(Request::Interrupt),
            None => tracing::warn!(request, "unknown request from the server"),
        }
    }

    fn storage(&self, error: ClientError) -> RunRepoError {
        if matches!(error, ClientError::Unreachable(_)) {
            self.lost.store(true, Ordering::Release);
        }
        if matches!(error, ClientError::Revoked) {
            // The run ended on the server (stopped, deleted): nothing more to do.
            self.control.set(Request::Stop);
        }
        RunRepoError(Box::new(error))
    }

    fn checkpoint_error(&self, error: ClientError) -> CheckpointError {
        match error {
            // Told as the server's own store tells it, so the run fails with the same reason.
            ClientError::StorageFull => CheckpointError::StorageFull,
            error => CheckpointError::Io(std::io::Error::other(self.storage(error))),
        }
    }

    fn not_for_workers() -> RunRepoError {
        RunRepoError("not available to a worker".into())
    }
}

impl RunRepo for Remote {
    fn insert_run(&self, _: &NewRun) -> Result<Run, RunRepoError> {
        Err(Self::not_for_workers())
    }

    fn run(&self, _: UserId, _: RunId) -> Result<Option<Run>, RunRepoError> {
        Err(Self::not_for_workers())
    }

    fn run_by_id(&self, _: RunId) -> Result<Option<Run>, RunRepoError> {
        Err(Self::not_for_workers())
    }

    fn runs_of_model(&self, _: UserId, _: ModelId) -> Result<Vec<Run>, RunRepoError> {
        Err(Self::not_for_workers())
    }

    /// Reports the run's status and progress, and takes the server's request in return.
    fn update_run(&self, run: &Run) -> Result<(), RunRepoError> {
        let report = ProgressWire {
            status: run.status.as_str().to_owned(),
            step: run.step,
            training_seconds: run.training_seconds,
            data_spec: serde_json::to_value(&run.data_spec).unwrap_or_default(),
            final_accuracy: run.final_accuracy,
            final_loss: run.final_loss,
            confusion: run.confusion.clone(),
            error: run.error.clone(),
        };
        match self.client.progress(&report) {
            Ok(request) => {
                if !run.status.is_final() {
                    self.obey(&request);
                }
                Ok(())
            }
            // A final report the server no longer takes: the run already ended there.
            Err(ClientError::Revoked) if run.status.is_final() => Ok(()),
            Err(error) => Err(self.storage(error)),
        }
    }

    fn put_point(&self, _: RunId, point: &MetricPoint) -> Result<(), RunRepoError> {
        let wire = PointWire {
            step: point.step,
            accuracy: point.accuracy,
            loss: point.loss,
            duration: point.duration,
        };
        self.client.put_point(&wire).map_err(|e| self.storage(e))
    }

    fn points(&self, _: RunId, since: Option<u64>) -> Result<Vec<MetricPoint>, RunRepoError> {
        let points = self.client.points(since).map_err(|e| self.storage(e))?;
        Ok(points
            .into_iter()
            .map(|p| MetricPoint {
                step: p.step,
                accuracy: p.accuracy,
                loss: p.loss,
                duration: p.duration,
            })
            .collect())
    }

    fn runs_in(&self, _: &[RunStatus]) -> Result<Vec<Run>, RunRepoError> {
        Err(Self::not_for_workers())
    }
}

impl Checkpoints for Remote {
    fn save(&self, _: RunId, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
        let bytes = checkpoint.encode()?;
        self.client
            .put_checkpoint(&bytes)
            .map_err(|e| self.checkpoint_error(e))
    }

    fn load(&self, run: RunId) -> Result<Option<Checkpoint>, CheckpointError> {
        if run != self.run {
            return Ok(None);
        }
        match self.client.checkpoint().map_err(|e| self.checkpoint_error(e))? {
            Some(bytes) => Checkpoint::decode(&bytes).map(Some),
            None => Ok(None),
        }
    }

    fn save_weights(&self, _: RunId, weights: &[u8]) -> Result<(), CheckpointError> {
        self.client
            .put_weights(weights)
            .map_err(|e| self.checkpoint_error(e))
    }

    /// The weights of the run this one warm-starts from (the only other run a worker
    /// may read).
    fn weights(&self, run: RunId) -> Result<Option<Vec<u8>>, CheckpointError> {
        if run == self.run {
            return Ok(None);
        }
        self.client.warm_weights().map_err(|e| self.checkpoint_error(e))
    }
}
