//! Training runs as records, without any engine: a run's statuses and metric points,
//! the [`RunRepo`] trait that stores them, the [`CheckpointStore`] that keeps each run's
//! checkpoint and weights on disk (always written atomically), and the [`Control`] a
//! run's trainer checks between steps for pause and stop requests.
//!
//! The persistence crate implements [`RunRepo`]; executors and the training driver use
//! the rest. Nothing here links the training engine.
//!
//! ```
//! use common::RunId;
//! use runs::{Checkpoint, CheckpointStore, Progress, RunStatus};
//!
//! let folder = std::env::temp_dir().join(format!("runs-doc-{}", std::process::id()));
//! let store = CheckpointStore::new(&folder);
//! let saved = Checkpoint { progress: Progress { step: 100, training_seconds: 1.5 }, engine: vec![1, 2, 3] };
//! store.save(RunId(7), &saved)?;
//! assert_eq!(store.load(RunId(7))?, Some(saved));
//! assert!(!store.has_weights(RunId(7))?);
//! store.remove(RunId(7))?;
//! # std::fs::remove_dir_all(&folder).ok();
//!
//! assert!(RunStatus::Interrupted.is_final());
//! assert_eq!(RunStatus::parse("paused"), Some(RunStatus::Paused));
//! # Ok::<(), runs::CheckpointError>(())
//! ```

#![warn(missing_docs)]

mod checkpoint;
mod control;
mod hand_over;
mod lease;
mod record;
mod repo;
pub mod worker_key;

pub use checkpoint::{Checkpoint, CheckpointError, CheckpointStore, Checkpoints, Progress};
pub use control::{Control, Request};
pub use hand_over::HandOverRepo;
pub use lease::{Lease, LeaseRepo, LeaseState};
pub use record::{MetricPoint, NewRun, Run, RunStatus};
pub use repo::{RunRepo, RunRepoError};
