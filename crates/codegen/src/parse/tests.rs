//! The seed's example, the richer fields, and every error with its path.

use serde_json::json;

use super::*;
use crate::config::{Activation, Padding, PoolKind};

fn seed_config() -> Value {
    json!({"iter": 1000, "learning_rate": 0.01, "ratio": 0.8, "loss_name": "entropy",
     "optimizer_name": "GradientDescentOptimizer", "net_type": "CNN",
     "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
       {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
       {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}})
}

fn paths(errors: &ConfigErrors) -> Vec<&str> {
    errors.0.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn seed_config_parses_with_defaults() -> Result<(), ConfigErrors> {
    let config = NetworkConfig::from_value(&seed_config())?;
    assert_eq!(config.iter, 1000);
    assert_eq!(config.learning_rate, 0.01);
    assert_eq!(config.ratio, 0.8);
    assert_eq!(config.loss, Loss::CrossEntropy);
    assert_eq!(config.optimizer, Optimizer::Sgd);
    assert_eq!(config.net_type, NetType::Cnn);
    assert_eq!(config.batch_size, 32);
    assert_eq!(config.seed, 0);
    let conv = |c| Layer::Conv {
        filter: [2, 2, c],
        stride: 1,
        padding: Padding::Same,
        activation: None,
    };
    assert_eq!(
        config.middle_layers,
        vec![
            conv(10),
            conv(20),
            Layer::Pool {
                kind: PoolKind::Max,
                size: 2,
                stride: 2
            },
            Layer::Norm,
            Layer::Active {
                kind: Activation::Relu
            },
            Layer::Connect { units: 128 },
            Layer::Connect { units: 128 },
        ]
    );
    Ok(())
}

#[test]
fn richer_fields_are_read() -> Result<(), ConfigErrors> {
    let config = NetworkConfig::from_json_str(
        r#"{"iter": 5, "learning_rate": 10, "ratio": 0.5, "loss_name": "MSE",
        "optimizer_name": "adam", "net_type": "dnn", "batch_size": 64, "seed": 7,
        "net_config": {"middle_layer": [
          {"layer": "conv", "filter": [3, 3, 8], "stride": 2, "padding": "valid", "activation": "tanh"},
          {"layer": "pool", "kind": "avg", "size": 3},
          {"layer": "pool", "size": 3, "stride": 1},
          {"layer": "active", "kind": "leaky_relu"},
          {"layer": "connect", "units": 64},
          {"layer": "dropout"},
          {"layer": "dropout", "rate": 0}]}}"#,
    )?;
    assert_eq!(config.loss, Loss::MeanSquaredError);
    assert_eq!(config.optimizer, Optimizer::Adam);
    assert_eq!(config.net_type, NetType::Dnn);
    assert_eq!((config.batch_size, config.seed), (64, 7));
    assert_eq!(
        config.middle_layers,
        vec![
            Layer::Conv {
                filter: [3, 3, 8],
                stride: 2,
                padding: Padding::Valid,
                activation: Some(Activation::Tanh)
            },
            Layer::Pool {
                kind: PoolKind::Avg,
                size: 3,
                stride: 3
            },
            Layer::Pool {
                kind: PoolKind::Max,
                size: 3,
                stride: 1
            },
            Layer::Active {
                kind: Activation::LeakyRelu
            },
            Layer::Connect { units: 64 },
            Layer::Dropout { rate: 0.5 },
            Layer::Dropout { rate: 0.0 },
        ]
    );
    Ok(())
}

#[test]
fn all_errors_are_collected_with_paths() {
    let bad = json!({"iter": 0, "learning_rate": 0, "ratio": 1.0, "loss_name": "hinge",
      "optimizer_name": "Nope", "net_type": "RNN", "batch_size": 70000,
      "net_config": {"middle_layer": [
        {"layer": "conv", "filter": [2, 2]},
        {"layer": "lstm"},
        {"layer": "dropout", "rate": 1.0},
        {"layer": "pool", "size": 0},
        {"layer": "conv", "filter": [3, 0, 8], "strides": 2},
        {"layer": "active", "kind": "swish"},
        {"layer": "connect", "units": -1},
        {"layer": "conv", "filter": [3, 3, 8], "padding": "full"}]}});
    let errors = NetworkConfig::from_value(&bad).expect_err("must fail");
    assert_eq!(
        paths(&errors),
        vec![
            "iter",
            "learning_rate",
            "ratio",
            "loss_name",
            "optimizer_name",
            "net_type",
            "batch_size",
            "net_config.middle_layer[0].filter",
            "net_config.middle_layer[1].layer",
            "net_config.middle_layer[2].rate",
            "net_config.middle_layer[3].size",
            "net_config.middle_layer[4].strides",
            "net_config.middle_layer[4].filter",
            "net_config.middle_layer[5].kind",
            "net_config.middle_layer[6].units",
            "net_config.middle_layer[7].padding",
        ]
    );
    assert_eq!(
        errors.0[0].to_string(),
        "iter: must be between 1 and 1000000, got 0"
    );
    assert!(errors.0[8].message.contains("unknown layer kind \"lstm\""));
    assert!(errors.to_string().contains("; learning_rate: "));
}

#[test]
fn required_fields_and_wrong_types() {
    let errors = NetworkConfig::from_value(&json!({"iter": 1.5, "ratio": "half",
        "net_config": {"middle_layer": {}}}))
    .expect_err("must fail");
    assert_eq!(
        paths(&errors),
        vec![
            "iter",
            "learning_rate",
            "ratio",
            "loss_name",
            "optimizer_name",
            "net_type",
            "net_config.middle_layer",
        ]
    );
    assert_eq!(errors.0[1].message, "is required");
    let errors = NetworkConfig::from_json_str("[1, 2").expect_err("must fail");
    assert!(errors.0[0].message.starts_with("not valid JSON"));
    let errors = NetworkConfig::from_value(&json!([1])).expect_err("must fail");
    assert_eq!(errors.0[0].message, "the configuration must be a JSON object");
}

#[test]
fn boundary_numbers_are_accepted() -> Result<(), ConfigErrors> {
    let mut value = seed_config();
    value["iter"] = json!(1_000_000);
    value["learning_rate"] = json!(10);
    value["ratio"] = json!(0.999);
    value["batch_size"] = json!(65536);
    let config = NetworkConfig::from_value(&value)?;
    assert_eq!(config.iter, 1_000_000);
    assert_eq!(config.batch_size, 65536);
    value["iter"] = json!(1_000_001);
    value["batch_size"] = json!(0);
    let errors = NetworkConfig::from_value(&value).expect_err("must fail");
    assert_eq!(paths(&errors), vec!["iter", "batch_size"]);
    Ok(())
}
