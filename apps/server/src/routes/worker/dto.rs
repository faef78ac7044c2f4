//! The bodies of the worker protocol.

use runs::{MetricPoint, RunStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use workbench::{Assignment, WorkerProgress};

use crate::request::RequestBody;

/// What a worker is told to train.
#[derive(Serialize, ToSchema)]
pub struct AssignmentBody {
    pub run_id: i64,
    /// The configuration snapshot of the run.
    #[schema(value_type = Object)]
    pub config: Value,
    /// Steps to train.
    pub iter: u64,
    /// Steps done so far.
    pub step: u64,
    /// Seconds spent in training steps so far.
    pub training_seconds: f64,
    /// The data as the server describes it.
    #[schema(value_type = Object)]
    pub data_spec: Value,
    /// `fresh`, `warm` (GET `warm-weights/`) or `resume` (GET `checkpoint/`).
    pub start: String,
    /// Steps between metric points.
    pub eval_every: u64,
    /// Steps between extra checkpoints.
    pub checkpoint_every: u64,
    /// `go`, `pause` or `stop`.
    pub request: String,
}

impl From<Assignment> for AssignmentBody {
    fn from(a: Assignment) -> Self {
        AssignmentBody {
            run_id: a.run.id.get(),
            config: a.run.config,
            iter: a.run.iter,
            step: a.run.step,
            training_seconds: a.run.training_seconds,
            data_spec: serde_json::to_value(&a.run.data_spec).unwrap_or(Value::Null),
            start: a.start.as_str().to_owned(),
            eval_every: a.intervals.eval_every,
            checkpoint_every: a.intervals.checkpoint_every,
            request: a.request.as_str().to_owned(),
        }
    }
}

/// What the worker is asked to do: `go`, `pause` or `stop`.
#[derive(Serialize, ToSchema)]
pub struct RequestBodyOut {
    pub request: String,
}

/// One metric point, keyed by its step (the path's).
#[derive(Deserialize, ToSchema)]
pub struct PointBody {
    #[schema(required = true)]
    pub accuracy: Option<f64>,
    #[schema(required = true)]
    pub loss: Option<f64>,
    /// Seconds of training since the previous point.
    #[schema(required = true)]
    pub duration: Option<f64>,
}

impl RequestBody for PointBody {}

impl PointBody {
    pub fn at(self, step: u64) -> MetricPoint {
        MetricPoint {
            step,
            accuracy: self.accuracy.unwrap_or_default(),
            loss: self.loss.unwrap_or_default(),
            duration: self.duration.unwrap_or_default(),
        }
    }
}

/// A worker's report on its run.
#[derive(Deserialize, ToSchema)]
pub struct ProgressBody {
    /// `running`, `paused`, `completed`, `stopped` or `failed`.
    #[schema(required = true, min_length = 1)]
    pub status: Option<String>,
    #[schema(required = true, minimum = 0)]
    pub step: Option<u64>,
    #[schema(required = true)]
    pub training_seconds: Option<f64>,
    /// The data as the worker found it.
    pub data_spec: Option<Value>,
    pub final_accuracy: Option<f64>,
    pub final_loss: Option<f64>,
    /// Rows: true class; columns: predicted class.
    pub confusion: Option<Vec<Value>>,
    /// Why it failed.
    pub error: Option<String>,
}

impl RequestBody for ProgressBody {}

impl ProgressBody {
    /// The report, or what is wrong with it.
    pub fn progress(self) -> Result<WorkerProgress, common::FieldErrors> {
        let mut errors = common::FieldErrors::new();
        let status = self.status.as_deref().and_then(RunStatus::parse);
        if status.is_none() {
            errors.add("status", "Enter running, paused, completed, stopped or failed.");
        }
        let data_spec = match self.data_spec.map(serde_json::from_value) {
            Some(Ok(spec)) => Some(spec),
            Some(Err(_)) => {
                errors.add("data_spec", "Not a data description.");
                None
            }
            None => None,
        };
        let confusion = match self
            .confusion
            .map(|rows| serde_json::from_value(Value::Array(rows)))
        {
            Some(Ok(matrix)) => Some(matrix),
            Some(Err(_)) => {
                errors.add("confusion", "Enter a list of rows of counts.");
                None
            }
            None => None,
        };
        errors.into_result()?;
        Ok(WorkerProgress {
            status: status.unwrap_or(RunStatus::Running),
            step: self.step.unwrap_or_default(),
            training_seconds: self.training_seconds.unwrap_or_default(),
            data_spec,
            final_accuracy: self.final_accuracy,
            final_loss: self.final_loss,
            confusion,
            error: self.error,
        })
    }
}

/// `GET /worker/runs/<id>/points/`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PointsParams {
    /// The last step already known.
    pub since: Option<u64>,
}
