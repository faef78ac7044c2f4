//! Shape inference, PyTorch parameter counts and FLOPs per sample.
//!
//! Parameter counts equal PyTorch's `sum(p.numel() for p in model.parameters())`:
//! conv `kh*kw*cin*cout + cout`; connect `in*out + out`; batch norm `2*channels`
//! (or `2*features` on a vector); pool, active and dropout 0.
//!
//! FLOPs per sample: conv `2*kh*kw*cin*cout*Hout*Wout` (plus 1 per output
//! element when the conv has an activation); connect `2*in*out`; pool
//! `kh*kw*C*Hout*Wout`; norm, active and dropout 1 per output element.
//!
//! Output sizes: conv "same" keeps H and W and is only accepted with stride 1
//! (PyTorch's `padding='same'` rejects strided convolutions; even kernels are
//! fine with it); conv "valid" and every pool use `floor((in - k) / stride) + 1`.
//! A `connect` after an image flattens it to `h*w*c` inputs. The output layer
//! is a connect to `classes` units.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::config::{Layer, NetType, Padding};
use crate::defaults;

/// The shape of one sample flowing between layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Height x width x channels.
    Image {
        /// Height.
        h: u64,
        /// Width.
        w: u64,
        /// Channels.
        c: u64,
    },
    /// A flat vector of features.
    Vector(u64),
}

impl Shape {
    /// Number of scalar elements.
    pub fn elements(self) -> u64 {
        match self {
            Self::Image { h, w, c } => h.saturating_mul(w).saturating_mul(c),
            Self::Vector(n) => n,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Image { h, w, c } => write!(f, "{h}x{w}x{c}"),
            Self::Vector(n) => write!(f, "a vector of {n}"),
        }
    }
}

/// Serialised as `[h, w, c]` or `[n]`.
impl Serialize for Shape {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Image { h, w, c } => serializer.collect_seq([h, w, c]),
            Self::Vector(n) => serializer.collect_seq([n]),
        }
    }
}

/// Why a network was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{reason}")]
pub struct ShapeError {
    /// Index in `middle_layer`; the output layer is `middle_layer.len()`.
    /// Problems with the input itself are reported at layer 0.
    pub layer: usize,
    /// The full message, naming the layer and the shapes.
    pub reason: String,
    /// The shape that reached the layer.
    pub input: Shape,
}

/// One layer's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerSummary {
    /// Index in `middle_layer` (the output layer's is `middle_layer.len()`).
    pub index: usize,
    /// Layer kind (`conv`, ..., `output`).
    pub kind: String,
    /// Output shape.
    pub output: Shape,
    /// Trainable parameters (PyTorch count).
    pub params: u64,
    /// FLOPs per sample.
    pub flops: u64,
}

/// The whole network's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The middle layers.
    pub layers: Vec<LayerSummary>,
    /// The output layer (a connect to `classes`).
    pub output: LayerSummary,
    /// Sum of all parameters.
    pub total_params: u64,
    /// Sum of all FLOPs per sample.
    pub total_flops: u64,
}

fn mul(values: &[u64]) -> Option<u64> {
    values.iter().try_fold(1u64, |acc, v| acc.checked_mul(*v))
}

fn check_input(net_type: NetType, input: Shape) -> Result<(), ShapeError> {
    let fail = |reason: String| ShapeError {
        layer: 0,
        reason,
        input,
    };
    if input.elements() == 0 {
        return Err(fail(format!("the input {input} has an empty dimension")));
    }
    match (net_type, input) {
        (NetType::Cnn, Shape::Vector(n)) => Err(fail(format!(
            "CNN networks take an image input (HxWxC), got a vector of {n}"
        ))),
        (NetType::Dnn, Shape::Image { .. }) => Err(fail(format!(
            "DNN networks take a vector input of N features, got an image of {input}"
        ))),
        _ => Ok(()),
    }
}

/// Infers the middle layers only (no output layer), checking the input
/// against `net_type`. Returns each layer's summary; the last output shape is
/// the shape after the middle layers (the input when there are none).
pub fn infer_layers(
    net_type: NetType,
    input: Shape,
    layers: &[Layer],
) -> Result<Vec<LayerSummary>, ShapeError> {
    check_input(net_type, input)?;
    if net_type == NetType::Logistic && !layers.is_empty() {
        return Err(ShapeError {
            layer: 0,
            reason: format!("logistic networks have no middle layers, got {}", layers.len()),
            input,
        });
    }
    let mut shape = input;
    let mut after_connect = false;
    let mut out = Vec::with_capacity(layers.len());
    for (index, layer) in layers.iter().enumerate() {
        let summary = infer_one(net_type, index, layer, shape, after_connect)?;
        shape = summary.output;
        after_connect |= matches!(layer, Layer::Connect { .. });
        out.push(summary);
    }
    Ok(out)
}

