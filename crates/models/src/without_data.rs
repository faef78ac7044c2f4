//! A network checked before its model has data: against the `input_shape` the
//! configuration declares, or else against inputs of every size it could meet, so a
//! network no input can fit (a conv after a connect layer, say) is refused at once.

use codegen::{NetType, NetworkConfig, Shape, parse_shape_value};
use serde_json::Value;

use crate::error::ModelError;

/// How `input_shape` is written.
const SHAPE_HELP: &str =
    "Enter the input shape as [height, width, channels] or [features], e.g. [28, 28, 1] or 28x28x1.";

/// Classes assumed for the output layer until the data says how many.
const SOME_CLASSES: u64 = 2;

/// Inputs tried when none is declared, smallest first: a network passes if any fits.
/// The largest is kept far from overflow for any network a person would design.
fn probes(net_type: NetType) -> Vec<Shape> {
    let images = [
        (8, 8, 1),
        (28, 28, 1),
        (64, 64, 3),
        (224, 224, 3),
        (1024, 1024, 3),
    ]
    .map(|(h, w, c)| Shape::Image { h, w, c });
    let vectors = [4, 784, 100_000].map(Shape::Vector);
    match net_type {
        NetType::Cnn => images.to_vec(),
        NetType::Dnn => vectors.to_vec(),
        NetType::Logistic => images.into_iter().chain(vectors).collect(),
    }
}

/// Whether `config` can fit some data: the declared `input_shape` when `stored` has
/// one, else any input of its kind. The error names the layer, as with data.
pub fn check_without_data(config: &NetworkConfig, stored: &Value) -> Result<(), ModelError> {
    if let Some(declared) = stored.get("input_shape").filter(|v| !v.is_null()) {
        let input = parse_shape_value(declared).ok_or_else(|| {
            ModelError::Config(codegen::ConfigErrors(vec![codegen::ConfigError {
                path: "input_shape".to_owned(),
                message: SHAPE_HELP.to_owned(),
            }]))
        })?;
        if let (NetType::Cnn, Shape::Vector(n)) = (config.net_type, input) {
            return Err(ModelError::NetType(format!(
                "CNN networks take image data; the declared input is a vector of {n} features. Use DNN or logistic."
            )));
        }
        if let (NetType::Dnn, Shape::Image { .. }) = (config.net_type, input) {
            return Err(ModelError::NetType(format!(
                "DNN networks take CSV data; the declared input is pictures of {input}. Use CNN or logistic."
            )));
        }
        return config
            .summary(input, SOME_CLASSES)
            .map(|_| ())
            .map_err(|e| ModelError::shape(e, config.middle_layers.len()));
    }
    let mut last = None;
    for input in probes(config.net_type) {
        match config.summary(input, SOME_CLASSES) {
            Ok(_) => return Ok(()),
            Err(error) => last = Some(error),
        }
    }
    match last {
        Some(error) => Err(ModelError::shape(error, config.middle_layers.len())),
        None => Ok(()),
    }
}
