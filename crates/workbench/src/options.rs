//! "What may come next": the layer kinds valid after the layers so far, with their
//! parameters worked out from the current shape, on a model's data or a given input.

use codegen::{LayerOption, LayerSummary, NetType, NetworkConfig, Shape, default_input, next_options};
use common::{DataKind, UserId};
use datastore::BlobStore;
use serde_json::Value;

use crate::error::{Result, WorkbenchError};
use crate::{Store, Workbench};

/// What the guide works from; everything is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NextRequest {
    /// The layers so far (JSON list); default: the model's saved layers, or none.
    pub layers: Option<Value>,
    /// A model: its data gives the input, its configuration the net type and layers.
    pub model: Option<String>,
    /// CNN, DNN or logistic; default: the model's, else by its data, else CNN.
    pub net_type: Option<NetType>,
    /// The input without model data; default: 28x28x1 for CNN, 784 features otherwise.
    pub input: Option<Shape>,
}

/// The guide's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NextOptions {
    /// The net type worked with.
    pub net_type: NetType,
    /// The network's input.
    pub input: Shape,
    /// The shape after the layers so far (what the next layer receives).
    pub current: Shape,
    /// The layers so far, with their shapes and parameters.
    pub layers: Vec<LayerSummary>,
    /// The layer kinds that may come next, with ranges narrowed to `current`.
    pub options: Vec<LayerOption>,
}

impl<S: Store, B: BlobStore> Workbench<S, B> {
    /// The layer kinds valid next. A layer that does not fit is an error naming it.
    pub fn next_layers(&self, owner: UserId, request: NextRequest) -> Result<NextOptions> {
        let NextRequest {
            layers,
            model,
            net_type,
            input,
        } = request;
        let (net_type, input, layers) = match model {
            None => {
                let net_type = net_type.unwrap_or(NetType::Cnn);
                (
                    net_type,
                    input.unwrap_or_else(|| default_input(net_type)),
                    layers.unwrap_or(Value::Array(Vec::new())),
                )
            }
            Some(name) => {
                let model = self.models.by_name(owner, &name)?;
                let saved = model
                    .config
                    .as_ref()
                    .and_then(|c| NetworkConfig::from_value(c).ok());
                let spec = model.data_spec.as_ref();
                let net_type = net_type
                    .or(saved.as_ref().map(|c| c.net_type))
                    .or(spec.map(|s| match s.kind {
                        DataKind::Images => NetType::Cnn,
                        DataKind::Csv => NetType::Dnn,
                    }))
                    .unwrap_or(NetType::Cnn);
                let layers = layers
                    .or_else(|| {
                        model
                            .config
                            .as_ref()
                            .and_then(|c| c.pointer("/net_config/middle_layer").cloned())
                    })
                    .unwrap_or(Value::Array(Vec::new()));
                let input = spec
                    .map(|s| s.input())
                    .or(input)
                    .unwrap_or_else(|| default_input(net_type));
                (net_type, input, layers)
            }
        };
        let parsed = codegen::parse::parse_layers(&layers)?;
        let located = |e: codegen::ShapeError| WorkbenchError::Layers {
            index: (e.layer < parsed.len()).then_some(e.layer),
            reason: e.reason,
        };
        let summaries = codegen::infer_layers(net_type, input, &parsed).map_err(located)?;
        let options = next_options(net_type, input, &parsed).map_err(located)?;
        Ok(NextOptions {
            net_type,
            input,
            current: summaries.last().map_or(input, |s| s.output),
            layers: summaries,
            options,
        })
    }
}
