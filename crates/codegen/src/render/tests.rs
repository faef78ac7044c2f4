//! The rendered scripts' lines for each framework, optimiser, loss and kind of data.

use common::ErrorCode;
use serde_json::json;

use super::python::{file_stem, py_float, py_list, thousands};
use super::*;
use crate::config::{ConfigError, ConfigErrors, PoolKind};

fn config(optimizer: &str, loss: &str) -> NetworkConfig {
    NetworkConfig::from_value(&json!({"iter": 300, "learning_rate": 0.01, "ratio": 0.8,
      "loss_name": loss, "optimizer_name": optimizer, "net_type": "CNN",
      "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
       {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
       {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}))
    .expect("the seed's default CNN is valid")
}

fn digits(h: u64, w: u64) -> DataDescription {
    DataDescription {
        kind: DataKind::Images,
        input: Shape::Image { h, w, c: 1 },
        classes: (0..10).map(|i| i.to_string()).collect(),
        label_column: None,
        feature_columns: Vec::new(),
    }
}

fn script(framework: Framework, optimizer: &str, h: u64) -> String {
    render(
        framework,
        "digits cnn",
        &config(optimizer, "entropy"),
        &digits(h, h),
    )
    .expect("renders")
}

#[test]
fn framework_names() {
    assert_eq!(Framework::parse("PyTorch"), Some(Framework::PyTorch));
    assert_eq!(Framework::parse("KERAS"), Some(Framework::Keras));
    assert_eq!(Framework::parse("jax"), None);
    assert_eq!(Framework::Keras.name(), "keras");
    assert_eq!(Framework::PyTorch.name(), "pytorch");
}

#[test]
fn linear_in_features_come_from_shape_inference() {
    // 8x8 -> conv, conv ("same") -> pool 4x4x20 = 320 inputs; 28x28 -> 14x14x20 = 3920.
    let small = script(Framework::PyTorch, "sgd", 8);
    assert!(
        small.contains("        nn.Flatten(),\n        nn.Linear(320, 128),\n"),
        "{small}"
    );
    assert!(small.contains("nn.Linear(128, 128),\n"));
    assert!(small.contains("nn.Linear(128, 10),\n"));
    assert!(small.contains("nn.BatchNorm2d(20),\n"));
    assert!(small.contains("nn.Conv2d(1, 10, (2, 2), stride=1, padding=\"same\"),\n"));
    assert!(small.contains("# Parameters: 59,800 (trainable)\n"), "{small}");
    let large = script(Framework::PyTorch, "sgd", 28);
    assert!(large.contains("nn.Linear(3920, 128),\n"));
    assert!(large.contains("# Parameters: 520,600 (trainable)\n"));
    let keras = script(Framework::Keras, "sgd", 8);
    assert!(
        keras.contains("        layers.Flatten(),\n        layers.Dense(128),\n"),
        "{keras}"
    );
    assert!(keras.contains("layers.Conv2D(10, (2, 2), strides=1, padding=\"same\"),"));
}

#[test]
fn optimiser_lines() {
    let cases = [
        ("sgd", "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)\n"),
        (
            "momentum",
            "torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)\n",
        ),
        (
            "adam",
            "torch.optim.Adam(model.parameters(), lr=LEARNING_RATE,\n\
             \x20                           betas=(0.9, 0.999), eps=1e-8)\n",
        ),
        (
            "rmsprop",
            "torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE,\n\
             \x20                              alpha=0.99, eps=1e-8)\n",
        ),
        (
            "adagrad",
            "torch.optim.Adagrad(model.parameters(), lr=LEARNING_RATE,\n\
             \x20                              initial_accumulator_value=0.0, eps=1e-10)\n",
        ),
    ];
    for (name, line) in cases {
        let s = script(Framework::PyTorch, name, 8);
        assert!(s.contains(line), "{name}: {s}");
    }
    let cases = [
        ("sgd", "keras.optimizers.SGD(learning_rate=LEARNING_RATE)\n"),
        (
            "momentum",
            "keras.optimizers.SGD(learning_rate=LEARNING_RATE, momentum=0.9)\n",
        ),
        (
            "adam",
            "keras.optimizers.Adam(learning_rate=LEARNING_RATE, beta_1=0.9,\n\
             \x20                                beta_2=0.999, epsilon=1e-8)\n",
        ),
        (
            "rmsprop",
            "keras.optimizers.RMSprop(learning_rate=LEARNING_RATE, rho=0.99,\n\
             \x20                                   epsilon=1e-8)\n",
        ),
        ("adagrad", "initial_accumulator_value=0.0,\n"),
    ];
    for (name, line) in cases {
        let s = script(Framework::Keras, name, 8);
        assert!(s.contains(line), "{name}: {s}");
    }
}

#[test]
fn losses() {
    let data = digits(8, 8);
    let s = render(Framework::PyTorch, "m", &config("sgd", "mse"), &data).expect("renders");
    assert!(s.contains("((torch.softmax(logits, dim=1) - one_hot) ** 2).mean(dim=1)"));
    let s = render(Framework::Keras, "m", &config("sgd", "entropy"), &data).expect("renders");
    assert!(s.contains("tf.nn.sparse_softmax_cross_entropy_with_logits("));
}

#[test]
fn constants_and_header() {
    let s = script(Framework::PyTorch, "sgd", 8);
    assert!(s.starts_with("#!/usr/bin/env python3\n# digits cnn: a PyTorch training script"));
    assert!(s.contains("\nCLASSES = [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"]"));
    assert!(s.contains("\nINPUT_SHAPE = (8, 8, 1)  # height, width, channels\n"));
    assert!(s.contains("\nPICTURE_MODE = \"L\""));
    assert!(s.contains("\nSTEPS = 300\nBATCH_SIZE = 32\nLEARNING_RATE = 0.01\nRATIO = 0.8"));
    assert!(s.contains("\nDEFAULT_OUT = \"digits_cnn.pt\"\n"));
    assert!(!s.contains("\n\n\n\n"), "at most two blank lines");
    assert!(!s.contains("import csv"));
    let k = script(Framework::Keras, "sgd", 8);
    assert!(k.contains("\nDEFAULT_OUT = \"digits_cnn.keras\"\n"));
    assert!(!k.contains("torch"));
}

#[test]
fn csv_vectors() {
    let config = NetworkConfig::from_value(&json!({"iter": 10, "learning_rate": 0.1, "ratio": 0.5,
        "loss_name": "mse", "optimizer_name": "adam", "net_type": "DNN",
        "net_config": {"middle_layer": [{"layer": "norm"}, {"layer": "dropout", "rate": 0.25}]}}))
    .expect("valid");
    let data = DataDescription {
        kind: DataKind::Csv,
        input: Shape::Vector(2),
        classes: vec!["a".into(), "b \"c\"".into()],
        label_column: Some("species".into()),
        feature_columns: vec!["x".into(), "y".into()],
    };
    let s = render(Framework::PyTorch, "iris\nnet", &config, &data).expect("renders");
    assert!(s.contains("# iris net: a PyTorch"));
    assert!(s.contains("\nCLASSES = [\"a\", \"b \\\"c\\\"\"]"));
    assert!(s.contains("\nLABEL_COLUMN = \"species\"\nFEATURE_COLUMNS = [\"x\", \"y\"]\n"));
    assert!(s.contains(
        "nn.BatchNorm1d(2),\n        # 1: dropout, 2 -> 2, 0 parameters\n        nn.Dropout(0.25),"
    ));
    assert!(s.contains("nn.Linear(2, 2),\n"));
    assert!(s.contains("import csv\n"));
    assert!(!s.contains("PIL"));
}

#[test]
fn invalid_networks_and_data_are_rejected() {
    // A 5x5 window does not fit the pooled 4x4 picture.
    let mut bad = config("sgd", "entropy");
    bad.middle_layers.insert(
        3,
        Layer::Pool {
            kind: PoolKind::Max,
            size: 5,
            stride: 5,
        },
    );
    let e = render(Framework::PyTorch, "m", &bad, &digits(8, 8)).expect_err("rejected");
    assert!(
        matches!(e, RenderError::Shape(ShapeError { layer: 3, .. })),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "layer 3 (pool): a 5x5 window does not fit a 4x4x20 input"
    );

    let mut data = digits(8, 8);
    data.classes.push("3".into());
    let e = render(Framework::Keras, "m", &config("sgd", "entropy"), &data).expect_err("rejected");
    assert_eq!(e.to_string(), "data description: class \"3\" is listed twice");
    let mut data = digits(8, 8);
    data.input = Shape::Image { h: 8, w: 8, c: 2 };
    assert!(matches!(
        render(Framework::Keras, "m", &config("sgd", "entropy"), &data),
        Err(RenderError::Data(_))
    ));
}

#[test]
fn helpers() {
    assert_eq!(thousands(520_600), "520,600");
    assert_eq!(thousands(999), "999");
    assert_eq!(py_float(1e-10), "1e-10");
    assert_eq!(py_float(1.0), "1.0");
    assert_eq!(file_stem("  "), "model");
    assert_eq!(file_stem("my model/v2"), "my_model_v2");
    let items: Vec<String> = (0..64).map(|i| format!("p{i}")).collect();
    let list = py_list("FEATURE_COLUMNS = ", &items);
    assert!(list.starts_with("FEATURE_COLUMNS = [\n    \"p0\", \"p1\","));
    assert!(list.lines().all(|l| l.len() <= 79), "{list}");
    assert!(list.ends_with("\"p63\",\n]"));
}

#[test]
fn each_error_has_a_stable_code() {
    let invalid = ConfigError {
        path: "iter".into(),
        message: "is required".into(),
    };
    let shape = ShapeError {
        layer: 0,
        reason: "too small".into(),
        input: Shape::Vector(1),
    };
    let template = minijinja::Error::new(minijinja::ErrorKind::UndefinedError, "x");
    let codes = [
        invalid.code(),
        ConfigErrors(vec![invalid.clone()]).code(),
        shape.code(),
        RenderError::Shape(shape.clone()).code(),
        RenderError::Data(String::new()).code(),
        RenderError::Template(template).code(),
    ];
    assert_eq!(
        codes,
        [
            "config_invalid",
            "config_invalid",
            "shape_mismatch",
            "shape_mismatch",
            "render_data_invalid",
            "render_template_failed",
        ]
    );
    let mut data = digits(8, 8);
    data.classes.push("3".into());
    let e = render(Framework::Keras, "m", &config("sgd", "entropy"), &data).expect_err("rejected");
    assert_eq!(e.code(), "render_data_invalid");
}

/// Keras's layers carry PyTorch's defaults (those the built-in engine trains with).
#[test]
fn keras_layers_carry_pytorchs_defaults() {
    let config = NetworkConfig::from_value(&json!({"iter": 10, "learning_rate": 0.01,
      "ratio": 0.8, "loss_name": "entropy", "optimizer_name": "sgd", "net_type": "CNN",
      "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 4]},
       {"layer": "norm"}, {"layer": "active", "kind": "leaky_relu"},
       {"layer": "active", "kind": "elu"}], "output_layer": {}}}))
    .expect("valid");
    let s = render(Framework::Keras, "m", &config, &digits(8, 8)).expect("renders");
    for line in [
        "        layers.BatchNormalization(momentum=0.9, epsilon=1e-5),\n",
        "        layers.LeakyReLU(negative_slope=0.01),\n",
        "        layers.ELU(alpha=1.0),\n",
    ] {
        assert!(s.contains(line), "{line} in\n{s}");
    }
}
