//! The forward and backward passes of a [`Plan`], layer by layer, with the values
//! the backward pass needs kept in a [`Tape`] that is reused from step to step.

use std::time::{Duration, Instant};

use codegen::{Activation, PoolKind};
use rayon::prelude::*;

use super::super::api::EngineError;
use super::super::batch::EVAL_BATCH;
use super::super::plan::{InputDims, Op, Plan};
use super::super::rng::Rng;
use super::super::weights::Weights;
use super::conv::{self, ConvGeometry};
use super::norm::{self, NormGeometry};
use super::pool::{self, PoolGeometry};
use super::{activation, linear};

/// Values of the widest layer per evaluation pass (16 MiB of f32).
const EVAL_VALUES: usize = 1 << 22;

/// One layer with its shapes worked out for a single sample.
#[derive(Debug, Clone, PartialEq)]
enum Layer {
    Conv {
        geometry: ConvGeometry,
        param: usize,
        activation: Option<Activation>,
    },
    Pool {
        kind: PoolKind,
        geometry: PoolGeometry,
    },
    Norm {
        geometry: NormGeometry,
        param: usize,
        stats: usize,
        /// An activation layer that followed, applied to the output in place.
        activation: Option<Activation>,
    },
    Active(Activation),
    Connect {
        param: usize,
        inputs: usize,
        units: usize,
    },
    Dropout {
        rate: f32,
    },
}

/// A plan's layers and the per-sample size of every value between them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Network {
    layers: Vec<Layer>,
    /// `sizes[0]` is the input's; `sizes[i + 1]` is layer `i`'s output's.
    sizes: Vec<usize>,
    param_lens: Vec<usize>,
}

/// What the backward pass needs from one layer's forward pass, beyond its input
/// and output values.
#[derive(Debug, Default)]
struct Saved {
    /// Max pooling: the input index of each output.
    argmax: Vec<u32>,
    /// Batch norm: batch mean, inverse deviation and biased variance per channel.
    mean: Vec<f32>,
    inv_std: Vec<f32>,
    var: Vec<f32>,
    /// Dropout: 0 or 1 / (1 - rate) per value.
    mask: Vec<f32>,
}

/// Memory of a training session's steps, kept so steps do not allocate.
#[derive(Debug, Default)]
pub(crate) struct Tape {
    /// `outputs[i]` is layer `i`'s output (the last one, the logits).
    outputs: Vec<Vec<f32>>,
    saved: Vec<Saved>,
    grad: Vec<f32>,
    grad_next: Vec<f32>,
    /// Gradient of every parameter after [`Network::backward`].
    pub param_grads: Vec<Vec<f32>>,
    conv_scratch: conv::BackwardScratch,
    /// Forward and backward time per layer, summed over steps, when profiling.
    pub timing: Option<Vec<[Duration; 2]>>,
}

/// Adds the time since `start` to layer `layer`'s forward (0) or backward (1) total,
/// when profiling.
fn record(timing: &mut Option<Vec<[Duration; 2]>>, layer: usize, pass: usize, start: Option<Instant>) {
    if let (Some(slot), Some(start)) = (timing.as_mut().and_then(|t| t.get_mut(layer)), start) {
        slot[pass] += start.elapsed();
    }
}

