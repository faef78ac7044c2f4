//! The forward pass of a [`Plan`] over flat parameter tensors.

use burn::tensor::activation;
use burn::tensor::module::{avg_pool2d, batch_norm, batch_norm_train, conv2d, linear, max_pool2d};
use burn::tensor::ops::{AvgPoolOptions, ConvOptions, MaxPoolOptions};
use burn::tensor::{Device, Tensor, TensorData};
use codegen::{Activation, PoolKind, defaults};

use super::super::api::EngineError;
use super::super::plan::{InputDims, Op, Plan};
use super::super::rng::Rng;

const BN_MOMENTUM: f32 = defaults::BATCH_NORM_MOMENTUM as f32;
const BN_EPSILON: f64 = defaults::BATCH_NORM_EPSILON;
const LEAKY_RELU_SLOPE: f64 = defaults::LEAKY_RELU_SLOPE;
const ELU_ALPHA: f64 = defaults::ELU_ALPHA;

/// Running mean and variance of one batch-norm layer (plain tensors, not parameters),
/// for the length of one step.
#[derive(Debug, Clone)]
pub(crate) struct RunningStats {
    pub mean: Tensor<1>,
    pub var: Tensor<1>,
}

/// Training (batch statistics, dropout, running-statistics updates) or evaluation.
pub(crate) enum Mode<'a> {
    Train {
        stats: &'a mut [RunningStats],
        rng: &'a mut Rng,
    },
    Eval {
        stats: &'a [RunningStats],
    },
}

/// A value between layers.
enum Act {
    /// `[batch, C, H, W]`.
    Image(Tensor<4>),
    /// `[batch, N]`.
    Vector(Tensor<2>),
}

/// Logits `[batch, classes]` for `n` samples in `features`, on `device`.
pub(crate) fn forward(
    plan: &Plan,
    params: &[Tensor<1>],
    features: &[f32],
    n: usize,
    device: &Device,
    mut mode: Mode<'_>,
) -> Result<Tensor<2>, EngineError> {
    let mut x = match plan.input {
        InputDims::Image { c, h, w } => Act::Image(Tensor::from_data(
            TensorData::new(features.to_vec(), [n, c, h, w]),
            device,
        )),
        InputDims::Vector(len) => Act::Vector(Tensor::from_data(
            TensorData::new(features.to_vec(), [n, len]),
            device,
        )),
    };
    for op in &plan.ops {
        x = apply(op, x, params, &mut mode)?;
    }
    match x {
        Act::Vector(logits) => Ok(logits),
        Act::Image(_) => Err(internal("the output layer did not produce a vector")),
    }
}

fn apply(op: &Op, x: Act, params: &[Tensor<1>], mode: &mut Mode<'_>) -> Result<Act, EngineError> {
    let param = |i: usize| {
        params
            .get(i)
            .cloned()
            .ok_or_else(|| internal("missing parameter"))
    };
    Ok(match (op, x) {
        (
            &Op::Conv {
                param: p,
                weight,
                stride,
                padding,
                activation,
            },
            Act::Image(x),
        ) => {
            let [(top, bottom), (left, right)] = padding;
            let (x, pad) = if top == bottom && left == right {
                (x, [top, left])
            } else {
                // Even kernels with "same": pad once here; the backend would pad again in
                // each of its two backward passes and crop the input gradient.
                (x.pad([(0, 0), (0, 0), (top, bottom), (left, right)], 0.0), [0, 0])
            };
            let [n, cin, h, w] = x.dims();
            let cols = [cin, weight[2], weight[3], h + 2 * pad[0], w + 2 * pad[1]]
                .iter()
                .fold(n, |a, &b| a.saturating_mul(b));
            let y = if stride == 1 && cols <= UNFOLD_MAX {
                unfolded_conv(x, param(p)?, param(p + 1)?, weight, pad)
            } else {
                let options = ConvOptions::new([stride; 2], pad, [1, 1], 1);
                conv2d(x, param(p)?.reshape(weight), Some(param(p + 1)?), options)
            };
            Act::Image(match activation {
                Some(kind) => activate(y, kind),
                None => y,
            })
        }
        (&Op::Pool { kind, size, stride }, Act::Image(x)) => Act::Image(match kind {
            PoolKind::Max => max_pool2d(x, MaxPoolOptions::new([size; 2]).with_stride([stride; 2])),
            PoolKind::Avg => avg_pool2d(x, AvgPoolOptions::new([size; 2]).with_stride([stride; 2])),
        }),
        (&Op::Norm { param: p, stats, .. }, x) => {
            let (gamma, beta) = (param(p)?, param(p + 1)?);
            match x {
                Act::Image(x) => Act::Image(norm(x, gamma, beta, stats, mode)?),
                Act::Vector(x) => Act::Vector(norm(x, gamma, beta, stats, mode)?),
            }
        }
        (&Op::Active(kind), Act::Image(x)) => Act::Image(activate(x, kind)),
        (&Op::Active(kind), Act::Vector(x)) => Act::Vector(activate(x, kind)),
        (
            &Op::Connect {
                param: p,
                inputs,
                units,
            },
            x,
        ) => {
            let x = match x {
                // CHW order, as PyTorch's flatten.
                Act::Image(x) => x.flatten::<2>(1, 3),
                Act::Vector(x) => x,
            };
            Act::Vector(linear(x, param(p)?.reshape([inputs, units]), Some(param(p + 1)?)))
        }
        (&Op::Dropout { rate }, x) => match mode {
            Mode::Train { rng, .. } if rate > 0.0 => match x {
                Act::Image(x) => Act::Image(dropout(x, rate, rng)),
                Act::Vector(x) => Act::Vector(dropout(x, rate, rng)),
            },
            _ => x,
        },
        _ => return Err(internal("a layer got an input of the wrong rank")),
    })
}

