//! Runs a server left for the next one as it shut down: checkpointed, recorded
//! interrupted and marked to be resumed by whichever server starts (or is running)
//! next, once.

use common::{RunId, UserId};

use crate::repo::RunRepoError;

/// Where the hand-over mark is kept: the runs' own rows.
pub trait HandOverRepo: Send + Sync + 'static {
    /// Records the run interrupted and marked for the next server, unless it has
    /// ended otherwise or holds paused (a paused run waits for its user); whether it did.
    fn hand_over(&self, run: RunId) -> Result<bool, RunRepoError>;
    /// The runs marked for the next server, oldest first.
    fn handed_over(&self) -> Result<Vec<(UserId, RunId)>, RunRepoError>;
    /// Takes the mark off a run still interrupted, for this server to resume it;
    /// whether this caller got it (one server resumes each run).
    fn take_handed_over(&self, run: RunId) -> Result<bool, RunRepoError>;
}
