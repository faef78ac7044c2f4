//! What an operator watches across every user: how many runs are in each state (the
//! queued ones are the training queue) and how fast the running ones train.

use runs::{Run, RunStatus};

use crate::error::Result;
use crate::{Store, Workbench};

/// The server's training, as a monitoring system scrapes it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingOverview {
    /// Runs of every owner in each state, every state listed (0 for none).
    pub runs: Vec<(RunStatus, u64)>,
    /// Images (or rows) per second of the running runs together, from the last metric
    /// point of each.
    pub images_per_second: f64,
}

impl<S: Store, B: datastore::BlobStore> Workbench<S, B> {
    /// Counts of runs by state and the running runs' throughput.
    pub fn training_overview(&self) -> Result<TrainingOverview> {
        let counted = self.store.run_counts()?;
        let runs = RunStatus::ALL
            .iter()
            .map(|status| {
                let n = counted.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
                (*status, n)
            })
            .collect();
        let mut images_per_second = 0.0;
        for run in self.store.runs_in(&[RunStatus::Running])? {
            images_per_second += self.throughput(&run)?;
        }
        Ok(TrainingOverview {
            runs,
            images_per_second,
        })
    }

    /// Removes the checkpoint folders of runs that are no longer recorded (a model
    /// deleted by a server that stopped before its files went); returns how many.
    pub fn sweep_orphan_checkpoints(&self) -> Result<usize> {
        let mut swept = 0;
        for run in self.checkpoints.runs()? {
            if self.store.run_by_id(run)?.is_none() {
                self.checkpoints.remove(run)?;
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// Images per second over the run's last two points (from the start for its first).
    fn throughput(&self, run: &Run) -> Result<f64> {
        let points = self.store.points(run.id, None)?;
        let (Some(last), before) = (points.last(), points.len().checked_sub(2).map(|i| &points[i])) else {
            return Ok(0.0);
        };
        let steps = last.step.saturating_sub(before.map_or(0, |p| p.step));
        let batch =
            codegen::NetworkConfig::from_value(&run.config).map_or(0, |c| c.batch_size * c.execution.workers);
        if last.duration <= 0.0 {
            return Ok(0.0);
        }
        Ok((steps * batch) as f64 / last.duration)
    }
}
