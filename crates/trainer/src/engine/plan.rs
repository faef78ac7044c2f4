//! The network as a list of operations with the shapes of their parameters,
//! checked by codegen's shape inference so it equals the generated PyTorch model.

use codegen::{Activation, Layer, Padding, PoolKind, Shape};

use super::api::{EngineError, NetworkSpec};

/// Refused above this many parameters (4 GiB of f32), so an absurd configuration is
/// an error rather than an out-of-memory abort.
const MAX_PARAMS: usize = 1 << 30;

/// What a parameter is, which fixes its initialisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamRole {
    /// Conv or linear weight: uniform in ±1/sqrt(fan_in) (PyTorch's Kaiming-uniform, a=√5).
    Weight { fan_in: usize },
    /// Conv or linear bias: uniform in ±1/sqrt(fan_in), as PyTorch.
    Bias { fan_in: usize },
    /// Batch-norm scale, ones.
    Gamma,
    /// Batch-norm shift, zeros.
    Beta,
}

/// One trainable tensor, stored flat (the forward pass reshapes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParamSpec {
    pub role: ParamRole,
    pub len: usize,
}

/// One step of the forward pass; `param` indexes the first of its parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Conv2d with weight `[cout, cin, kh, kw]` (params `param`, `param + 1`).
    Conv {
        param: usize,
        weight: [usize; 4],
        stride: usize,
        /// `(begin, end)` padding for height, then width.
        padding: [(usize, usize); 2],
        activation: Option<Activation>,
    },
    /// Max or average pooling, no padding.
    Pool {
        kind: PoolKind,
        size: usize,
        stride: usize,
    },
    /// Batch norm over `features` channels (params `param`, `param + 1`; running
    /// statistics slot `stats`).
    Norm {
        param: usize,
        stats: usize,
        features: usize,
    },
    /// An activation layer.
    Active(Activation),
    /// Flatten (if the input is an image) then linear with weight `[inputs, units]`.
    Connect {
        param: usize,
        inputs: usize,
        units: usize,
    },
    /// Dropout with drop probability `rate` (training only).
    Dropout { rate: f32 },
}

/// The whole network: the middle layers and the output layer (a `Connect`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub input: InputDims,
    pub classes: usize,
    pub ops: Vec<Op>,
    pub params: Vec<ParamSpec>,
    /// Channel count of each batch-norm layer's running statistics.
    pub stats: Vec<usize>,
}

/// The per-sample input the network takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputDims {
    /// `[C, H, W]`.
    Image { c: usize, h: usize, w: usize },
    /// `[N]`.
    Vector(usize),
}

impl InputDims {
    pub(crate) fn elements(self) -> usize {
        match self {
            Self::Image { c, h, w } => c * h * w,
            Self::Vector(n) => n,
        }
    }
}

impl Plan {
    /// Validates `spec` with codegen's shape inference and lays out the network.
    pub(crate) fn new(spec: &NetworkSpec) -> Result<Self, EngineError> {
        let config = &spec.config;
        let classes = u64::try_from(spec.classes).map_err(|_| invalid("too many classes"))?;
        let summary = codegen::summarize(config.net_type, spec.input, classes, &config.middle_layers)
            .map_err(|e| EngineError::InvalidNetwork(e.to_string()))?;
        let mut builder = Builder::default();
        let mut shape = spec.input;
        for (layer, out) in config.middle_layers.iter().zip(&summary.layers) {
            builder.layer(layer, shape)?;
            shape = out.output;
        }
        let inputs = to_usize(shape.elements())?;
        builder.connect(inputs, spec.classes);
        let params = builder
            .params
            .iter()
            .fold(0usize, |sum, p| sum.saturating_add(p.len));
        if params > MAX_PARAMS {
            return Err(EngineError::InvalidNetwork(format!(
                "{params} parameters is more than this engine trains ({MAX_PARAMS})"
            )));
        }
        let input = match spec.input {
            Shape::Image { h, w, c } => InputDims::Image {
                c: to_usize(c)?,
                h: to_usize(h)?,
                w: to_usize(w)?,
            },
            Shape::Vector(n) => InputDims::Vector(to_usize(n)?),
        };
        Ok(Self {
            input,
            classes: spec.classes,
            ops: builder.ops,
            params: builder.params,
            stats: builder.stats,
        })
    }

    /// Trainable parameters (PyTorch count).
    pub(crate) fn parameter_count(&self) -> u64 {
        self.params.iter().map(|p| p.len as u64).sum()
    }

