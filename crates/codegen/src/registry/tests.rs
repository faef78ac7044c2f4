//! What comes next on each shape, and the registry as clients see it.

use serde_json::json;

use super::*;
use crate::config::{Padding, PoolKind};

fn kinds(options: &[LayerOption]) -> Vec<&'static str> {
    options.iter().map(|o| o.kind).collect()
}

fn find<'a>(options: &'a [LayerOption], kind: &str) -> &'a LayerOption {
    options.iter().find(|o| o.kind == kind).expect("option present")
}

fn pool2() -> Layer {
    Layer::Pool {
        kind: PoolKind::Max,
        size: 2,
        stride: 2,
    }
}

fn img(h: u64, w: u64, c: u64) -> Shape {
    Shape::Image { h, w, c }
}

#[test]
fn empty_cnn_on_mnist() -> Result<(), ShapeError> {
    let options = next_options(NetType::Cnn, img(28, 28, 1), &[])?;
    assert_eq!(
        kinds(&options),
        vec!["conv", "pool", "norm", "active", "connect", "dropout"]
    );
    let pool = find(&options, "pool");
    assert_eq!(pool.param("size").and_then(|p| p.max.clone()), Some(json!(28)));
    let filter = find(&options, "conv").param("filter").expect("filter");
    assert_eq!(filter.item("height").and_then(|p| p.max.clone()), Some(json!(28)));
    assert_eq!(filter.item("width").and_then(|p| p.max.clone()), Some(json!(28)));
    assert_eq!(filter.item("out_channels").and_then(|p| p.max.clone()), None);
    Ok(())
}

#[test]
fn after_two_pools_on_7x7() -> Result<(), ShapeError> {
    let layers = [
        Layer::Conv {
            filter: [3, 3, 20],
            stride: 1,
            padding: Padding::Same,
            activation: None,
        },
        pool2(),
        pool2(),
    ];
    let options = next_options(NetType::Cnn, img(28, 28, 1), &layers)?;
    assert_eq!(kinds(&options).len(), 6);
    let size = find(&options, "pool").param("size").expect("size");
    assert_eq!(size.max, Some(json!(7)));
    assert_eq!(size.min, Some(json!(1)));
    assert_eq!(size.default, json!(2));
    let filter = find(&options, "conv").param("filter").expect("filter");
    let height = filter.item("height").expect("height");
    assert_eq!(height.max, Some(json!(7)));
    assert_eq!(height.meaning, "window height; at most 7 with padding \"valid\"");
    // A non-square image narrows each side on its own; pool takes the smaller.
    let options = next_options(NetType::Cnn, img(9, 5, 3), &[])?;
    let filter = find(&options, "conv").param("filter").expect("filter");
    assert_eq!(filter.item("height").and_then(|p| p.max.clone()), Some(json!(9)));
    assert_eq!(filter.item("width").and_then(|p| p.max.clone()), Some(json!(5)));
    assert_eq!(
        find(&options, "pool").param("size").and_then(|p| p.max.clone()),
        Some(json!(5))
    );
    Ok(())
}

#[test]
fn after_a_connect_only_vector_layers() -> Result<(), ShapeError> {
    let options = next_options(
        NetType::Cnn,
        img(28, 28, 1),
        &[pool2(), Layer::Connect { units: 128 }],
    )?;
    assert_eq!(kinds(&options), vec!["norm", "active", "connect", "dropout"]);
    let options = next_options(NetType::Dnn, Shape::Vector(64), &[])?;
    assert_eq!(kinds(&options), vec!["norm", "active", "connect", "dropout"]);
    Ok(())
}

#[test]
fn logistic_and_invalid_prefixes() {
    let options = next_options(NetType::Logistic, Shape::Vector(4), &[]).expect("valid");
    assert!(options.is_empty());
    let e =
        next_options(NetType::Cnn, img(4, 4, 1), &[pool2(), pool2(), pool2()]).expect_err("must be rejected");
    assert_eq!(e.layer, 2);
    assert_eq!(
        e.reason,
        "layer 2 (pool): a 2x2 window does not fit a 1x1x1 input"
    );
}

#[test]
fn registry_lists_everything() -> Result<(), serde_json::Error> {
    let r = registry();
    let names: Vec<&str> = r.net_types.iter().map(|n| n.name).collect();
    assert_eq!(names, vec!["CNN", "DNN", "logistic"]);
    assert_eq!(
        kinds(&r.layers),
        vec!["conv", "pool", "norm", "active", "connect", "dropout"]
    );
    let v = serde_json::to_value(&r)?;
    let training = v["training"].as_array().expect("list");
    let names: Vec<&str> = training.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(
        names,
        vec![
            "iter",
            "learning_rate",
            "ratio",
            "loss_name",
            "optimizer_name",
            "net_type",
            "batch_size",
            "seed",
            "engine",
            "workers",
            "device"
        ]
    );
    assert_eq!(v["training"][8]["choices"], json!(["builtin", "pytorch"]));
    assert_eq!(v["training"][8]["default"], json!("builtin"));
    assert_eq!(
        (&v["training"][9]["min"], &v["training"][9]["max"]),
        (&json!(1), &json!(16))
    );
    assert_eq!(v["training"][6]["name"], json!("batch_size"));
    assert_eq!(v["training"][6]["default"], json!(32));
    assert_eq!(v["training"][6]["max"], json!(65536));
    assert_eq!(v["training"][2]["min_exclusive"], json!(true));
    assert_eq!(v["training"][2]["max_exclusive"], json!(true));
    assert!(
        v["training"][4]["choices"]
            .as_array()
            .expect("choices")
            .contains(&json!("GradientDescentOptimizer"))
    );
    let conv = &v["layers"][0];
    assert_eq!(conv["params"][0]["type"], json!("int_list"));
    assert_eq!(conv["params"][0]["required"], json!(true));
    assert!(conv["params"][0]["items"][0].get("max").is_none());
    assert_eq!(conv["params"][2]["default"], json!("same"));
    let dropout = &v["layers"][5]["params"][0];
    assert_eq!(dropout["default"], json!(0.5));
    assert_eq!(dropout["max"], json!(1.0));
    assert_eq!(dropout["max_exclusive"], json!(true));
    assert!(dropout.get("min_exclusive").is_none());
    assert_eq!(v["layers"][4]["params"][0]["default"], json!(128));
    Ok(())
}
