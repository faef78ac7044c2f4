//! Training throughput of the seed's default CNN on synthetic data.
//!
//! ```text
//! cargo run --release -p trainer --example throughput -- --shape 28x28x1 --steps 300 --classes 10
//! ```
//!
//! Options: `--shape HxWxC`, `--steps N`, `--classes K`, `--batch B` (32),
//! `--optimizer NAME` (adam), `--lr X` (0.001). Threads follow rayon's
//! `RAYON_NUM_THREADS`. Prints `images_per_second=<x>` (after 10 warm-up steps).

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use codegen::{Layer, Loss, NetType, NetworkConfig, Optimizer, Padding, PoolKind, Shape};
use trainer::{BurnEngine, Engine, NetworkSpec};

const WARMUP: usize = 10;
/// Distinct batches cycled through (made up front so their cost is not timed).
const BATCHES: usize = 16;

struct Args {
    shape: (u64, u64, u64),
    steps: usize,
    classes: usize,
    batch: usize,
    optimizer: Optimizer,
    lr: f64,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        shape: (28, 28, 1),
        steps: 300,
        classes: 10,
        batch: 32,
        optimizer: Optimizer::Adam,
        lr: 0.001,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("bad value for {flag}: {value} ({e})");
        match flag.as_str() {
            "--shape" => {
                let dims: Vec<u64> = value
                    .split('x')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|e| bad(&e))?;
                let [h, w, c] = dims[..] else {
                    return Err(format!("--shape wants HxWxC, got {value}"));
                };
                args.shape = (h, w, c);
            }
            "--steps" => args.steps = value.parse().map_err(|e| bad(&e))?,
            "--classes" => args.classes = value.parse().map_err(|e| bad(&e))?,
            "--batch" => args.batch = value.parse().map_err(|e| bad(&e))?,
            "--lr" => args.lr = value.parse().map_err(|e| bad(&e))?,
            "--optimizer" => {
                args.optimizer = Optimizer::parse(&value).ok_or(format!("unknown optimiser {value}"))?
            }
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

fn default_cnn() -> Vec<Layer> {
    let conv = |out| Layer::Conv {
        filter: [2, 2, out],
        stride: 1,
        padding: Padding::Same,
        activation: None,
    };
    vec![
        conv(10),
        conv(20),
        Layer::Pool {
            kind: PoolKind::Max,
            size: 2,
            stride: 2,
        },
        Layer::Norm,
        Layer::Active {
            kind: codegen::Activation::Relu,
        },
        Layer::Connect { units: 128 },
        Layer::Connect { units: 128 },
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let (h, w, c) = args.shape;
    let spec = NetworkSpec {
        config: NetworkConfig {
            iter: args.steps as u64,
            learning_rate: args.lr,
            ratio: 0.8,
            loss: Loss::CrossEntropy,
            optimizer: args.optimizer,
            net_type: NetType::Cnn,
            batch_size: args.batch as u64,
            seed: 0,
            middle_layers: default_cnn(),
            execution: Default::default(),
        },
        input: Shape::Image { h, w, c },
        classes: args.classes,
    };
    let width = (h * w * c) as usize;
    let samples = BATCHES * args.batch;
    // A fixed LCG: the content does not matter, only that it is not constant.
    let mut state = 1u64;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (state >> 40) as f32 / 16_777_216.0
    };
    let x: Vec<f32> = (0..samples * width).map(|_| next()).collect();
    let y: Vec<u32> = (0..samples).map(|i| (i % args.classes) as u32).collect();

    let mut session = BurnEngine.start(&spec, None)?;
    let mut step = |i: usize| {
        let b = i % BATCHES;
        let (s, e) = (b * args.batch, (b + 1) * args.batch);
        session.train_step(&x[s * width..e * width], &y[s..e])
    };
    for i in 0..WARMUP {
        step(i)?;
    }
    let start = Instant::now();
    let mut loss = 0.0;
    for i in 0..args.steps {
        loss = step(i)?;
    }
    let seconds = start.elapsed().as_secs_f64();
    let images = (args.steps * args.batch) as f64;
    eprintln!(
        "engine={} shape={h}x{w}x{c} batch={} steps={} seconds={seconds:.3} last_loss={loss:.4}",
        BurnEngine.name(),
        args.batch,
        args.steps
    );
    println!("images_per_second={:.1}", images / seconds);
    Ok(())
}