fn infer_one(
    net_type: NetType,
    index: usize,
    layer: &Layer,
    input: Shape,
    after_connect: bool,
) -> Result<LayerSummary, ShapeError> {
    let kind = layer.kind();
    let fail = |msg: String| ShapeError {
        layer: index,
        reason: format!("layer {index} ({kind}): {msg}"),
        input,
    };
    let overflow = || fail(format!("the numbers overflow on a {input} input"));
    let image = |input: Shape| -> Result<(u64, u64, u64), ShapeError> {
        match input {
            Shape::Image { h, w, c } => Ok((h, w, c)),
            Shape::Vector(n) if net_type == NetType::Dnn => Err(fail(format!(
                "DNN networks take conv/pool only on images: its input is a vector of {n}"
            ))),
            Shape::Vector(n) if after_connect => Err(ShapeError {
                layer: index,
                reason: format!(
                    "layer {index} ({kind}) cannot follow a connect layer: its input is a vector of {n}"
                ),
                input,
            }),
            Shape::Vector(n) => Err(fail(format!("needs an image input, got a vector of {n}"))),
        }
    };
    let elementwise = |input: Shape| LayerSummary {
        index,
        kind: kind.to_owned(),
        output: input,
        params: 0,
        flops: input.elements(),
    };
    let summary = match *layer {
        Layer::Conv {
            filter: [kh, kw, cout],
            stride,
            padding,
            activation,
        } => {
            let (h, w, cin) = image(input)?;
            if kh == 0 || kw == 0 || cout == 0 {
                return Err(fail(format!(
                    "filter sizes must be at least 1, got [{kh}, {kw}, {cout}]"
                )));
            }
            if stride == 0 {
                return Err(fail("stride must be at least 1".to_owned()));
            }
            let (ho, wo) = match padding {
                Padding::Same if stride > 1 => {
                    return Err(fail(format!(
                        "padding \"same\" needs stride 1 (PyTorch has no 'same' padding for strided convolutions), got stride {stride}; use \"valid\""
                    )));
                }
                Padding::Same => (h, w),
                Padding::Valid => window(h, w, cin, kh, kw, stride).map_err(fail)?,
            };
            let output = Shape::Image {
                h: ho,
                w: wo,
                c: cout,
            };
            let params = mul(&[kh, kw, cin, cout])
                .and_then(|p| p.checked_add(cout))
                .ok_or_else(overflow)?;
            let mut flops = mul(&[2, kh, kw, cin, cout, ho, wo]).ok_or_else(overflow)?;
            if activation.is_some() {
                flops = flops.saturating_add(output.elements());
            }
            LayerSummary {
                index,
                kind: kind.to_owned(),
                output,
                params,
                flops,
            }
        }
        Layer::Pool { size, stride, .. } => {
            let (h, w, c) = image(input)?;
            if size == 0 || stride == 0 {
                return Err(fail("size and stride must be at least 1".to_owned()));
            }
            let (ho, wo) = window(h, w, c, size, size, stride).map_err(fail)?;
            let output = Shape::Image { h: ho, w: wo, c };
            LayerSummary {
                index,
                kind: kind.to_owned(),
                output,
                params: 0,
                flops: mul(&[size, size, c, ho, wo]).ok_or_else(overflow)?,
            }
        }
        Layer::Norm => {
            let features = match input {
                Shape::Image { c, .. } => c,
                Shape::Vector(n) => n,
            };
            LayerSummary {
                params: features.checked_mul(2).ok_or_else(overflow)?,
                ..elementwise(input)
            }
        }
        Layer::Active { .. } => elementwise(input),
        Layer::Dropout { rate } => {
            if !(0.0..1.0).contains(&rate) {
                return Err(fail(format!("rate must be in [0, 1), got {rate}")));
            }
            elementwise(input)
        }
        Layer::Connect { units } => {
            if units == 0 {
                return Err(fail("units must be at least 1".to_owned()));
            }
            dense(index, kind, input, units).ok_or_else(overflow)?
        }
    };
    Ok(summary)
}

/// Output size of a window of `kh x kw` sliding with `stride`, no padding.
fn window(h: u64, w: u64, c: u64, kh: u64, kw: u64, stride: u64) -> Result<(u64, u64), String> {
    if kh > h || kw > w {
        return Err(format!("a {kh}x{kw} window does not fit a {h}x{w}x{c} input"));
    }
    Ok(((h - kh) / stride + 1, (w - kw) / stride + 1))
}

fn dense(index: usize, kind: &str, input: Shape, units: u64) -> Option<LayerSummary> {
    let inputs = match input {
        Shape::Image { h, w, c } => mul(&[h, w, c])?,
        Shape::Vector(n) => n,
    };
    Some(LayerSummary {
        index,
        kind: kind.to_owned(),
        output: Shape::Vector(units),
        params: inputs.checked_mul(units)?.checked_add(units)?,
        flops: mul(&[2, inputs, units])?,
    })
}

/// Infers the whole network: the middle layers, then the output layer (a
/// connect to `classes` units, `classes` ≥ 2).
pub fn summarize(
    net_type: NetType,
    input: Shape,
    classes: u64,
    layers: &[Layer],
) -> Result<Summary, ShapeError> {
    let summaries = infer_layers(net_type, input, layers)?;
    let last = summaries.last().map_or(input, |s| s.output);
    let index = layers.len();
    let fail = |reason: String| ShapeError {
        layer: index,
        reason,
        input: last,
    };
    if classes < defaults::CLASSES_MIN {
        return Err(fail(format!(
            "output layer: classes must be at least {}, got {classes}",
            defaults::CLASSES_MIN
        )));
    }
    let output = dense(index, "output", last, classes)
        .ok_or_else(|| fail(format!("output layer: the numbers overflow on a {last} input")))?;
    let mut total_params = output.params;
    let mut total_flops = output.flops;
    for s in &summaries {
        total_params = total_params.saturating_add(s.params);
        total_flops = total_flops.saturating_add(s.flops);
    }
    Ok(Summary {
        layers: summaries,
        output,
        total_params,
        total_flops,
    })
}

impl crate::config::NetworkConfig {
    /// Shape inference for this configuration on `input` with `classes` outputs.
    pub fn summary(&self, input: Shape, classes: u64) -> Result<Summary, ShapeError> {
        summarize(self.net_type, input, classes, &self.middle_layers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Activation, NetworkConfig, PoolKind};
    use serde_json::json;

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
}
