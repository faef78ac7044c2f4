//! Renders a configuration as a stand-alone PyTorch or Keras training script.
//!
//! The templates (`templates/*.py.j2`) only lay out code: every number and name
//! is prepared here, layers come as plain records with all defaults filled in
//! and PyTorch's `in_channels`/`in_features` taken from shape inference. The
//! data-loading part is shared by both frameworks and rendered first.

use minijinja::Environment;
use serde::Serialize;

use crate::config::{Activation, Layer, Loss, NetworkConfig, Optimizer, Padding, PoolKind};
use crate::defaults;
use crate::shape::{Shape, ShapeError, summarize};

const DATA_TEMPLATE: &str = include_str!("../templates/data.py.j2");
const PYTORCH_TEMPLATE: &str = include_str!("../templates/pytorch.py.j2");
const KERAS_TEMPLATE: &str = include_str!("../templates/keras.py.j2");

/// Target framework of a generated script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Framework {
    /// PyTorch (`torch.nn`), model saved as a `state_dict` (`.pt`).
    PyTorch,
    /// Keras 3 on TensorFlow, model saved as `.keras`.
    Keras,
}

impl Framework {
    /// Parses `pytorch` or `keras` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "pytorch" => Some(Self::PyTorch),
            "keras" => Some(Self::Keras),
            _ => None,
        }
    }

    /// The name accepted by [`Framework::parse`].
    pub fn name(self) -> &'static str {
        match self {
            Self::PyTorch => "pytorch",
            Self::Keras => "keras",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::PyTorch => "pt",
            Self::Keras => "keras",
        }
    }
}

/// What kind of data set the script reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// A folder (or `.zip`) of pictures, one sub-folder per class.
    Images,
    /// A CSV file with a header row.
    Csv,
}

/// The data set a script is generated for; its facts are embedded in the script.
#[derive(Debug, Clone, PartialEq)]
pub struct DataDescription {
    /// Pictures or CSV.
    pub kind: DataKind,
    /// The network's input (pictures are resized to it; CSV features are
    /// reshaped to it in row-major H, W, C order when it is an image).
    pub input: Shape,
    /// Class names; the index is the class id.
    pub classes: Vec<String>,
    /// The CSV label column (required for [`DataKind::Csv`]).
    pub label_column: Option<String>,
    /// The CSV feature columns, in input order.
    pub feature_columns: Vec<String>,
}

/// Why a script could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The network does not fit the data (shape inference failed).
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// The data description is inconsistent.
    #[error("data description: {0}")]
    Data(String),
    /// A template failed (a bug in the templates).
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

/// Renders a complete training script for `config` on `data`.
///
/// Validates the network with [`summarize`] first, so an invalid network is
/// rejected with the same [`ShapeError`] the server reports.
pub fn render(
    framework: Framework,
    model_name: &str,
    config: &NetworkConfig,
    data: &DataDescription,
) -> Result<String, RenderError> {
    check_data(data)?;
    let classes = u64::try_from(data.classes.len()).map_err(|e| RenderError::Data(e.to_string()))?;
    let summary = summarize(config.net_type, data.input, classes, &config.middle_layers)?;

    let mut layers = Vec::with_capacity(config.middle_layers.len() + 1);
    let mut shape = data.input;
    for (layer, s) in config.middle_layers.iter().zip(&summary.layers) {
        layers.push(LayerCtx::new(layer, shape, s.output, s.params));
        shape = s.output;
    }
    let output = Layer::Connect { units: classes };
    let mut output = LayerCtx::new(&output, shape, summary.output.output, summary.output.params);
    output.kind = "output";
    layers.push(output);

    let mut ctx = Context::new(framework, model_name, config, data, layers, summary.total_params);
    let env = environment();
    ctx.data_code = env.render_str(DATA_TEMPLATE, &ctx)?.trim_end().to_owned();
    let main = match framework {
        Framework::PyTorch => PYTORCH_TEMPLATE,
        Framework::Keras => KERAS_TEMPLATE,
    };
    Ok(tidy(&env.render_str(main, &ctx)?))
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Block tags on their own lines leave no blank lines or indentation behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env
}

