//! Every default and every accepted range, in one place.
//!
//! | field                         | default | accepted range          |
//! |-------------------------------|---------|-------------------------|
//! | `iter`                        | —       | 1 ..= 1_000_000         |
//! | `learning_rate`               | —       | (0, 10]                 |
//! | `ratio`                       | —       | (0, 1)                  |
//! | `batch_size`                  | 32      | 1 ..= 65_536            |
//! | `seed`                        | 0       | any u64                 |
//! | `engine`                      | "builtin" | "builtin" or "pytorch" |
//! | `workers`                     | 1       | 1 ..= 16 (builtin: 1)   |
//! | `device`                      | "cpu"   | "cpu" or "cuda" (builtin: cpu) |
//! | conv `filter`                 | —       | 3 integers, each ≥ 1    |
//! | conv `stride`                 | 1       | ≥ 1                     |
//! | conv `padding`                | "same"  | "same" or "valid"       |
//! | conv `activation`             | none    | an activation name      |
//! | pool `kind`                   | "max"   | "max" or "avg"          |
//! | pool `size`                   | 2       | ≥ 1                     |
//! | pool `stride`                 | = size  | ≥ 1                     |
//! | active `kind`                 | "relu"  | relu, sigmoid, tanh, leaky_relu, elu |
//! | connect `units`               | 128     | ≥ 1 (checked by shape inference) |
//! | dropout `rate`                | 0.5     | [0, 1)                  |
//! | classes (shape inference)     | —       | ≥ 2                     |
//!
//! Optimiser hyper-parameters are fixed to PyTorch's defaults (the TensorFlow 1
//! names are only names); the generated PyTorch and Keras code and the built-in
//! engine all use these values:
//!
//! | optimiser | hyper-parameters                                   |
//! |-----------|----------------------------------------------------|
//! | sgd       | no momentum                                        |
//! | momentum  | momentum 0.9, dampening 0, not Nesterov            |
//! | adam      | beta1 0.9, beta2 0.999, epsilon 1e-8               |
//! | rmsprop   | alpha (decay) 0.99, epsilon 1e-8, no momentum      |
//! | adagrad   | initial accumulator 0, epsilon 1e-10               |
//!
//! Losses: `entropy` is softmax cross-entropy on the logits; `mse` is the mean
//! over batch and classes of `(softmax(logits) - one_hot(target))^2`.

/// Default mini-batch size.
pub const BATCH_SIZE: u64 = 32;
/// Smallest accepted batch size.
pub const BATCH_SIZE_MIN: u64 = 1;
/// Largest accepted batch size.
pub const BATCH_SIZE_MAX: u64 = 65_536;
/// Default number of data-parallel workers of a run.
pub const WORKERS: u64 = 1;
/// Most data-parallel workers a run may ask for.
pub const WORKERS_MAX: u64 = 16;
/// Default random seed.
pub const SEED: u64 = 0;
/// Smallest accepted number of training steps.
pub const ITER_MIN: u64 = 1;
/// Largest accepted number of training steps.
pub const ITER_MAX: u64 = 1_000_000;
/// Largest accepted learning rate (the smallest is exclusive 0).
pub const LEARNING_RATE_MAX: f64 = 10.0;
/// Default convolution stride.
pub const CONV_STRIDE: u64 = 1;
/// Default pooling window size (height = width).
pub const POOL_SIZE: u64 = 2;
/// Default number of units of a hidden `connect` layer.
pub const CONNECT_UNITS: u64 = 128;
/// Default dropout rate.
pub const DROPOUT_RATE: f64 = 0.5;
/// Smallest number of output classes.
pub const CLASSES_MIN: u64 = 2;
/// Momentum of `MomentumOptimizer`.
pub const MOMENTUM: f64 = 0.9;
/// Adam's first-moment decay.
pub const ADAM_BETA1: f64 = 0.9;
/// Adam's second-moment decay.
pub const ADAM_BETA2: f64 = 0.999;
/// Adam's epsilon.
pub const ADAM_EPSILON: f64 = 1e-8;
/// RMSProp's squared-gradient decay (PyTorch's `alpha`).
pub const RMSPROP_ALPHA: f64 = 0.99;
/// RMSProp's epsilon.
pub const RMSPROP_EPSILON: f64 = 1e-8;
/// Adagrad's epsilon (initial accumulator 0).
pub const ADAGRAD_EPSILON: f64 = 1e-10;
/// Batch norm's running-statistics momentum (PyTorch's default).
pub const BATCH_NORM_MOMENTUM: f64 = 0.1;
/// Batch norm's epsilon (PyTorch's default).
pub const BATCH_NORM_EPSILON: f64 = 1e-5;
/// Leaky ReLU's negative slope (PyTorch's default).
pub const LEAKY_RELU_SLOPE: f64 = 0.01;
/// ELU's alpha (PyTorch's default).
pub const ELU_ALPHA: f64 = 1.0;
/// Training steps between two metric points (also one at the end).
pub const EVAL_EVERY: u64 = 100;
