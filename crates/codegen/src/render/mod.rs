//! Renders a configuration as a stand-alone PyTorch or Keras training script.
//!
//! The templates (`templates/*.py.j2`) only lay out code: every number and name
//! is prepared here, layers come as plain records with all defaults filled in
//! and PyTorch's `in_channels`/`in_features` taken from shape inference. The
//! data-loading part is shared by both frameworks and rendered first.

mod context;
mod python;

use common::{DataKind, ErrorCode};
use minijinja::Environment;
use serde::Serialize;

use crate::config::{Layer, NetworkConfig};
use crate::shape::{Shape, ShapeError, summarize};
use context::{Context, LayerCtx};

const DATA_TEMPLATE: &str = include_str!("../../templates/data.py.j2");
const PYTORCH_TEMPLATE: &str = include_str!("../../templates/pytorch.py.j2");
const KERAS_TEMPLATE: &str = include_str!("../../templates/keras.py.j2");

/// Target framework of a generated script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    /// PyTorch (`torch.nn`), model saved as a `state_dict` (`.pt`).
    PyTorch,
    /// Keras 3 on TensorFlow, model saved as `.keras`.
    Keras,
}

impl Framework {
    /// Parses `pytorch` or `keras` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "pytorch" => Some(Self::PyTorch),
            "keras" => Some(Self::Keras),
            _ => None,
        }
    }

    /// The name accepted by [`Framework::parse`].
    pub fn name(self) -> &'static str {
        match self {
            Self::PyTorch => "pytorch",
            Self::Keras => "keras",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::PyTorch => "pt",
            Self::Keras => "keras",
        }
    }
}

/// The data set a script is generated for; its facts are embedded in the script.
#[derive(Debug, Clone, PartialEq)]
pub struct DataDescription {
    /// Pictures or CSV.
    pub kind: DataKind,
    /// The network's input (pictures are resized to it; CSV features are
    /// reshaped to it in row-major H, W, C order when it is an image).
    pub input: Shape,
    /// Class names; the index is the class id.
    pub classes: Vec<String>,
    /// The CSV label column (required for [`DataKind::Csv`]).
    pub label_column: Option<String>,
    /// The CSV feature columns, in input order.
    pub feature_columns: Vec<String>,
}

/// Why a script could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The network does not fit the data (shape inference failed).
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// The data description is inconsistent.
    #[error("data description: {0}")]
    Data(String),
    /// A template failed (a bug in the templates).
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

impl ErrorCode for RenderError {
    fn code(&self) -> &'static str {
        match self {
            // The same problem as when shape inference is asked directly.
            Self::Shape(e) => e.code(),
            Self::Data(_) => "render_data_invalid",
            Self::Template(_) => "render_template_failed",
        }
    }
}

/// Renders a complete training script for `config` on `data`.
///
/// Validates the network with [`summarize`] first, so an invalid network is
/// rejected with the same [`ShapeError`] the server reports.
pub fn render(
    framework: Framework,
    model_name: &str,
    config: &NetworkConfig,
    data: &DataDescription,
) -> Result<String, RenderError> {
    check_data(data)?;
    let classes = u64::try_from(data.classes.len()).map_err(|e| RenderError::Data(e.to_string()))?;
    let summary = summarize(config.net_type, data.input, classes, &config.middle_layers)?;

    let mut layers = Vec::with_capacity(config.middle_layers.len() + 1);
    let mut shape = data.input;
    for (layer, s) in config.middle_layers.iter().zip(&summary.layers) {
        layers.push(LayerCtx::new(layer, shape, s.output, s.params));
        shape = s.output;
    }
    let output = Layer::Connect { units: classes };
    let mut output = LayerCtx::new(&output, shape, summary.output.output, summary.output.params);
    output.kind = "output";
    layers.push(output);

    let mut ctx = Context::new(framework, model_name, config, data, layers, summary.total_params);
    let env = environment();
    ctx.data_code = env.render_str(DATA_TEMPLATE, &ctx)?.trim_end().to_owned();
    let main = match framework {
        Framework::PyTorch => PYTORCH_TEMPLATE,
        Framework::Keras => KERAS_TEMPLATE,
    };
    Ok(tidy(&env.render_str(main, &ctx)?))
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no blank lines or indentation behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
}

/// Collapses runs of blank lines left by optional sections to PEP 8's two and
/// ends the file with exactly one newline.
fn tidy(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut blank = 0;
    for line in script.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 2 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn check_data(data: &DataDescription) -> Result<(), RenderError> {
    let fail = |m: String| Err(RenderError::Data(m));
    for (i, class) in data.classes.iter().enumerate() {
        if class.is_empty() {
            return fail(format!("class {i} has an empty name"));
        }
        if data.classes[..i].contains(class) {
            return fail(format!("class {class:?} is listed twice"));
        }
    }
    match data.kind {
        DataKind::Images => match data.input {
            Shape::Image { c: 1 | 3, .. } => Ok(()),
            Shape::Image { c, .. } => fail(format!("pictures have 1 or 3 channels, the input has {c}")),
            Shape::Vector(_) => fail(format!("pictures need an image input, got {}", data.input)),
        },
        DataKind::Csv => {
            let Some(label) = &data.label_column else {
                return fail("a CSV data set needs a label column".to_owned());
            };
            if data.feature_columns.contains(label) {
                return fail(format!("the label column {label:?} is also a feature"));
            }
            let n = u64::try_from(data.feature_columns.len()).unwrap_or(u64::MAX);
            if n != data.input.elements() {
                return fail(format!(
                    "{n} feature columns do not fill the input {} ({} elements)",
                    data.input,
                    data.input.elements()
                ));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
