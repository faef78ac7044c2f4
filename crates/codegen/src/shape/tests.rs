//! Shapes, parameter counts and FLOPs of known networks, and every rejection's message.

use serde_json::json;

use super::*;
use crate::config::{Activation, Layer, NetType, NetworkConfig, Padding, PoolKind};

fn conv(kh: u64, kw: u64, c: u64, padding: Padding) -> Layer {
    Layer::Conv {
        filter: [kh, kw, c],
        stride: 1,
        padding,
        activation: None,
    }
}

fn pool(size: u64) -> Layer {
    Layer::Pool {
        kind: PoolKind::Max,
        size,
        stride: size,
    }
}

fn img(h: u64, w: u64, c: u64) -> Shape {
    Shape::Image { h, w, c }
}

fn lenet() -> Vec<Layer> {
    vec![
        conv(5, 5, 6, Padding::Same),
        pool(2),
        conv(5, 5, 16, Padding::Valid),
        pool(2),
        Layer::Connect { units: 120 },
        Layer::Connect { units: 84 },
    ]
}

fn err(net: NetType, input: Shape, classes: u64, layers: &[Layer]) -> ShapeError {
    summarize(net, input, classes, layers).expect_err("must be rejected")
}

#[test]
fn lenet5_matches_pytorch() -> Result<(), ShapeError> {
    let s = summarize(NetType::Cnn, img(28, 28, 1), 10, &lenet())?;
    let shapes: Vec<Shape> = s.layers.iter().map(|l| l.output).collect();
    assert_eq!(
        shapes,
        vec![
            img(28, 28, 6),
            img(14, 14, 6),
            img(10, 10, 16),
            img(5, 5, 16),
            Shape::Vector(120),
            Shape::Vector(84)
        ]
    );
    assert_eq!(s.output.output, Shape::Vector(10));
    assert_eq!(s.output.index, 6);
    assert_eq!(s.output.kind, "output");
    let params: Vec<u64> = s.layers.iter().map(|l| l.params).collect();
    assert_eq!(params, vec![156, 0, 2416, 0, 48_120, 10_164]);
    assert_eq!(s.output.params, 850);
    assert_eq!(s.total_params, 61_706);
    let flops: Vec<u64> = s.layers.iter().map(|l| l.flops).collect();
    assert_eq!(flops, vec![235_200, 4704, 480_000, 1600, 96_000, 20_160]);
    assert_eq!(s.output.flops, 1680);
    assert_eq!(s.total_flops, 839_344);
    Ok(())
}

