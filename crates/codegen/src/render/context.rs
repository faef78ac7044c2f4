//! What the templates see: the script's facts and one record per layer, every value
//! ready to print.

use common::DataKind;
use serde::Serialize;

use super::python::{comment_safe, file_stem, py_float, py_list, py_str, thousands};
use super::{DataDescription, Framework};
use crate::config::{Activation, Layer, Loss, NetworkConfig, Optimizer, Padding, PoolKind};
use crate::defaults;
use crate::shape::Shape;

/// Everything the templates see. Strings ending in `_literal` are Python source.
#[derive(Serialize)]
pub(super) struct Context {
    /// The model name, safe inside a `#` comment.
    model_name: String,
    model_name_literal: String,
    default_out_literal: String,
    net_type: &'static str,
    images: bool,
    /// `(H, W, C)` or `(N,)` as Python source.
    input_literal: String,
    input_text: String,
    /// PIL mode for pictures.
    picture_mode: &'static str,
    classes_text: String,
    classes_literal: String,
    label_column_literal: String,
    feature_columns_literal: String,
    params: u64,
    params_text: String,
    steps: u64,
    batch_size: u64,
    seed: u64,
    ratio: String,
    learning_rate: String,
    loss: &'static str,
    loss_text: &'static str,
    optimizer: &'static str,
    momentum: String,
    adam_beta1: String,
    adam_beta2: String,
    adam_epsilon: String,
    rmsprop_alpha: String,
    rmsprop_epsilon: String,
    adagrad_epsilon: String,
    /// Keras counts batch norm's momentum the other way round: 1 - PyTorch's.
    batch_norm_keras_momentum: String,
    batch_norm_epsilon: String,
    leaky_relu_slope: String,
    elu_alpha: String,
    eval_every: u64,
    layers: Vec<LayerCtx>,
    /// The rendered data-loading section (shared by both frameworks).
    pub(super) data_code: String,
}

impl Context {
    /// The facts of the script, before the data-loading part is rendered.
    pub(super) fn new(
        framework: Framework,
        model_name: &str,
        config: &NetworkConfig,
        data: &DataDescription,
        layers: Vec<LayerCtx>,
        params: u64,
    ) -> Self {
        let images = data.kind == DataKind::Images;
        let input_literal = match data.input {
            Shape::Image { h, w, c } => format!("({h}, {w}, {c})"),
            Shape::Vector(n) => format!("({n},)"),
        };
        let input_text = match (data.kind, data.input) {
            (DataKind::Images, Shape::Image { h, w, c: 1 }) => format!("{h}x{w} grayscale pictures"),
            (DataKind::Images, Shape::Image { h, w, .. }) => format!("{h}x{w} RGB pictures"),
            (_, Shape::Image { h, w, c }) => format!("{} CSV features as {h}x{w}x{c}", h * w * c),
            (_, Shape::Vector(n)) => format!("{n} CSV features"),
        };
        let picture_mode = match data.input {
            Shape::Image { c: 1, .. } => "L",
            _ => "RGB",
        };
        let (loss, loss_text) = match config.loss {
            Loss::CrossEntropy => ("entropy", "softmax cross-entropy"),
            Loss::MeanSquaredError => ("mse", "mean squared error of softmax vs one-hot"),
        };
        let optimizer = match config.optimizer {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum => "momentum",
            Optimizer::Adam => "adam",
            Optimizer::RmsProp => "rmsprop",
            Optimizer::Adagrad => "adagrad",
        };
        let shown: Vec<&str> = data.classes.iter().take(10).map(String::as_str).collect();
        let mut classes_text = format!("{}: {}", data.classes.len(), shown.join(", "));
        if data.classes.len() > shown.len() {
            classes_text.push_str(", ...");
        }
        let label_column_literal = data
            .label_column
            .as_deref()
            .map_or_else(|| "None".to_owned(), py_str);
        Self {
            model_name: comment_safe(model_name),
            model_name_literal: py_str(model_name),
            default_out_literal: py_str(&format!("{}.{}", file_stem(model_name), framework.extension())),
            net_type: config.net_type.name(),
            images,
            input_literal,
            input_text,
            picture_mode,
            classes_text: comment_safe(&classes_text),
            classes_literal: py_list("CLASSES = ", &data.classes),
            label_column_literal,
            feature_columns_literal: py_list("FEATURE_COLUMNS = ", &data.feature_columns),
            params,
            params_text: thousands(params),
            steps: config.iter,
            batch_size: config.batch_size,
            seed: config.seed,
            ratio: py_float(config.ratio),
            learning_rate: py_float(config.learning_rate),
            loss,
            loss_text,
            optimizer,
            momentum: py_float(defaults::MOMENTUM),
            adam_beta1: py_float(defaults::ADAM_BETA1),
            adam_beta2: py_float(defaults::ADAM_BETA2),
            adam_epsilon: py_float(defaults::ADAM_EPSILON),
            rmsprop_alpha: py_float(defaults::RMSPROP_ALPHA),
            rmsprop_epsilon: py_float(defaults::RMSPROP_EPSILON),
            adagrad_epsilon: py_float(defaults::ADAGRAD_EPSILON),
            batch_norm_keras_momentum: py_float(1.0 - defaults::BATCH_NORM_MOMENTUM),
            batch_norm_epsilon: py_float(defaults::BATCH_NORM_EPSILON),
            leaky_relu_slope: py_float(defaults::LEAKY_RELU_SLOPE),
            elu_alpha: py_float(defaults::ELU_ALPHA),
            eval_every: defaults::EVAL_EVERY,
            layers,
            data_code: String::new(),
        }
    }
}