/// Largest unfolded input (values) for [`unfolded_conv`]; bigger convolutions use
/// the backend's kernel, whose memory stays bounded.
const UNFOLD_MAX: usize = 1 << 24;

/// A stride-1 convolution as one matrix product over the input's shifted windows
/// (`[cout, cin*kh*kw]` times `[cin*kh*kw, oh*ow]` per sample). The backend's
/// direct kernels are slow for the few channels and tiny kernels of these networks;
/// this is the same sum (in another order, well within f32 rounding).
fn unfolded_conv(
    x: Tensor<4>,
    weight: Tensor<1>,
    bias: Tensor<1>,
    [cout, cin, kh, kw]: [usize; 4],
    [ph, pw]: [usize; 2],
) -> Tensor<4> {
    let x = if ph > 0 || pw > 0 {
        x.pad([(0, 0), (0, 0), (ph, ph), (pw, pw)], 0.0)
    } else {
        x
    };
    let [n, _, h, w] = x.dims();
    let (oh, ow) = (h + 1 - kh, w + 1 - kw);
    let cols = if kh == 1 && kw == 1 {
        x.reshape([n, cin, oh * ow])
    } else {
        let windows: Vec<Tensor<5>> = (0..kh)
            .flat_map(|i| (0..kw).map(move |j| (i, j)))
            .map(|(i, j)| {
                x.clone()
                    .slice([0..n, 0..cin, i..i + oh, j..j + ow])
                    .unsqueeze_dim::<5>(2)
            })
            .collect();
        Tensor::cat(windows, 2).reshape([n, cin * kh * kw, oh * ow])
    };
    let y = weight.reshape([1, cout, cin * kh * kw]).matmul(cols) + bias.reshape([1, cout, 1]);
    y.reshape([n, cout, oh, ow])
}

fn activate<const D: usize>(x: Tensor<D>, kind: Activation) -> Tensor<D> {
    match kind {
        Activation::Relu => activation::relu(x),
        Activation::Sigmoid => activation::sigmoid(x),
        Activation::Tanh => activation::tanh(x),
        Activation::LeakyRelu => activation::leaky_relu(x, LEAKY_RELU_SLOPE),
        Activation::Elu => activation::elu(x, ELU_ALPHA),
    }
}

/// Batch norm as PyTorch: training normalises with the biased batch variance and
/// moves the running variance towards the unbiased one.
fn norm<const D: usize>(
    x: Tensor<D>,
    gamma: Tensor<1>,
    beta: Tensor<1>,
    slot: usize,
    mode: &mut Mode<'_>,
) -> Result<Tensor<D>, EngineError> {
    match mode {
        Mode::Eval { stats } => {
            let s = stats
                .get(slot)
                .ok_or_else(|| internal("missing running statistics"))?;
            Ok(batch_norm(
                x,
                gamma,
                beta,
                s.mean.clone(),
                s.var.clone(),
                BN_EPSILON,
            ))
        }
        Mode::Train { stats, .. } => {
            let dims = x.dims();
            let per_channel: usize = dims
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != 1)
                .map(|(_, d)| d)
                .product();
            if per_channel < 2 {
                return Err(EngineError::Shape(
                    "batch norm needs more than one value per channel when training (a batch of 1 on a vector); PyTorch refuses it too".to_owned(),
                ));
            }
            let s = stats
                .get_mut(slot)
                .ok_or_else(|| internal("missing running statistics"))?;
            let out = batch_norm_train(x, gamma, beta, BN_EPSILON);
            let unbias = per_channel as f32 / (per_channel - 1) as f32;
            s.mean = s.mean.clone().mul_scalar(1.0 - BN_MOMENTUM) + out.mean.inner().mul_scalar(BN_MOMENTUM);
            s.var = s.var.clone().mul_scalar(1.0 - BN_MOMENTUM)
                + out.variance.inner().mul_scalar(BN_MOMENTUM * unbias);
            Ok(out.output)
        }
    }
}

/// Inverted dropout as PyTorch (keep with probability `1 - rate`, scale by
/// `1 / (1 - rate)`); the mask comes from the session's RNG so it is reproducible.
fn dropout<const D: usize>(x: Tensor<D>, rate: f32, rng: &mut Rng) -> Tensor<D> {
    let shape = x.shape();
    let scale = 1.0 / (1.0 - rate);
    let mask: Vec<f32> = (0..shape.num_elements())
        .map(|_| if rng.next_f32() < rate { 0.0 } else { scale })
        .collect();
    let mask = Tensor::from_data(TensorData::new(mask, shape), &x.device());
    x * mask
}

fn internal(message: &str) -> EngineError {
    EngineError::Backend(format!("internal error: {message}"))
}
