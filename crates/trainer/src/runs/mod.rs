//! Training runs: records and their storage trait, the batch schedule, checkpoints
//! on disk, pause/resume/stop control, the driver that trains one run on a thread,
//! and the service that queues runs with bounded concurrency.

pub mod checkpoint;
pub mod control;
pub mod driver;
pub mod record;
pub mod repo;
pub mod schedule;
pub mod service;

pub use record::{MetricPoint, NewRun, Run, RunId, RunStatus};
pub use repo::{RunRepo, RunRepoError};
pub use service::{RunError, RunService, RunSettings, RunSource};