/// Collapses runs of blank lines left by optional sections to PEP 8's two and
/// ends the file with exactly one newline.
fn tidy(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut blank = 0;
    for line in script.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 2 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn check_data(data: &DataDescription) -> Result<(), RenderError> {
    let fail = |m: String| Err(RenderError::Data(m));
    for (i, class) in data.classes.iter().enumerate() {
        if class.is_empty() {
            return fail(format!("class {i} has an empty name"));
        }
        if data.classes[..i].contains(class) {
            return fail(format!("class {class:?} is listed twice"));
        }
    }
    match data.kind {
        DataKind::Images => match data.input {
            Shape::Image { c: 1 | 3, .. } => Ok(()),
            Shape::Image { c, .. } => fail(format!("pictures have 1 or 3 channels, the input has {c}")),
            Shape::Vector(_) => fail(format!("pictures need an image input, got {}", data.input)),
        },
        DataKind::Csv => {
            let Some(label) = &data.label_column else {
                return fail("a CSV data set needs a label column".to_owned());
            };
            if data.feature_columns.contains(label) {
                return fail(format!("the label column {label:?} is also a feature"));
            }
            let n = u64::try_from(data.feature_columns.len()).unwrap_or(u64::MAX);
            if n != data.input.elements() {
                return fail(format!(
                    "{n} feature columns do not fill the input {} ({} elements)",
                    data.input,
                    data.input.elements()
                ));
            }
            Ok(())
        }
    }
}

/// Everything the templates see. Strings ending in `_literal` are Python source.
#[derive(Serialize)]
struct Context {
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
    eval_every: u64,
    layers: Vec<LayerCtx>,
    /// The rendered data-loading section (shared by both frameworks).
    data_code: String,
}

impl Context {
    fn new(
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
            eval_every: defaults::EVAL_EVERY,
            layers,
            data_code: String::new(),
        }
    }
}

/// One layer as the templates see it; fields that do not apply are 0 or empty.
#[derive(Serialize)]
struct LayerCtx {
    /// `conv`, `pool`, `norm`, `active`, `connect`, `dropout` or `output`.
    kind: &'static str,
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
    fn new(layer: &Layer, input: Shape, output: Shape, params: u64) -> Self {
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

/// A Python float literal (`Debug` prints `1e-8`, `0.01`, `1.0`: all valid Python).
fn py_float(v: f64) -> String {
    format!("{v:?}")
}

/// A Python string literal: JSON's escaping is valid Python.
fn py_str(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `prefix[...]` as Python source, wrapped at 79 columns with four-space indents.
fn py_list(prefix: &str, items: &[String]) -> String {
    let literals: Vec<String> = items.iter().map(|s| py_str(s)).collect();
    let one_line = format!("{prefix}[{}]", literals.join(", "));
    if one_line.len() <= 79 {
        return one_line;
    }
    let mut out = format!("{prefix}[\n");
    let mut line = String::new();
    for lit in &literals {
        if !line.is_empty() && 4 + line.len() + lit.len() + 2 > 79 {
            out.push_str(&format!("    {}\n", line.trim_end()));
            line.clear();
        }
        line.push_str(lit);
        line.push_str(", ");
    }
    if !line.is_empty() {
        out.push_str(&format!("    {}\n", line.trim_end()));
    }
    out.push(']');
    out
}

/// Control characters (newlines above all) would end a `#` comment early.
fn comment_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A file name made of the model name's letters, digits, `-` and `_`.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches('_');
    if stem.is_empty() {
        "model".to_owned()
    } else {
        stem.to_owned()
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert!(
            s.contains("\nCLASSES = [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"]")
        );
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
}