impl Network {
    pub(crate) fn new(plan: &Plan) -> Self {
        let mut dims = match plan.input {
            InputDims::Image { c, h, w } => [c, h, w],
            InputDims::Vector(n) => [n, 1, 1],
        };
        let mut sizes = vec![plan.input.elements()];
        let mut layers = Vec::with_capacity(plan.ops.len());
        for op in &plan.ops {
            let layer = match *op {
                Op::Conv {
                    param,
                    weight,
                    stride,
                    padding,
                    activation,
                } => {
                    let geometry = ConvGeometry::new(dims, weight, stride, padding);
                    dims = [geometry.cout, geometry.oh, geometry.ow];
                    Layer::Conv {
                        geometry,
                        param,
                        activation,
                    }
                }
                Op::Pool { kind, size, stride } => {
                    let geometry = PoolGeometry::new(dims, size, stride);
                    dims = [geometry.channels, geometry.oh, geometry.ow];
                    Layer::Pool { kind, geometry }
                }
                Op::Norm {
                    param,
                    stats,
                    features,
                } => Layer::Norm {
                    geometry: NormGeometry {
                        channels: features,
                        positions: dims.iter().product::<usize>() / features.max(1),
                    },
                    param,
                    stats,
                    activation: None,
                },
                // Folded into the layer before when that layer can apply it to its own
                // output: one pass and one kept value fewer (its derivative needs only
                // the output, which that layer keeps anyway).
                Op::Active(kind) => match layers.last_mut() {
                    Some(Layer::Conv { activation, .. } | Layer::Norm { activation, .. })
                        if activation.is_none() =>
                    {
                        *activation = Some(kind);
                        continue;
                    }
                    _ => Layer::Active(kind),
                },
                Op::Connect { param, inputs, units } => {
                    dims = [units, 1, 1];
                    Layer::Connect { param, inputs, units }
                }
                Op::Dropout { rate } => Layer::Dropout { rate },
            };
            layers.push(layer);
            sizes.push(dims.iter().product());
        }
        Self {
            layers,
            sizes,
            param_lens: plan.params.iter().map(|p| p.len).collect(),
        }
    }

    /// Samples per evaluation pass: up to [`EVAL_BATCH`], fewer where one layer's
    /// values for that many would pass [`EVAL_VALUES`] (large pictures), so
    /// evaluating never needs more memory than a training step of a usual batch.
    pub(crate) fn eval_chunk(&self) -> usize {
        let widest = self.sizes.iter().copied().max().unwrap_or(1).max(1);
        (EVAL_VALUES / widest).clamp(1, EVAL_BATCH)
    }

    /// Batch norm cannot train on one value per channel (a batch of 1 on a vector);
    /// checked before a step changes anything.
    pub(crate) fn check_train_batch(&self, n: usize) -> Result<(), EngineError> {
        let single = self
            .layers
            .iter()
            .any(|layer| matches!(layer, Layer::Norm { geometry, .. } if n * geometry.positions < 2));
        if single {
            return Err(EngineError::Shape(
                "batch norm needs more than one value per channel when training (a batch of 1 on a vector); PyTorch refuses it too".to_owned(),
            ));
        }
        Ok(())
    }

