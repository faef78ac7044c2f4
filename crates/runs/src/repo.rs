//! Storage of runs and their metric points.

use common::{ModelId, RunId, UserId};

use crate::record::{MetricPoint, NewRun, Run, RunStatus};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct RunRepoError(pub Box<dyn std::error::Error + Send + Sync>);

impl common::ErrorCode for RunRepoError {
    fn code(&self) -> &'static str {
        "run_storage"
    }
}

/// Where runs are kept. Reads are scoped by owner except the recovery query.
pub trait RunRepo: Send + Sync + 'static {
    /// Inserts a queued run.
    fn insert_run(&self, run: &NewRun) -> Result<Run, RunRepoError>;
    /// A run of this owner.
    fn run(&self, owner: UserId, id: RunId) -> Result<Option<Run>, RunRepoError>;
    /// The runs of a model, newest first.
    fn runs_of_model(&self, owner: UserId, model_id: ModelId) -> Result<Vec<Run>, RunRepoError>;
    /// Stores everything but the identity fields.
    fn update_run(&self, run: &Run) -> Result<(), RunRepoError>;
    /// Records a point; a point of the same step replaces the earlier one (a resumed
    /// run recomputes the points after its checkpoint).
    fn put_point(&self, run: RunId, point: &MetricPoint) -> Result<(), RunRepoError>;
    /// The points with `step > since`, in step order.
    fn points(&self, run: RunId, since: Option<u64>) -> Result<Vec<MetricPoint>, RunRepoError>;
    /// A run of any owner (for its remote worker, which proves access with its token).
    fn run_by_id(&self, id: RunId) -> Result<Option<Run>, RunRepoError>;
    /// Every owner's runs in these states (start-up recovery).
    fn runs_in(&self, statuses: &[RunStatus]) -> Result<Vec<Run>, RunRepoError>;
    /// How many runs of all owners are in each state (an operator's view); states
    /// with none are left out. Stores that can count without loading override this.
    fn run_counts(&self) -> Result<Vec<(RunStatus, u64)>, RunRepoError> {
        let runs = self.runs_in(&RunStatus::ALL)?;
        Ok(RunStatus::ALL
            .iter()
            .map(|status| {
                (
                    *status,
                    runs.iter().filter(|r| r.status == *status).count() as u64,
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect())
    }
}
