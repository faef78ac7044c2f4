//! Training throughput of one engine on one network of the benchmark set, on
//! synthetic data, and optionally where the time of a step goes.
//!
//! ```text
//! cargo run --release -p trainer --example throughput -- --network vgg --shape 32x32x3 --batch 64
//! ```
//!
//! Options: `--network default|lenet5|vgg|dnn` (default: the seed's default CNN),
//! `--shape HxWxC` (28x28x1; for `dnn` the vector length is H*W*C), `--steps N` (300),
//! `--classes K` (10), `--batch B` (32), `--optimizer NAME` (adam), `--lr X` (0.001),
//! `--engine native|burn` (native), `--profile yes` (print the share of each layer
//! in a step instead; native engine only). Threads follow rayon's
//! `RAYON_NUM_THREADS`. Prints `images_per_second=<x>` (after 10 warm-up steps).

use std::time::Instant;

use codegen::{Activation, Layer, Loss, NetType, NetworkConfig, Optimizer, Padding, PoolKind, Shape};
use trainer::engine::native;
use trainer::{BurnEngine, Engine, NativeEngine, NetworkSpec};

const WARMUP: usize = 10;
/// Distinct batches cycled through (made up front so their cost is not timed).
const BATCHES: usize = 16;

struct Args {
    network: String,
    shape: (u64, u64, u64),
    steps: usize,
    classes: usize,
    batch: usize,
    optimizer: Optimizer,
    lr: f64,
    engine: String,
    profile: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        network: "default".to_owned(),
        shape: (28, 28, 1),
        steps: 300,
        classes: 10,
        batch: 32,
        optimizer: Optimizer::Adam,
        lr: 0.001,
        engine: "native".to_owned(),
        profile: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("bad value for {flag}: {value} ({e})");
        match flag.as_str() {
            "--network" => args.network = value,
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
            "--engine" => args.engine = value,
            "--profile" => args.profile = value == "yes",
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(args)
}

fn conv(k: u64, out: u64, padding: Padding, activation: Option<Activation>) -> Layer {
    Layer::Conv {
        filter: [k, k, out],
        stride: 1,
        padding,
        activation,
    }
}

fn max_pool() -> Layer {
    Layer::Pool {
        kind: PoolKind::Max,
        size: 2,
        stride: 2,
    }
}

fn relu() -> Layer {
    Layer::Active {
        kind: Activation::Relu,
    }
}

/// The middle layers and net type of a benchmark network (the output layer is added
/// by the engine, as by the server).
fn network(name: &str) -> Result<(NetType, Vec<Layer>), String> {
    Ok(match name {
        "default" => (
            NetType::Cnn,
            vec![
                conv(2, 10, Padding::Same, None),
                conv(2, 20, Padding::Same, None),
                max_pool(),
                Layer::Norm,
                relu(),
                Layer::Connect { units: 128 },
                Layer::Connect { units: 128 },
            ],
        ),
        "lenet5" => (
            NetType::Cnn,
            vec![
                conv(5, 6, Padding::Same, Some(Activation::Relu)),
                max_pool(),
                conv(5, 16, Padding::Valid, Some(Activation::Relu)),
                max_pool(),
                Layer::Connect { units: 120 },
                relu(),
                Layer::Connect { units: 84 },
                relu(),
            ],
        ),
        "vgg" => {
            let mut layers = Vec::new();
            for out in [32, 64] {
                for _ in 0..2 {
                    layers.extend([conv(3, out, Padding::Same, None), Layer::Norm, relu()]);
                }
                layers.push(max_pool());
            }
            layers.extend([Layer::Connect { units: 256 }, relu()]);
            (NetType::Cnn, layers)
        }
        "dnn" => (
            NetType::Dnn,
            vec![
                Layer::Connect { units: 512 },
                relu(),
                Layer::Connect { units: 256 },
                relu(),
            ],
        ),
        other => return Err(format!("unknown network {other}")),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let (h, w, c) = args.shape;
    let (net_type, middle_layers) = network(&args.network)?;
    let input = match net_type {
        NetType::Dnn => Shape::Vector(h * w * c),
        _ => Shape::Image { h, w, c },
    };
    let spec = NetworkSpec {
        config: NetworkConfig {
            iter: args.steps as u64,
            learning_rate: args.lr,
            ratio: 0.8,
            loss: Loss::CrossEntropy,
            optimizer: args.optimizer,
            net_type,
            batch_size: args.batch as u64,
            seed: 0,
            middle_layers,
            execution: Default::default(),
        },
        input,
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
    let batches: Vec<(&[f32], &[u32])> = (0..BATCHES)
        .map(|b| {
            let (s, e) = (b * args.batch, (b + 1) * args.batch);
            (&x[s * width..e * width], &y[s..e])
        })
        .collect();

    if args.profile {
        return print_profile(&spec, &batches, args.steps);
    }
    let engine: &dyn Engine = match args.engine.as_str() {
        "native" => &NativeEngine,
        "burn" => &BurnEngine,
        other => return Err(format!("unknown engine {other}").into()),
    };
    let mut session = engine.start(&spec, None)?;
    let mut step = |i: usize| {
        let (features, targets) = batches[i % BATCHES];
        session.train_step(features, targets)
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
        "engine={} network={} shape={h}x{w}x{c} batch={} steps={} seconds={seconds:.3} last_loss={loss:.4}",
        engine.name(),
        args.network,
        args.batch,
        args.steps
    );
    println!("images_per_second={:.1}", images / seconds);
    Ok(())
}

/// The share of each layer's forward and backward passes in the steps' time, as a
/// Markdown table.
fn print_profile(
    spec: &NetworkSpec,
    batches: &[(&[f32], &[u32])],
    steps: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    native::profile(spec, batches, WARMUP)?;
    let times = native::profile(spec, batches, steps)?;
    let total: f64 = times.iter().map(|t| (t.forward + t.backward).as_secs_f64()).sum();
    println!("| layer | forward | backward | share of a step |");
    println!("|---|---:|---:|---:|");
    for t in &times {
        let (f, b) = (t.forward.as_secs_f64(), t.backward.as_secs_f64());
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.1}% |",
            t.layer,
            f * 1e3 / steps as f64,
            b * 1e3 / steps as f64,
            100.0 * (f + b) / total
        );
    }
    println!("| total | | | {:.2} ms per step |", total * 1e3 / steps as f64);
    Ok(())
}