#[test]
fn seed_example_on_mnist() -> Result<(), Box<dyn std::error::Error>> {
    let config = NetworkConfig::from_value(&json!({"iter": 1000, "learning_rate": 0.01,
      "ratio": 0.8, "loss_name": "entropy", "optimizer_name": "GradientDescentOptimizer",
      "net_type": "CNN", "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
       {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
       {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}))?;
    let s = config.summary(img(28, 28, 1), 10)?;
    // Even 2x2 kernels with "same" and stride 1 keep 28x28 (PyTorch padding='same').
    // conv 2*2*1*10+10 = 50        -> 28x28x10
    // conv 2*2*10*20+20 = 820      -> 28x28x20
    // pool 2                       -> 14x14x20
    // norm 2*20 = 40, active 0
    // connect 3920*128+128 = 501_888 -> 128
    // connect 128*128+128 = 16_512   -> 128
    // output 128*10+10 = 1_290
    // total = 520_600
    let params: Vec<u64> = s.layers.iter().map(|l| l.params).collect();
    assert_eq!(params, vec![50, 820, 0, 40, 0, 501_888, 16_512]);
    assert_eq!(s.layers[1].output, img(28, 28, 20));
    assert_eq!(s.layers[2].output, img(14, 14, 20));
    assert_eq!(s.total_params, 520_600);
    // FLOPs: 62_720 + 1_254_400 + 15_680 + 3_920 + 3_920 + 1_003_520 + 32_768 + 2_560
    assert_eq!(s.total_flops, 2_379_488);
    Ok(())
}

#[test]
fn dnn_on_64_features() -> Result<(), ShapeError> {
    let layers = [
        Layer::Connect { units: 128 },
        Layer::Active {
            kind: Activation::Relu,
        },
        Layer::Norm,
        Layer::Dropout { rate: 0.5 },
        Layer::Connect { units: 64 },
    ];
    let s = summarize(NetType::Dnn, Shape::Vector(64), 10, &layers)?;
    let params: Vec<u64> = s.layers.iter().map(|l| l.params).collect();
    assert_eq!(params, vec![64 * 128 + 128, 0, 2 * 128, 0, 128 * 64 + 64]);
    assert_eq!(
        s.total_params,
        (64 * 128 + 128) + (2 * 128) + (128 * 64 + 64) + (64 * 10 + 10)
    );
    assert_eq!(s.total_params, 17_482);
    assert_eq!(s.layers[1].flops, 128);
    Ok(())
}

#[test]
fn logistic_and_conv_activation() -> Result<(), ShapeError> {
    let s = summarize(NetType::Logistic, Shape::Vector(64), 3, &[])?;
    assert_eq!(s.total_params, 64 * 3 + 3);
    let s = summarize(NetType::Logistic, img(28, 28, 1), 10, &[])?;
    assert_eq!(s.total_params, 7850);
    let layer = Layer::Conv {
        filter: [3, 3, 4],
        stride: 2,
        padding: Padding::Valid,
        activation: Some(Activation::Relu),
    };
    let s = summarize(NetType::Cnn, img(9, 8, 2), 2, &[layer])?;
    // floor((9-3)/2)+1 = 4, floor((8-3)/2)+1 = 3
    assert_eq!(s.layers[0].output, img(4, 3, 4));
    assert_eq!(s.layers[0].params, 3 * 3 * 2 * 4 + 4);
    assert_eq!(s.layers[0].flops, 2 * 9 * 2 * 4 * 12 + 48);
    Ok(())
}

#[test]
fn summary_serialises_shapes_as_arrays() -> Result<(), Box<dyn std::error::Error>> {
    let s = summarize(NetType::Cnn, img(28, 28, 1), 10, &lenet())?;
    let v = serde_json::to_value(&s)?;
    assert_eq!(v["layers"][0]["output"], json!([28, 28, 6]));
    assert_eq!(v["layers"][4]["output"], json!([120]));
    assert_eq!(v["output"]["output"], json!([10]));
    assert_eq!(v["total_params"], json!(61_706));
    Ok(())
}

#[test]
fn window_that_does_not_fit() {
    let layers = [
        conv(3, 3, 20, Padding::Valid),
        pool(2),
        pool(2),
        pool(2),
        conv(5, 5, 8, Padding::Valid),
    ];
    // 28 -> 26 -> 13 -> 6 -> 3
    let e = err(NetType::Cnn, img(28, 28, 1), 10, &layers);
    assert_eq!(e.layer, 4);
    assert_eq!(e.input, img(3, 3, 20));
    assert_eq!(
        e.to_string(),
        "layer 4 (conv): a 5x5 window does not fit a 3x3x20 input"
    );
    let e = err(NetType::Cnn, img(4, 4, 20), 10, &[pool(5)]);
    assert_eq!(
        e.reason,
        "layer 0 (pool): a 5x5 window does not fit a 4x4x20 input"
    );
}

#[test]
fn conv_after_connect() {
    let layers = [Layer::Connect { units: 128 }, conv(3, 3, 8, Padding::Same)];
    let e = err(NetType::Cnn, img(28, 28, 1), 10, &layers);
    assert_eq!(e.layer, 1);
    assert_eq!(e.input, Shape::Vector(128));
    assert_eq!(
        e.reason,
        "layer 1 (conv) cannot follow a connect layer: its input is a vector of 128"
    );
    let e = err(NetType::Cnn, img(28, 28, 1), 10, &[layers[0].clone(), pool(2)]);
    assert_eq!(
        e.reason,
        "layer 1 (pool) cannot follow a connect layer: its input is a vector of 128"
    );
}

#[test]
fn connect_needs_units() {
    let layers = [Layer::Norm, Layer::Norm, Layer::Connect { units: 0 }];
    let e = err(NetType::Dnn, Shape::Vector(8), 10, &layers);
    assert_eq!(e.layer, 2);
    assert_eq!(e.reason, "layer 2 (connect): units must be at least 1");
}

#[test]
fn dnn_rejects_conv_and_pool() {
    let e = err(
        NetType::Dnn,
        Shape::Vector(64),
        10,
        &[conv(3, 3, 8, Padding::Same)],
    );
    assert_eq!(
        e.reason,
        "layer 0 (conv): DNN networks take conv/pool only on images: its input is a vector of 64"
    );
    let e = err(NetType::Dnn, Shape::Vector(64), 10, &[pool(2)]);
    assert!(
        e.reason
            .starts_with("layer 0 (pool): DNN networks take conv/pool only on images")
    );
}

#[test]
fn logistic_has_no_middle_layers() {
    let e = err(NetType::Logistic, Shape::Vector(64), 10, &[Layer::Norm]);
    assert_eq!(e.layer, 0);
    assert_eq!(e.reason, "logistic networks have no middle layers, got 1");
}

#[test]
fn same_padding_needs_stride_one() {
    let layer = Layer::Conv {
        filter: [3, 3, 8],
        stride: 2,
        padding: Padding::Same,
        activation: None,
    };
    let e = err(NetType::Cnn, img(28, 28, 1), 10, &[layer]);
    assert_eq!(
        e.reason,
        "layer 0 (conv): padding \"same\" needs stride 1 (PyTorch has no 'same' padding for strided convolutions), got stride 2; use \"valid\""
    );
}

#[test]
fn input_and_output_checks() {
    let e = err(NetType::Cnn, Shape::Vector(64), 10, &[]);
    assert_eq!(
        e.reason,
        "CNN networks take an image input (HxWxC), got a vector of 64"
    );
    let e = err(NetType::Dnn, img(2, 2, 1), 10, &[]);
    assert_eq!(
        e.reason,
        "DNN networks take a vector input of N features, got an image of 2x2x1"
    );
    let e = err(NetType::Cnn, img(0, 2, 1), 10, &[]);
    assert_eq!(e.reason, "the input 0x2x1 has an empty dimension");
    let e = err(NetType::Cnn, img(28, 28, 1), 1, &lenet());
    assert_eq!(e.layer, 6);
    assert_eq!(e.input, Shape::Vector(84));
    assert_eq!(e.reason, "output layer: classes must be at least 2, got 1");
    let huge = [Layer::Connect { units: u64::MAX }];
    let e = err(NetType::Dnn, Shape::Vector(4), 10, &huge);
    assert!(e.reason.contains("overflow"), "{}", e.reason);
}
