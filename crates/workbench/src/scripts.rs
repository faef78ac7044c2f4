//! Generating a training script: the network (a model's saved configuration, or one
//! sent inline), the data it is described on, the rendered PyTorch or Keras code, and
//! the script stored as a `code` upload.

use codegen::{DataDescription, Framework, NetworkConfig, RenderError};
use common::{DataId, DataKind, UserId};
use dataset::DataSpec;
use datastore::{BlobStore, FileClass};
use models::ModelError;
use serde_json::Value;

use crate::error::{Result, WorkbenchError};
use crate::{Store, Workbench};

/// What a script is generated from.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeRequest {
    /// The model whose configuration and data are used (unless given inline).
    pub model_name: Option<String>,
    /// PyTorch or Keras.
    pub framework: Framework,
    /// A configuration sent with the request (wins over the model's).
    pub inline: Option<Value>,
    /// The data described by the request (wins over the model's).
    pub data: Option<DataDescription>,
}

/// A generated script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedCode {
    /// The upload it was stored as (class `code`).
    pub data_id: DataId,
    /// The script itself.
    pub code: String,
}

/// Letters, digits, `-` and `_` only, so the stored name is predictable.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.trim_matches('_').is_empty() {
        "network".to_owned()
    } else {
        stem
    }
}

/// The data as a script describes it.
fn describe(spec: &DataSpec) -> DataDescription {
    DataDescription {
        kind: spec.kind,
        input: spec.input(),
        classes: spec.classes.clone(),
        label_column: spec.label_column.clone(),
        feature_columns: spec.feature_columns.clone(),
    }
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// Renders the script and stores it as `<model>_<framework>.py` (timestamped like
    /// every upload).
    pub fn generate_code(&self, owner: UserId, request: CodeRequest) -> Result<GeneratedCode> {
        let model = request
            .model_name
            .as_deref()
            .map(|name| self.models.by_name(owner, name))
            .transpose()?;
        let config_value = match (&request.inline, &model) {
            (Some(inline), _) => inline.clone(),
            (None, Some(model)) => model
                .config
                .clone()
                .ok_or(WorkbenchError::NoConfiguration { inline_allowed: true })?,
            (None, None) => return Err(WorkbenchError::NoConfiguration { inline_allowed: true }),
        };
        let config = NetworkConfig::from_value(&config_value)?;
        let data = match (request.data, model.as_ref().and_then(|m| m.data_spec.as_ref())) {
            (Some(data), _) => data,
            (None, Some(spec)) => {
                models::service::check_against(&config, spec)?;
                describe(spec)
            }
            (None, None) => return Err(ModelError::NoData.into()),
        };
        let name = model.as_ref().map_or("network", |m| m.name.as_str());
        let code = codegen::render(request.framework, name, &config, &data).map_err(|e| match e {
            RenderError::Shape(shape) => {
                WorkbenchError::Model(ModelError::shape(shape, config.middle_layers.len()))
            }
            RenderError::Data(message) => WorkbenchError::ScriptData(message),
            other => WorkbenchError::internal("rendering the script", other),
        })?;
        let file_name = format!("{}_{}.py", file_stem(name), request.framework.name());
        let item = self.store_text(owner, FileClass::Code, &file_name, &code)?;
        Ok(GeneratedCode {
            data_id: item.id,
            code,
        })
    }
}

/// Image data is described by its input shape alone; CSV data gets a `label` column and
/// features `x0`, `x1`, ...
pub fn describe_inline(input: codegen::Shape, classes: Vec<String>) -> DataDescription {
    match input {
        codegen::Shape::Image { .. } => DataDescription {
            kind: DataKind::Images,
            input,
            classes,
            label_column: None,
            feature_columns: Vec::new(),
        },
        codegen::Shape::Vector(n) => DataDescription {
            kind: DataKind::Csv,
            input,
            classes,
            label_column: Some("label".to_owned()),
            feature_columns: (0..n).map(|i| format!("x{i}")).collect(),
        },
    }
}
