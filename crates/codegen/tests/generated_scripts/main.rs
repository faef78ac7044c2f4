//! Renders training scripts and runs them with the Python environment of
//! `make pyenv` on the fixtures, checking the output contract the server
//! relies on. `NETSMITH_TEST_PYTHON` names that Python; without it every test
//! fails (a silent pass would hide that the scripts were never run).
//!
//! * [`training`]: whole runs on the digit fixtures, and every optimiser and loss.
//! * [`data_loading`]: the scripts' data functions, called one by one.
//! * [`distributed`]: the PyTorch script on several processes under torchrun.

mod data_loading;
mod distributed;
mod python;
mod training;

use std::path::{Path, PathBuf};

use codegen::{DataDescription, NetworkConfig, Shape};
use common::DataKind;
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/datasets")
        .join(name)
}

fn config(value: &Value) -> NetworkConfig {
    NetworkConfig::from_value(value).expect("a valid test configuration")
}

/// The seed's default CNN.
fn default_cnn(optimizer: &str, learning_rate: f64, loss: &str, iter: u64) -> NetworkConfig {
    config(
        &json!({"iter": iter, "learning_rate": learning_rate, "ratio": 0.8,
      "loss_name": loss, "optimizer_name": optimizer, "net_type": "CNN",
      "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
       {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
       {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}),
    )
}

fn dnn(optimizer: &str, learning_rate: f64, loss: &str, iter: u64) -> NetworkConfig {
    config(
        &json!({"iter": iter, "learning_rate": learning_rate, "ratio": 0.8,
      "loss_name": loss, "optimizer_name": optimizer, "net_type": "DNN",
      "net_config": {"middle_layer": [{"layer": "connect", "units": 64}, {"layer": "active"},
       {"layer": "dropout", "rate": 0.2}, {"layer": "connect", "units": 32}]}}),
    )
}

fn digit_classes() -> Vec<String> {
    (0..10).map(|i| i.to_string()).collect()
}

fn digits_zip() -> DataDescription {
    DataDescription {
        kind: DataKind::Images,
        input: Shape::Image { h: 8, w: 8, c: 1 },
        classes: digit_classes(),
        label_column: None,
        feature_columns: Vec::new(),
    }
}

fn digits_csv() -> DataDescription {
    DataDescription {
        kind: DataKind::Csv,
        input: Shape::Vector(64),
        classes: digit_classes(),
        label_column: Some("label".to_owned()),
        feature_columns: (0..64).map(|i| format!("p{i}")).collect(),
    }
}
