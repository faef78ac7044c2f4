//! What is stored about a run.

use chrono::{DateTime, Utc};
use common::{DataId, ModelId, RunId, UserId};
use dataset::DataSpec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Waiting for a training slot.
    Queued,
    /// Training.
    Running,
    /// Held between steps, everything in memory.
    Paused,
    /// Ended by the user; its last checkpoint is kept.
    Stopped,
    /// Trained every step.
    Completed,
    /// Could not train (the reason is stored).
    Failed,
    /// The server stopped while it was going; resumable from its last checkpoint.
    Interrupted,
}

impl RunStatus {
    /// Every state, in the order a run may pass through them.
    pub const ALL: [Self; 7] = [
        Self::Queued,
        Self::Running,
        Self::Paused,
        Self::Stopped,
        Self::Completed,
        Self::Failed,
        Self::Interrupted,
    ];

    /// The name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Paused => "paused",
            Self::Stopped => "stopped",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    /// Parses [`Self::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the run will not change any more by itself.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Stopped | Self::Completed | Self::Failed | Self::Interrupted
        )
    }
}

impl Run {
    /// Ends the run now with `status` (final): its worker key stops working.
    pub fn end(&mut self, status: RunStatus, error: Option<String>) {
        self.status = status;
        self.error = error;
        self.finished_at = Some(Utc::now());
        self.worker_key = None;
    }

    /// Leaves the run interrupted, resumable from its last checkpoint: not finished,
    /// but its worker key stops working.
    pub fn interrupt(&mut self) {
        self.status = RunStatus::Interrupted;
        self.worker_key = None;
    }
}

/// One evaluation on the test split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetricPoint {
    /// Training steps done.
    pub step: u64,
    /// Test-split accuracy in [0, 1].
    pub accuracy: f64,
    /// Mean test-split loss.
    pub loss: f64,
    /// Seconds of training since the previous point.
    pub duration: f64,
}

/// What creating a run records.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    /// Owner.
    pub owner: UserId,
    /// The model trained.
    pub model_id: ModelId,
    /// The upload trained on.
    pub data_id: DataId,
    /// The configuration, as saved when the run was made.
    pub config: Value,
    /// Steps to train.
    pub iter: u64,
    /// The run whose weights this one starts from.
    pub warm_from: Option<RunId>,
    /// The data as it was when the run was made (input shape, classes, normalisation).
    pub data_spec: DataSpec,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Id.
    pub id: RunId,
    /// Owner.
    pub owner: UserId,
    /// The model trained.
    pub model_id: ModelId,
    /// The upload trained on.
    pub data_id: DataId,
    /// The configuration snapshot.
    pub config: Value,
    /// Steps to train.
    pub iter: u64,
    /// Warm start source.
    pub warm_from: Option<RunId>,
    /// Status.
    pub status: RunStatus,
    /// Steps done so far (as of the last checkpoint or point).
    pub step: u64,
    /// Why it failed.
    pub error: Option<String>,
    /// Final test accuracy.
    pub final_accuracy: Option<f64>,
    /// Final test loss.
    pub final_loss: Option<f64>,
    /// Seconds spent in training steps (evaluation excluded).
    pub training_seconds: f64,
    /// Rows: true class; columns: predicted class.
    pub confusion: Option<Vec<Vec<u64>>>,
    /// The data the run trains on (input shape, classes, normalisation).
    pub data_spec: DataSpec,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// First started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of the secret a remote worker of this run authenticates with;
    /// `None` when no remote worker may report for it.
    pub worker_key: Option<String>,
}
