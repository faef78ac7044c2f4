//! Layer by layer: output shapes, parameter counts and FLOPs, or why a layer does not fit.

use super::{LayerSummary, Shape, ShapeError, Summary};
use crate::config::{Layer, NetType, Padding};
use crate::defaults;

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
