//! Shapes of the run endpoints' bodies.

use runs::{MetricPoint, Run};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::request::RequestBody;
use crate::routes::points::PointView;
use crate::time::rfc3339_micros;

/// `POST /generation/run/basic/`: the model, optionally its data, and optionally
/// how to train it this time (over its configuration's `engine`, `workers`,
/// `device`).
#[derive(Deserialize, ToSchema)]
pub struct StartRunRequest {
    #[serde(rename = "modelName")]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub model_name: Option<String>,
    /// The upload (image-folder zip or CSV) the model trains on.
    #[serde(rename = "dataId")]
    pub data_id: Option<i64>,
    /// `builtin` (the server's own engine) or `pytorch` (the generated script under
    /// torchrun); default: the configuration's, else builtin.
    #[schema(inline)]
    pub engine: Option<EngineName>,
    /// Data-parallel workers (pytorch); default: the configuration's, else 1.
    #[schema(minimum = 1, maximum = 16)]
    pub workers: Option<u64>,
    /// `cpu` or `cuda`; default: the configuration's, else cpu.
    #[schema(inline)]
    pub device: Option<DeviceName>,
}

impl RequestBody for StartRunRequest {}

/// An engine's name.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EngineName {
    Builtin,
    Pytorch,
}

/// A device's name.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeviceName {
    Cpu,
    Cuda,
}

impl StartRunRequest {
    /// The choices over the model's configuration.
    pub fn choice(&self) -> workbench::RunChoice {
        workbench::RunChoice {
            engine: self.engine.map(|e| match e {
                EngineName::Builtin => "builtin".to_owned(),
                EngineName::Pytorch => "pytorch".to_owned(),
            }),
            workers: self.workers,
            device: self.device.map(|d| match d {
                DeviceName::Cpu => "cpu".to_owned(),
                DeviceName::Cuda => "cuda".to_owned(),
            }),
        }
    }
}

/// Pause, resume and stop: which run.
#[derive(Deserialize, ToSchema)]
pub struct RunIdBody {
    #[schema(required = true)]
    pub run_id: Option<i64>,
}

impl RequestBody for RunIdBody {}

/// `GET /generation/run/details/`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunParams {
    #[param(required = true)]
    pub run_id: Option<u64>,
}

/// `GET /generation/run/runtime/`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RuntimeParams {
    #[param(required = true)]
    pub run_id: Option<u64>,
    /// The last step already seen.
    pub since: Option<u64>,
}

/// `202` of `POST /generation/run/basic/`, and the answer of pause/resume/stop.
#[derive(Serialize, ToSchema)]
pub struct RunStatusBody {
    pub run_id: i64,
    /// queued, running, paused, stopped, completed, failed or interrupted.
    pub status: String,
}

impl From<&Run> for RunStatusBody {
    fn from(run: &Run) -> Self {
        RunStatusBody {
            run_id: run.id.get(),
            status: run.status.as_str().to_owned(),
        }
    }
}

/// `GET /generation/run/details/`.
#[derive(Serialize, ToSchema)]
pub struct RunDetails {
    pub run_id: i64,
    pub model_id: i64,
    pub data_id: i64,
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// `builtin` or `pytorch`.
    pub engine: String,
    /// Data-parallel workers.
    pub workers: u64,
    /// `cpu` or `cuda`.
    pub device: String,
    /// The configuration it trains.
    #[schema(value_type = Object)]
    pub config: Value,
    /// Steps to train, and done.
    pub iter: u64,
    pub step: u64,
    pub points: Vec<PointView>,
    pub final_accuracy: Option<f64>,
    pub final_loss: Option<f64>,
    /// Seconds spent in training steps.
    pub training_seconds: f64,
    /// Class names; index = row/column of the confusion matrix.
    pub classes: Vec<String>,
    /// Rows: true class; columns: predicted class (test split).
    pub confusion_matrix: Option<Vec<Vec<u64>>>,
    /// The run whose parameters this one started from.
    pub warm_from: Option<i64>,
    /// Where the executor has the run while it has not ended (null after).
    pub placement: Option<PlacementView>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// Where a run that has not ended is.
#[derive(Serialize, ToSchema)]
pub struct PlacementView {
    /// `local`, `process` or `kubernetes`.
    pub executor: String,
    /// `queued`, `pending` (waiting for its pod: scheduling, pulling the image),
    /// `training` or `paused`.
    pub phase: String,
    /// What the executor says about it, e.g. `Job netsmith-run-7: ContainerCreating`.
    pub detail: Option<String>,
    /// The worker's pod, on a cluster.
    pub pod: Option<String>,
    /// The node that pod runs on.
    pub node: Option<String>,
}

impl From<cluster::Placement> for PlacementView {
    fn from(p: cluster::Placement) -> Self {
        PlacementView {
            executor: p.executor.to_owned(),
            phase: p.phase,
            detail: p.detail,
            pod: p.pod,
            node: p.node,
        }
    }
}

impl RunDetails {
    pub fn new(run: &Run, points: &[MetricPoint], placement: Option<cluster::Placement>) -> Self {
        // A run's configuration was checked when it started.
        let execution = codegen::NetworkConfig::from_value(&run.config)
            .map(|c| c.execution)
            .unwrap_or_default();
        RunDetails {
            run_id: run.id.get(),
            model_id: run.model_id.get(),
            data_id: run.data_id.get(),
            status: run.status.as_str().to_owned(),
            error: run.error.clone(),
            engine: execution.engine.name().to_owned(),
            workers: execution.workers,
            device: execution.device.name().to_owned(),
            config: run.config.clone(),
            iter: run.iter,
            step: run.step,
            points: points.iter().map(PointView::from).collect(),
            final_accuracy: run.final_accuracy,
            final_loss: run.final_loss,
            training_seconds: run.training_seconds,
            classes: run.data_spec.classes.clone(),
            confusion_matrix: run.confusion.clone(),
            warm_from: run.warm_from.map(|r| r.get()),
            placement: placement
                .filter(|_| !run.status.is_final())
                .map(PlacementView::from),
            created_at: rfc3339_micros(run.created_at),
            started_at: run.started_at.map(rfc3339_micros),
            finished_at: run.finished_at.map(rfc3339_micros),
        }
    }
}

/// `GET /generation/run/runtime/` without streaming.
#[derive(Serialize, ToSchema)]
pub struct RuntimeBody {
    pub run_id: i64,
    pub status: String,
    /// The points after `since`.
    pub points: Vec<PointView>,
    pub final_accuracy: Option<f64>,
}
