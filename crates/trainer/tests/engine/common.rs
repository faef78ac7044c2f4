//! Networks and synthetic data shared by the tests.

use codegen::{Activation, Layer, Loss, NetType, NetworkConfig, Optimizer, Padding, PoolKind, Shape};
use trainer::NetworkSpec;

pub fn config(
    net_type: NetType,
    layers: Vec<Layer>,
    optimizer: Optimizer,
    loss: Loss,
    lr: f64,
) -> NetworkConfig {
    NetworkConfig {
        iter: 100,
        learning_rate: lr,
        ratio: 0.8,
        loss,
        optimizer,
        net_type,
        batch_size: 32,
        seed: 7,
        middle_layers: layers,
        execution: Default::default(),
    }
}

pub fn spec(config: NetworkConfig, input: Shape, classes: usize) -> NetworkSpec {
    NetworkSpec {
        config,
        input,
        classes,
    }
}

pub fn image(h: u64, w: u64, c: u64) -> Shape {
    Shape::Image { h, w, c }
}

pub fn conv(kh: u64, kw: u64, out: u64, padding: Padding, activation: Option<Activation>) -> Layer {
    Layer::Conv {
        filter: [kh, kw, out],
        stride: 1,
        padding,
        activation,
    }
}

pub fn max_pool() -> Layer {
    Layer::Pool {
        kind: PoolKind::Max,
        size: 2,
        stride: 2,
    }
}

pub fn relu() -> Layer {
    Layer::Active {
        kind: Activation::Relu,
    }
}

/// The seed's default CNN.
pub fn default_cnn() -> Vec<Layer> {
    vec![
        conv(2, 2, 10, Padding::Same, None),
        conv(2, 2, 20, Padding::Same, None),
        max_pool(),
        Layer::Norm,
        relu(),
        Layer::Connect { units: 128 },
        Layer::Connect { units: 128 },
    ]
}

/// LeNet-5 style; `first` is the first conv's padding (LeNet-5 proper pads it: "same").
pub fn lenet(first: Padding) -> Vec<Layer> {
    vec![
        conv(5, 5, 6, first, Some(Activation::Relu)),
        max_pool(),
        conv(5, 5, 16, Padding::Valid, None),
        max_pool(),
        Layer::Connect { units: 120 },
        Layer::Connect { units: 84 },
    ]
}

/// The benchmark's LeNet-5: 5x5 convolutions of 6 and 16 channels with ReLU, max
/// pools, then 120 and 84 units with ReLU.
pub fn lenet5() -> Vec<Layer> {
    vec![
        conv(5, 5, 6, Padding::Same, Some(Activation::Relu)),
        max_pool(),
        conv(5, 5, 16, Padding::Valid, Some(Activation::Relu)),
        max_pool(),
        Layer::Connect { units: 120 },
        relu(),
        Layer::Connect { units: 84 },
        relu(),
    ]
}

/// The benchmark's small VGG-style network: two blocks of two 3x3 convolutions
/// (32 then 64 channels), each followed by batch norm and ReLU, a max pool per
/// block, then 256 units with ReLU.
pub fn vgg_small() -> Vec<Layer> {
    let block = |out| {
        vec![
            conv(3, 3, out, Padding::Same, None),
            Layer::Norm,
            relu(),
            conv(3, 3, out, Padding::Same, None),
            Layer::Norm,
            relu(),
            max_pool(),
        ]
    };
    let mut layers = block(32);
    layers.extend(block(64));
    layers.extend([Layer::Connect { units: 256 }, relu()]);
    layers
}

/// The benchmark's DNN for 784 values: 512 and 256 units with ReLU.
pub fn dnn_784() -> Vec<Layer> {
    vec![
        Layer::Connect { units: 512 },
        relu(),
        Layer::Connect { units: 256 },
        relu(),
    ]
}

pub fn dnn() -> Vec<Layer> {
    vec![
        Layer::Connect { units: 64 },
        Layer::Norm,
        relu(),
        Layer::Dropout { rate: 0.5 },
        Layer::Connect { units: 32 },
    ]
}

/// A small CNN using every image layer kind, dropout included.
pub fn small_cnn() -> Vec<Layer> {
    vec![
        conv(3, 3, 4, Padding::Same, Some(Activation::Relu)),
        Layer::Pool {
            kind: PoolKind::Avg,
            size: 2,
            stride: 2,
        },
        Layer::Norm,
        Layer::Active {
            kind: Activation::LeakyRelu,
        },
        Layer::Dropout { rate: 0.3 },
        Layer::Connect { units: 16 },
        Layer::Active {
            kind: Activation::Tanh,
        },
        Layer::Dropout { rate: 0.2 },
    ]
}

/// Deterministic pseudo-random numbers for data (independent of the engine's).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Uniform in [0, 1).
    pub fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 40) as f32 / 16_777_216.0
    }
}

/// `n` vectors of `features` values in `classes` well separated clusters.
pub fn clusters(n: usize, features: usize, classes: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
    let mut rng = Lcg::new(seed);
    let mut x = Vec::with_capacity(n * features);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % classes;
        for f in 0..features {
            let centre = if f % classes == class { 2.0 } else { 0.0 };
            x.push(centre + (rng.next() - 0.5) * 1.2);
        }
        y.push(class as u32);
    }
    (x, y)
}

/// `n` CHW images of `h` x `w` x 1: a bright square in the quadrant given by the class.
pub fn quadrant_images(n: usize, h: usize, w: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
    let mut rng = Lcg::new(seed);
    let mut x = Vec::with_capacity(n * h * w);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 4;
        let (top, left) = ((class / 2) * h / 2, (class % 2) * w / 2);
        for r in 0..h {
            for c in 0..w {
                let inside = (top..top + h / 2).contains(&r) && (left..left + w / 2).contains(&c);
                x.push(if inside { 0.8 } else { 0.1 } + rng.next() * 0.2);
            }
        }
        y.push(class as u32);
    }
    (x, y)
}

/// Batch `i` (cycling) of `batch` samples of `width` values.
pub fn batch<'a>(x: &'a [f32], y: &'a [u32], width: usize, batch: usize, i: usize) -> (&'a [f32], &'a [u32]) {
    let batches = y.len() / batch;
    let start = (i % batches) * batch;
    (
        &x[start * width..(start + batch) * width],
        &y[start..start + batch],
    )
}