    /// A hash of the architecture (not of hyper-parameters such as the learning
    /// rate), so weights of another network are refused.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h = super::codec::Fnv::default();
        match self.input {
            InputDims::Image { c, h: ih, w } => h.words(&[1, c, ih, w]),
            InputDims::Vector(n) => h.words(&[2, n]),
        }
        h.words(&[self.classes]);
        for op in &self.ops {
            match *op {
                Op::Conv {
                    weight,
                    stride,
                    padding: [(t, b), (l, r)],
                    activation,
                    ..
                } => {
                    h.words(&[10, weight[0], weight[1], weight[2], weight[3], stride, t, b, l, r]);
                    h.words(&[activation.map_or(0, activation_code)]);
                }
                Op::Pool { kind, size, stride } => h.words(&[11, kind as usize, size, stride]),
                Op::Norm { features, .. } => h.words(&[12, features]),
                Op::Active(kind) => h.words(&[13, activation_code(kind)]),
                Op::Connect { inputs, units, .. } => h.words(&[14, inputs, units]),
                // The rate is a training setting: weights move between rates.
                Op::Dropout { .. } => h.words(&[15]),
            }
        }
        h.finish()
    }
}

fn activation_code(kind: Activation) -> usize {
    match kind {
        Activation::Relu => 1,
        Activation::Sigmoid => 2,
        Activation::Tanh => 3,
        Activation::LeakyRelu => 4,
        Activation::Elu => 5,
    }
}

#[derive(Default)]
struct Builder {
    ops: Vec<Op>,
    params: Vec<ParamSpec>,
    stats: Vec<usize>,
}

impl Builder {
    fn layer(&mut self, layer: &Layer, input: Shape) -> Result<(), EngineError> {
        let op = match *layer {
            Layer::Conv {
                filter: [kh, kw, cout],
                stride,
                padding,
                activation,
            } => {
                let Shape::Image { c, .. } = input else {
                    return Err(invalid("conv needs an image input"));
                };
                let (kh, kw) = (to_usize(kh)?, to_usize(kw)?);
                let weight = [to_usize(cout)?, to_usize(c)?, kh, kw];
                let fan_in = weight[1] * kh * kw;
                let param = self.push(ParamRole::Weight { fan_in }, weight.iter().product());
                self.push(ParamRole::Bias { fan_in }, weight[0]);
                Op::Conv {
                    param,
                    weight,
                    stride: to_usize(stride)?,
                    padding: match padding {
                        Padding::Same => [same(kh), same(kw)],
                        Padding::Valid => [(0, 0); 2],
                    },
                    activation,
                }
            }
            Layer::Pool { kind, size, stride } => Op::Pool {
                kind,
                size: to_usize(size)?,
                stride: to_usize(stride)?,
            },
            Layer::Norm => {
                let features = to_usize(match input {
                    Shape::Image { c, .. } => c,
                    Shape::Vector(n) => n,
                })?;
                let param = self.push(ParamRole::Gamma, features);
                self.push(ParamRole::Beta, features);
                self.stats.push(features);
                Op::Norm {
                    param,
                    stats: self.stats.len() - 1,
                    features,
                }
            }
            Layer::Active { kind } => Op::Active(kind),
            Layer::Connect { units } => {
                self.connect(to_usize(input.elements())?, to_usize(units)?);
                return Ok(());
            }
            Layer::Dropout { rate } => Op::Dropout { rate: rate as f32 },
        };
        self.ops.push(op);
        Ok(())
    }

    fn connect(&mut self, inputs: usize, units: usize) {
        let param = self.push(ParamRole::Weight { fan_in: inputs }, inputs * units);
        self.push(ParamRole::Bias { fan_in: inputs }, units);
        self.ops.push(Op::Connect { param, inputs, units });
    }

    fn push(&mut self, role: ParamRole, len: usize) -> usize {
        self.params.push(ParamSpec { role, len });
        self.params.len() - 1
    }
}

/// PyTorch's `padding='same'` (stride 1, dilation 1): total `k - 1`, the smaller
/// half first, so even kernels pad one more at the end.
fn same(k: usize) -> (usize, usize) {
    let total = k - 1;
    (total / 2, total - total / 2)
}

fn to_usize(v: u64) -> Result<usize, EngineError> {
    usize::try_from(v).map_err(|_| invalid("a size does not fit this machine"))
}

fn invalid(message: &str) -> EngineError {
    EngineError::InvalidNetwork(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::burn_engine::backend;
    use crate::engine::burn_engine::session::host;
    use burn::tensor::module::conv2d;
    use burn::tensor::ops::ConvOptions;
    use burn::tensor::{Tensor, TensorData};

    #[test]
    fn same_padding_puts_the_extra_row_at_the_end() -> Result<(), EngineError> {
        assert_eq!(same(2), (0, 1));
        assert_eq!(same(3), (1, 1));
        assert_eq!(same(4), (1, 2));
        let device = backend::device();
        let x = Tensor::<4>::from_data(
            TensorData::new((1..=9).map(|v| v as f32).collect(), [1, 1, 3, 3]),
            &device,
        );
        let w = Tensor::<4>::ones([1, 1, 2, 2], &device);
        let options = ConvOptions::new_with_padding([1, 1], [same(2), same(2)], [1, 1], 1);
        let y = host(&conv2d(x, w, None, options))?;
        // PyTorch padding='same' on a 2x2 kernel: out[i][j] = sum of x[i..=i+1][j..=j+1].
        assert_eq!(y, vec![12.0, 16.0, 9.0, 24.0, 28.0, 15.0, 15.0, 17.0, 9.0]);
        Ok(())
    }
}
