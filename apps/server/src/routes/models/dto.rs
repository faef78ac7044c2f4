//! Shapes of the model endpoints' bodies.

use codegen::{LayerSummary, Shape, Summary};
use dataset::DataSpec;
use models::{Model, service::summary_of};
use runs::Run;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::{ApiError, fields_body};
use crate::request::{FilePart, RequestBody};
use crate::routes::configuration::Configuration;
use crate::time::rfc3339_micros;

/// `POST /data/create/` (and `POST /generation/run/basic/`): a model by name, and
/// optionally an upload to become its data.
#[derive(Deserialize, ToSchema)]
pub struct ModelDataRequest {
    #[serde(rename = "modelName")]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub model_name: Option<String>,
    /// The upload (image-folder zip or CSV) the model trains on.
    #[serde(rename = "dataId")]
    pub data_id: Option<i64>,
}

impl RequestBody for ModelDataRequest {}

/// `POST /construct/config/`: a model, optionally its data, and the configuration,
/// stored exactly as sent.
#[derive(Deserialize, ToSchema)]
pub struct SaveConfigRequest {
    #[serde(rename = "modelName")]
    #[schema(required = true, min_length = 1, max_length = 100)]
    pub model_name: Option<String>,
    /// Optional: make this upload the model's data first.
    #[serde(rename = "dataId")]
    pub data_id: Option<i64>,
    #[serde(flatten)]
    pub config: Configuration,
}

impl RequestBody for SaveConfigRequest {}

/// `POST /data/tag/`: labels for the pictures of a model's data.
#[derive(Deserialize, ToSchema)]
pub struct TagForm {
    #[serde(rename = "modelName")]
    #[schema(required = true, min_length = 1)]
    pub model_name: Option<String>,
    /// JSON object: a picture's relative path in the model's data → its label.
    #[schema(required = true)]
    pub file: Option<FilePart>,
}

impl RequestBody for TagForm {
    /// About 100,000 labels.
    const FORM_LIMIT: usize = 16 * 1024 * 1024;
}

/// What to classify: `file` (a picture, or CSV rows for a CSV model), or `dataId`
/// (an upload), or `features` (one row's values).
#[derive(Deserialize, ToSchema)]
pub struct PredictForm {
    pub file: Option<FilePart>,
    #[serde(rename = "dataId")]
    pub data_id: Option<i64>,
    pub features: Option<Vec<Value>>,
}

impl RequestBody for PredictForm {
    /// A picture to classify is at most this large.
    const FORM_LIMIT: usize = 32 * 1024 * 1024;
}

/// `201` of `POST /data/create/`.
#[derive(Serialize, ToSchema)]
pub struct CreatedModel {
    pub id: i64,
    pub name: String,
}

/// `200` of `POST /data/tag/`.
#[derive(Serialize, ToSchema)]
pub struct LabelCount {
    /// How many labels were stored.
    pub labels: usize,
}

/// What a model's data looks like to a network.
#[derive(Serialize, ToSchema)]
pub struct DataView {
    /// `images` or `csv`.
    pub kind: String,
    /// `[height, width, channels]` or `[features]`.
    #[schema(value_type = Vec<u64>)]
    pub input_shape: Shape,
    /// Class names; a class's index is its output unit.
    pub classes: Vec<String>,
    pub samples: usize,
    /// CSV only: the column holding the class.
    pub label_column: Option<String>,
}

impl From<&DataSpec> for DataView {
    fn from(spec: &DataSpec) -> Self {
        DataView {
            kind: spec.kind.as_str().to_owned(),
            input_shape: spec.input(),
            classes: spec.classes.clone(),
            samples: spec.samples,
            label_column: spec.label_column.clone(),
        }
    }
}

/// One layer of the shape summary.
#[derive(Serialize, ToSchema)]
pub struct LayerView {
    /// Index in `middle_layer` (the output layer's is the number of middle layers).
    pub index: usize,
    /// conv, pool, norm, active, connect, dropout or output.
    pub layer: String,
    #[schema(value_type = Vec<u64>)]
    pub output_shape: Shape,
    /// Trainable parameters, as PyTorch counts them.
    pub params: u64,
    /// Floating-point operations per sample.
    pub flops: u64,
}