/// One layer as the templates see it; fields that do not apply are 0 or empty.
#[derive(Serialize)]
pub(super) struct LayerCtx {
    /// `conv`, `pool`, `norm`, `active`, `connect`, `dropout` or `output`.
    pub(super) kind: &'static str,
    /// Shapes as `HxWxC` or `N`, for comments.
    input_text: String,
    output_text: String,
    params: u64,
    /// Whether an image must be flattened first (connect/output on an image).
    flatten: bool,
    /// Whether norm works on an image (`BatchNorm2d`) or a vector (`BatchNorm1d`).
    on_image: bool,
    /// Input channels (conv) or features (norm) for PyTorch.
    in_channels: u64,
    /// Inputs of a connect/output after flattening, for PyTorch.
    in_features: u64,
    /// Conv filters or connect/output units.
    units: u64,
    kernel_h: u64,
    kernel_w: u64,
    stride: u64,
    padding: &'static str,
    pool: &'static str,
    size: u64,
    /// Activation of an `active` layer or after a conv (empty: none).
    activation: &'static str,
    rate: String,
}

impl LayerCtx {
    /// `layer` going from `input` to `output`, with its parameter count.
    pub(super) fn new(layer: &Layer, input: Shape, output: Shape, params: u64) -> Self {
        let on_image = matches!(input, Shape::Image { .. });
        let mut ctx = Self {
            kind: layer.kind(),
            input_text: shape_text(input),
            output_text: shape_text(output),
            params,
            flatten: false,
            on_image,
            in_channels: 0,
            in_features: input.elements(),
            units: 0,
            kernel_h: 0,
            kernel_w: 0,
            stride: 0,
            padding: "",
            pool: "",
            size: 0,
            activation: "",
            rate: String::new(),
        };
        let channels = match input {
            Shape::Image { c, .. } => c,
            Shape::Vector(n) => n,
        };
        match *layer {
            Layer::Conv {
                filter: [kh, kw, out],
                stride,
                padding,
                activation,
            } => {
                ctx.in_channels = channels;
                ctx.units = out;
                ctx.kernel_h = kh;
                ctx.kernel_w = kw;
                ctx.stride = stride;
                ctx.padding = match padding {
                    Padding::Same => "same",
                    Padding::Valid => "valid",
                };
                ctx.activation = activation.map_or("", activation_name);
            }
            Layer::Pool { kind, size, stride } => {
                ctx.pool = match kind {
                    PoolKind::Max => "max",
                    PoolKind::Avg => "avg",
                };
                ctx.size = size;
                ctx.stride = stride;
            }
            Layer::Norm => ctx.in_channels = channels,
            Layer::Active { kind } => ctx.activation = activation_name(kind),
            Layer::Connect { units } => {
                ctx.flatten = on_image;
                ctx.units = units;
            }
            Layer::Dropout { rate } => ctx.rate = py_float(rate),
        }
        ctx
    }
}

fn activation_name(a: Activation) -> &'static str {
    match a {
        Activation::Relu => "relu",
        Activation::Sigmoid => "sigmoid",
        Activation::Tanh => "tanh",
        Activation::LeakyRelu => "leaky_relu",
        Activation::Elu => "elu",
    }
}

fn shape_text(shape: Shape) -> String {
    match shape {
        Shape::Image { h, w, c } => format!("{h}x{w}x{c}"),
        Shape::Vector(n) => n.to_string(),
    }
}