    /// Training-mode forward pass of `n` samples: every layer's output and what its
    /// backward pass needs go to `tape`; dropout masks are drawn from `rng`.
    /// Returns the logits.
    pub(crate) fn forward_train<'t>(
        &self,
        weights: &Weights,
        features: &'t [f32],
        n: usize,
        rng: &mut Rng,
        tape: &'t mut Tape,
    ) -> &'t [f32] {
        tape.outputs.resize_with(self.layers.len(), Vec::new);
        tape.saved.resize_with(self.layers.len(), Saved::default);
        if let Some(timing) = tape.timing.as_mut() {
            timing.resize(self.layers.len(), [Duration::ZERO; 2]);
        }
        for (i, layer) in self.layers.iter().enumerate() {
            let start = tape.timing.is_some().then(Instant::now);
            let (done, rest) = tape.outputs.split_at_mut(i);
            let x = done.last().map_or(features, Vec::as_slice);
            let y = &mut rest[0];
            y.resize(n * self.sizes[i + 1], 0.0);
            let saved = &mut tape.saved[i];
            match layer {
                Layer::Norm {
                    geometry,
                    param,
                    activation,
                    ..
                } => {
                    let c = geometry.channels;
                    saved.mean.resize(c, 0.0);
                    saved.inv_std.resize(c, 0.0);
                    saved.var = norm::batch_statistics(x, geometry, &mut saved.mean, &mut saved.inv_std);
                    let (gamma, beta) = (&weights.params[*param], &weights.params[param + 1]);
                    let stats = (saved.mean.as_slice(), saved.inv_std.as_slice());
                    norm::normalize(x, geometry, stats, (gamma, beta), *activation, y);
                }
                Layer::Pool {
                    kind: PoolKind::Max,
                    geometry,
                } => {
                    saved.argmax.resize(y.len(), 0);
                    pool::max_forward(x, geometry, y, &mut saved.argmax);
                }
                Layer::Dropout { rate } if *rate > 0.0 => {
                    let scale = 1.0 / (1.0 - rate);
                    saved.mask.clear();
                    saved
                        .mask
                        .extend((0..x.len()).map(|_| if rng.next_f32() < *rate { 0.0 } else { scale }));
                    for ((o, &v), &m) in y.iter_mut().zip(x).zip(&saved.mask) {
                        *o = v * m;
                    }
                }
                _ => self.forward_layer(layer, weights, x, y),
            }
            record(&mut tape.timing, i, 0, start);
        }
        tape.outputs.last().map_or(features, Vec::as_slice)
    }

    /// Eval-mode logits of `n` samples (batch norm on running statistics, no
    /// dropout), row-major `[n, classes]`.
    pub(crate) fn logits(&self, weights: &Weights, features: &[f32], n: usize) -> Vec<f32> {
        let (mut current, mut next) = (features.to_vec(), Vec::new());
        for (i, layer) in self.layers.iter().enumerate() {
            next.resize(n * self.sizes[i + 1], 0.0);
            match layer {
                Layer::Norm {
                    geometry,
                    param,
                    stats,
                    activation,
                } => {
                    let running = &weights.stats[*stats];
                    let inv_std = norm::running_inv_std(&running.var);
                    let (gamma, beta) = (&weights.params[*param], &weights.params[param + 1]);
                    norm::normalize(
                        &current,
                        geometry,
                        (&running.mean, &inv_std),
                        (gamma, beta),
                        *activation,
                        &mut next,
                    );
                }
                Layer::Pool {
                    kind: PoolKind::Max,
                    geometry,
                } => {
                    let mut argmax = vec![0; next.len()];
                    pool::max_forward(&current, geometry, &mut next, &mut argmax);
                }
                Layer::Dropout { .. } => next.copy_from_slice(&current),
                _ => self.forward_layer(layer, weights, &current, &mut next),
            }
            std::mem::swap(&mut current, &mut next);
        }
        current
    }

    /// The layers computed alike in training and evaluation.
    fn forward_layer(&self, layer: &Layer, weights: &Weights, x: &[f32], y: &mut [f32]) {
        let params = &weights.params;
        match layer {
            Layer::Conv {
                geometry,
                param,
                activation,
            } => {
                conv::forward(x, geometry, &params[*param], &params[param + 1], y);
                if let Some(kind) = activation {
                    activation::forward(*kind, y);
                }
            }
            Layer::Pool {
                kind: PoolKind::Avg,
                geometry,
            } => pool::avg_forward(x, geometry, y),
            Layer::Active(kind) => activation::forward_into(*kind, x, y),
            Layer::Connect { param, inputs, units } => {
                linear::forward(x, (*inputs, *units), &params[*param], &params[param + 1], y)
            }
            // Only reached with rate 0 (training) or in evaluation.
            Layer::Dropout { .. } => y.copy_from_slice(x),
            // Written out by the callers (they keep or use other values).
            Layer::Norm { .. } | Layer::Pool { .. } => {}
        }
    }

    /// The gradient of every parameter into `tape.param_grads`, from the gradient of
    /// the logits `dlogits` and the values [`Network::forward_train`] left in `tape`
    /// for the same `features`.
    pub(crate) fn backward(&self, weights: &Weights, features: &[f32], dlogits: &[f32], tape: &mut Tape) {
        let Tape {
            outputs,
            saved,
            grad,
            grad_next,
            param_grads,
            conv_scratch,
            timing,
        } = tape;
        param_grads.resize_with(self.param_lens.len(), Vec::new);
        for (g, &len) in param_grads.iter_mut().zip(&self.param_lens) {
            g.resize(len, 0.0);
        }
        grad.clear();
        grad.extend_from_slice(dlogits);
        let params = &weights.params;
        for (i, layer) in self.layers.iter().enumerate().rev() {
            let start = timing.is_some().then(Instant::now);
            let x = if i == 0 { features } else { &outputs[i - 1] };
            let y = &outputs[i];
            // The input's gradient is needed unless the input is the data.
            let wants_dx = i > 0;
            grad_next.resize(x.len(), 0.0);
            let dx = wants_dx.then_some(grad_next.as_mut_slice());
            match layer {
                Layer::Conv {
                    geometry,
                    param,
                    activation,
                } => {
                    if let Some(kind) = activation {
                        activation::backward(*kind, y, grad);
                    }
                    let (dw, db) = pair(param_grads, *param);
                    conv::backward(x, geometry, &params[*param], grad, dx, (dw, db), conv_scratch);
                }
                Layer::Pool { kind, geometry } => match (kind, dx) {
                    (PoolKind::Max, Some(dx)) => pool::max_backward(grad, geometry, &saved[i].argmax, dx),
                    (PoolKind::Avg, Some(dx)) => pool::avg_backward(grad, geometry, dx),
                    (_, None) => {}
                },
                Layer::Norm {
                    geometry,
                    param,
                    activation,
                    ..
                } => {
                    if let Some(kind) = activation {
                        activation::backward(*kind, y, grad);
                    }
                    let s = &saved[i];
                    let (dgamma, dbeta) = pair(param_grads, *param);
                    norm::backward(
                        x,
                        geometry,
                        (&s.mean, &s.inv_std),
                        &params[*param],
                        grad,
                        dx,
                        (dgamma, dbeta),
                    );
                }
                // In place: the gradient stays in `grad`.
                Layer::Active(kind) => activation::backward(*kind, y, grad),
                Layer::Connect { param, inputs, units } => {
                    let (dw, db) = pair(param_grads, *param);
                    linear::backward(x, (*inputs, *units), &params[*param], grad, dx, (dw, db));
                }
                Layer::Dropout { rate } => {
                    if *rate > 0.0 {
                        grad.par_iter_mut()
                            .zip(saved[i].mask.par_iter())
                            .for_each(|(g, m)| *g *= m);
                    }
                }
            }
            if !matches!(layer, Layer::Active(_) | Layer::Dropout { .. }) {
                std::mem::swap(grad, grad_next);
            }
            record(timing, i, 1, start);
        }
    }

    /// Moves every batch-norm layer's running statistics after a training forward pass.
    pub(crate) fn update_running_stats(&self, weights: &mut Weights, n: usize, tape: &Tape) {
        for (layer, saved) in self.layers.iter().zip(&tape.saved) {
            if let Layer::Norm { geometry, stats, .. } = layer {
                let running = &mut weights.stats[*stats];
                norm::update_running(
                    (&mut running.mean, &mut running.var),
                    (&saved.mean, &saved.var),
                    n * geometry.positions,
                );
            }
        }
    }
}

