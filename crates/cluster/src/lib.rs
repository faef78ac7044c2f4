//! Where runs train. The [`Executor`] trait is the seam between the use cases and
//! whatever does the training — submit a recorded run, pause, resume, stop, its
//! status, the nodes — and [`LocalExecutor`] is its first implementation: a queue on
//! this machine drained by dedicated training threads, with this machine as the one
//! [`Node`].
//!
//! ```
//! use cluster::{Executor, Held, LocalExecutor, LocalSettings, RunInputs};
//! # use std::sync::Mutex;
//! # use common::{DataLocation, ModelId, RunId, UserId};
//! # use runs::{MetricPoint, NewRun, Run, RunRepo, RunRepoError, RunStatus};
//! # #[derive(Default)]
//! # struct NoRuns;
//! # impl RunRepo for NoRuns {
//! #     fn insert_run(&self, _: &NewRun) -> Result<Run, RunRepoError> { Err(RunRepoError("read only".into())) }
//! #     fn run(&self, _: UserId, _: RunId) -> Result<Option<Run>, RunRepoError> { Ok(None) }
//! #     fn run_by_id(&self, _: RunId) -> Result<Option<Run>, RunRepoError> { Ok(None) }
//! #     fn runs_of_model(&self, _: UserId, _: ModelId) -> Result<Vec<Run>, RunRepoError> { Ok(Vec::new()) }
//! #     fn update_run(&self, _: &Run) -> Result<(), RunRepoError> { Ok(()) }
//! #     fn put_point(&self, _: RunId, _: &MetricPoint) -> Result<(), RunRepoError> { Ok(()) }
//! #     fn points(&self, _: RunId, _: Option<u64>) -> Result<Vec<MetricPoint>, RunRepoError> { Ok(Vec::new()) }
//! #     fn runs_in(&self, _: &[RunStatus]) -> Result<Vec<Run>, RunRepoError> { Ok(Vec::new()) }
//! # }
//! struct NoData;
//! impl RunInputs for NoData {
//!     fn data_of(&self, _: &Run) -> Result<(DataLocation, Option<dataset::Labels>), String> {
//!         Err("no data here".into())
//!     }
//! }
//!
//! let settings = LocalSettings {
//!     workers: 1,
//!     eval_every: 100,
//!     checkpoint_every: 1000,
//!     checkpoints: std::env::temp_dir().join("cluster-doc-checkpoints"),
//!     bind_ip: "127.0.0.1".into(),
//! };
//! let executor = LocalExecutor::start(NoRuns, std::sync::Arc::new(trainer::NativeEngine), Box::new(NoData), settings)?;
//! assert_eq!(executor.status(RunId(1)), None::<Held>);
//! let nodes = executor.nodes(&[])?;
//! assert_eq!(nodes.len(), 1);
//! assert_eq!(nodes[0].internal_ip, "127.0.0.1");
//! assert!(nodes[0].conditions.iter().any(|c| c.kind == "Ready" && c.status == cluster::ConditionStatus::True));
//! # Ok::<(), cluster::ExecutorError>(())
//! ```

#![warn(missing_docs)]

mod engines;
mod executor;
pub mod kubernetes;
mod local;
mod machine;
mod node;
mod process;
mod replica;
mod replicated;
mod slots;
mod sync;
pub mod torch;
pub mod worker;

pub use engines::ByEngine;
pub use executor::{EngineInfo, Executor, ExecutorError, Held, Launch, Placement, Refusal};
pub use kubernetes::{KubernetesExecutor, KubernetesSettings};
pub use local::{LocalExecutor, LocalSettings, RunInputs};
pub use node::{ConditionStatus, Node, NodeCondition, NodePod, ResourceShare, Resources, SystemInfo};
pub use process::{ProcessExecutor, ProcessSettings};
pub use replica::ReplicaId;
pub use replicated::{LeaseSettings, Replicated};
pub use slots::{SlotHeld, TrainingSlots};
pub use torch::{TorchExecutor, TorchSettings};