impl From<&LayerSummary> for LayerView {
    fn from(layer: &LayerSummary) -> Self {
        LayerView {
            index: layer.index,
            layer: layer.kind.clone(),
            output_shape: layer.output,
            params: layer.params,
            flops: layer.flops,
        }
    }
}

/// The network on the model's data, layer by layer.
#[derive(Serialize, ToSchema)]
pub struct SummaryView {
    #[schema(value_type = Vec<u64>)]
    pub input_shape: Shape,
    /// Middle layers, then the output layer.
    pub layers: Vec<LayerView>,
    pub total_params: u64,
    pub total_flops: u64,
}

impl SummaryView {
    pub fn new(input: Shape, summary: &Summary) -> Self {
        let mut layers: Vec<LayerView> = summary.layers.iter().map(LayerView::from).collect();
        layers.push(LayerView::from(&summary.output));
        SummaryView {
            input_shape: input,
            layers,
            total_params: summary.total_params,
            total_flops: summary.total_flops,
        }
    }
}

/// `GET /models/<id>/`.
#[derive(Serialize, ToSchema)]
pub struct ModelDetail {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    /// The upload the model trains on.
    pub data_id: Option<i64>,
    pub data: Option<DataView>,
    /// How many labels `/data/tag/` stored.
    pub labels: usize,
    /// The configuration as saved (`GET /construct/detail/<name>/` gives the same).
    pub config: Option<Value>,
    /// Shapes and parameters on the model's data (null without configuration or data).
    pub summary: Option<SummaryView>,
    /// Why the saved configuration does not fit the data, when it does not.
    pub summary_error: Option<Value>,
    /// The summary's `total_params`.
    pub parameter_count: Option<u64>,
    /// The run whose parameters are the model's current ones.
    pub weights_run: Option<i64>,
    /// Its runs, newest first.
    pub runs: Vec<RunSummary>,
}

/// A run in a model's detail.
#[derive(Serialize, ToSchema)]
pub struct RunSummary {
    pub run_id: i64,
    pub status: String,
    pub step: u64,
    pub iter: u64,
    pub final_accuracy: Option<f64>,
    pub final_loss: Option<f64>,
    /// Seconds spent in training steps.
    pub training_seconds: f64,
    pub created_at: String,
}

impl From<&Run> for RunSummary {
    fn from(run: &Run) -> Self {
        RunSummary {
            run_id: run.id.get(),
            status: run.status.as_str().to_owned(),
            step: run.step,
            iter: run.iter,
            final_accuracy: run.final_accuracy,
            final_loss: run.final_loss,
            training_seconds: run.training_seconds,
            created_at: rfc3339_micros(run.created_at),
        }
    }
}

impl ModelDetail {
    pub fn new(model: &Model, runs: &[Run]) -> Self {
        let (summary, summary_error) = match summary_of(model) {
            None => (None, None),
            Some(Ok(summary)) => {
                let input = model.data_spec.as_ref().map(DataSpec::input);
                (input.map(|i| SummaryView::new(i, &summary)), None)
            }
            Some(Err(error)) => (None, ApiError::from(error).field_errors().map(fields_body)),
        };
        ModelDetail {
            id: model.id.get(),
            name: model.name.clone(),
            created_at: rfc3339_micros(model.created_at),
            updated_at: rfc3339_micros(model.updated_at),
            data_id: model.data_id.map(|d| d.get()),
            data: model.data_spec.as_ref().map(DataView::from),
            labels: model.labels.as_ref().map_or(0, |l| l.len()),
            config: model.config.clone(),
            parameter_count: summary.as_ref().map(|s| s.total_params),
            summary,
            summary_error,
            weights_run: model.weights_run.map(|r| r.get()),
            runs: runs.iter().map(RunSummary::from).collect(),
        }
    }
}

/// One row of `GET /models/list/`.
#[derive(Serialize, ToSchema)]
pub struct ModelListItem {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    /// `new` (no configuration), `configured`, or the latest run's status.
    pub status: String,
    /// Best final test accuracy of its runs (null before any finished run).
    pub best_accuracy: Option<f64>,
    pub data_id: Option<i64>,
    pub parameter_count: Option<u64>,
}