impl Layer {
    /// A short description for profiles, e.g. `conv 3x3 3->32 on 32x32`.
    fn describe(&self) -> String {
        match self {
            Layer::Conv {
                geometry: g,
                activation,
                ..
            } => format!(
                "conv {}x{} {}->{} on {}x{}{}{}",
                g.kh,
                g.kw,
                g.cin,
                g.cout,
                g.h,
                g.w,
                if g.stride > 1 {
                    format!(" stride {}", g.stride)
                } else {
                    String::new()
                },
                activation.map_or(String::new(), |a| format!(" + {}", name(a)))
            ),
            Layer::Pool { kind, geometry: g } => format!(
                "{} pool {} on {}x{}x{}",
                match kind {
                    PoolKind::Max => "max",
                    PoolKind::Avg => "avg",
                },
                g.size,
                g.channels,
                g.h,
                g.w
            ),
            Layer::Norm {
                geometry: g,
                activation,
                ..
            } => format!(
                "batch norm {}x{}{}",
                g.channels,
                g.positions,
                activation.map_or(String::new(), |a| format!(" + {}", name(a)))
            ),
            Layer::Active(kind) => name(*kind),
            Layer::Connect { inputs, units, .. } => format!("linear {inputs}->{units}"),
            Layer::Dropout { rate } => format!("dropout {rate}"),
        }
    }
}

/// An activation's name in profiles, e.g. `leakyrelu`.
fn name(kind: Activation) -> String {
    format!("{kind:?}").to_lowercase()
}

impl Network {
    /// One description per layer, in order (see [`Tape::timing`]).
    pub(crate) fn describe(&self) -> Vec<String> {
        self.layers.iter().map(Layer::describe).collect()
    }
}

/// Gradients of parameters `p` and `p + 1` (weight and bias, or gamma and beta).
fn pair(grads: &mut [Vec<f32>], p: usize) -> (&mut [f32], &mut [f32]) {
    let (head, tail) = grads.split_at_mut(p + 1);
    (&mut head[p], &mut tail[0])
}
