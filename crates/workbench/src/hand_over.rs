//! Shutting down without losing training: the runs of a server that stops are
//! checkpointed where they are and handed over, and a server that starts (or runs
//! beside it) resumes them.

use std::time::Instant;

use runs::RunStatus;

use crate::error::Result;
use crate::{Store, Workbench};

impl<S: Store, B: datastore::BlobStore> Workbench<S, B> {
    /// Interrupts every run this server trains (each checkpointed at its step) and
    /// hands the ones that were going over to the next server, waiting for them until
    /// `deadline`; a run still training then is left to be found interrupted, from its
    /// last checkpoint. Paused runs wait for their users. Returns how many runs were handed over.
    pub fn shutdown(&self, deadline: Instant) -> Result<usize> {
        let held = self.executor.shutdown(deadline);
        let mut handed = 0;
        for run in held {
            if self.executor.status(run).is_some() {
                // Still training past the deadline: another server must not resume it
                // beside this one; it is found interrupted when this one is gone.
                tracing::warn!(%run, "run still training at the shutdown deadline; not handed over");
                continue;
            }
            if self.store.hand_over(run)? {
                tracing::info!(%run, "run handed over: the next server resumes it from its checkpoint");
                handed += 1;
            }
        }
        Ok(handed)
    }

    /// Resumes the runs a server handed over as it shut down, each by one server
    /// only: from its checkpoint, or from the start when it never began. How many.
    pub fn resume_handed_over(&self) -> Result<usize> {
        let mut resumed = 0;
        for (owner, id) in self.store.handed_over()? {
            if !self.store.take_handed_over(id)? {
                continue;
            }
            let mut run = self.run(owner, id)?;
            let began = run.started_at.is_some();
            self.predictions.forget(id);
            run.status = RunStatus::Queued;
            match self.launch(&mut run, began) {
                Ok(()) => {
                    tracing::info!(run = %id, "resumed a run handed over by a server that shut down");
                    resumed += 1;
                }
                // It stays interrupted, for its user to resume.
                Err(error) => tracing::warn!(run = %id, %error, "cannot resume a handed-over run"),
            }
        }
        Ok(resumed)
    }
}
