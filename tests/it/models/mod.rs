//! Sections 4 (options, generate) and 6 of the contract, plus `/data/create/` and
//! `/data/tag/`: models, their data, labels, configurations and generated code.

mod code;
mod compare;
mod configs;
mod create;
mod options;
mod tags;

use reqwest::Method;
use reqwest::blocking::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::support::{Response, TestApp};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../fixtures/datasets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The configuration of the original service's document.
pub fn seed_config() -> Value {
    json!({"iter": 1000, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "GradientDescentOptimizer", "net_type": "CNN",
        "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
          {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
          {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}})
}

/// The seed configuration's parameters on 8x8x1 pictures with 10 classes:
/// conv 2*2*1*10+10, conv 2*2*10*20+20, norm 2*20, connect 4*4*20*128+128,
/// connect 128*128+128, output 128*10+10.
pub const SEED_PARAMS_ON_DIGITS: u64 = 50 + 820 + 40 + 41_088 + 16_512 + 1_290;

/// A DNN for the 64 features of digits.csv.
pub fn dnn_config() -> Value {
    json!({"iter": 300, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "adam", "net_type": "DNN",
        "net_config": {"middle_layer": [{"layer": "connect", "units": 64}, {"layer": "active"},
          {"layer": "connect", "units": 32}], "output_layer": {}}})
}

/// Adds `modelName` (and more) to a configuration.
pub fn with(mut config: Value, extra: Value) -> Value {
    if let (Some(map), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            map.insert(k.clone(), v.clone());
        }
    }
    config
}

impl TestApp {
    /// Uploads digits.zip and creates a model on it; returns (model id, data id).
    #[track_caller]
    pub fn digits_model(&self, key: &str, name: &str) -> (i64, i64) {
        let data_id = self.uploaded(key, "zip", "picture", "digits.zip", fixture("digits.zip"));
        let response = self.post_auth(
            "/data/create/",
            key,
            json!({"modelName": name, "dataId": data_id}),
        );
        assert_eq!(response.status, 201, "{}", response.text);
        (response.body["id"].as_i64().expect("id"), data_id)
    }

    /// Uploads digits.csv and creates a model on it.
    #[track_caller]
    pub fn csv_model(&self, key: &str, name: &str, file: &str) -> (i64, i64) {
        let data_id = self.uploaded(key, "single", "doc", file, fixture(file));
        let response = self.post_auth(
            "/data/create/",
            key,
            json!({"modelName": name, "dataId": data_id}),
        );
        assert_eq!(response.status, 201, "{}", response.text);
        (response.body["id"].as_i64().expect("id"), data_id)
    }

    pub fn tag(&self, key: &str, model: &str, labels: &[u8]) -> Response {
        let form = Form::new()
            .text("modelName", model.to_owned())
            .part("file", Part::bytes(labels.to_vec()).file_name("labels.json"));
        self.send(
            self.request(Method::POST, "/data/tag/")
                .header("Authorization", format!("Token {key}"))
                .multipart(form),
        )
    }
}
