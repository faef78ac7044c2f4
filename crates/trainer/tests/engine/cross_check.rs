//! The native engine computes what burn computes (burn's autodiff derives every
//! gradient from the forward pass): same losses step by step on every layer kind,
//! and a checkpoint of either engine continues on the other.

use codegen::{Activation, Layer, Loss, NetType, Optimizer, Padding, PoolKind, Shape};
use trainer::{BurnEngine, Engine, EngineError, NativeEngine, NetworkSpec};

use crate::common::{Lcg, config, conv, default_cnn, dnn, image, lenet5, small_cnn, spec, vgg_small};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Networks covering every layer kind, stride, padding, activation and pool.
fn networks() -> Vec<(&'static str, NetworkSpec)> {
    let cnn =
        |layers, input, optimizer, loss| spec(config(NetType::Cnn, layers, optimizer, loss, 0.01), input, 5);
    let strided = vec![
        Layer::Conv {
            filter: [3, 2, 4],
            stride: 2,
            padding: Padding::Valid,
            activation: Some(Activation::Sigmoid),
        },
        Layer::Pool {
            kind: PoolKind::Max,
            size: 3,
            stride: 1,
        },
        // An activation layer after a convolution without one (the engine folds it in).
        conv(1, 1, 3, Padding::Valid, None),
        Layer::Active {
            kind: Activation::Tanh,
        },
        Layer::Connect { units: 7 },
        Layer::Active {
            kind: Activation::Elu,
        },
        Layer::Norm,
        Layer::Dropout { rate: 0.25 },
    ];
    // Adaptive optimisers only where no bias feeds a batch norm: there the true
    // gradient is zero and they turn each engine's rounding noise into steps of lr,
    // which the running statistics then show in evaluation.
    vec![
        (
            "default",
            cnn(default_cnn(), image(9, 7, 1), Optimizer::Sgd, Loss::CrossEntropy),
        ),
        (
            "small",
            cnn(
                small_cnn(),
                image(8, 8, 2),
                Optimizer::RmsProp,
                Loss::MeanSquaredError,
            ),
        ),
        (
            "lenet5",
            cnn(lenet5(), image(28, 28, 1), Optimizer::Adam, Loss::CrossEntropy),
        ),
        (
            "vgg",
            cnn(
                vgg_small(),
                image(16, 16, 3),
                Optimizer::Momentum,
                Loss::CrossEntropy,
            ),
        ),
        (
            "strided",
            cnn(strided, image(13, 12, 2), Optimizer::Sgd, Loss::MeanSquaredError),
        ),
        (
            "dnn",
            spec(
                config(NetType::Dnn, dnn(), Optimizer::Momentum, Loss::CrossEntropy, 0.01),
                Shape::Vector(12),
                5,
            ),
        ),
    ]
}

fn data(s: &NetworkSpec, n: usize, seed: u64) -> (Vec<f32>, Vec<u32>) {
    let width = s.input.elements() as usize;
    let mut rng = Lcg::new(seed);
    let x = (0..n * width).map(|_| rng.next() * 2.0 - 1.0).collect();
    let y = (0..n).map(|i| (i % s.classes) as u32).collect();
    (x, y)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn native_losses_equal_burns_step_by_step() -> TestResult {
    for (name, s) in networks() {
        let (x, y) = data(&s, 12, 3);
        let mut native = NativeEngine.start(&s, None)?;
        let mut burn = BurnEngine.start(&s, None)?;
        assert_eq!(native.weights()?, burn.weights()?, "{name}: same initial weights");
        for step in 0..4 {
            let (a, b) = (native.train_step(&x, &y)?, burn.train_step(&x, &y)?);
            assert!(
                close(f64::from(a), f64::from(b)),
                "{name} step {step}: {a} vs {b}"
            );
        }
        let (ea, eb) = (native.evaluate(&x, &y)?, burn.evaluate(&x, &y)?);
        assert!(close(ea.loss, eb.loss), "{name}: eval {} vs {}", ea.loss, eb.loss);
        let pa = NativeEngine
            .predictor(&s, &native.weights()?)?
            .probabilities(&x)?;
        let pb = BurnEngine.predictor(&s, &native.weights()?)?.probabilities(&x)?;
        for (ra, rb) in pa.iter().zip(&pb) {
            for (a, b) in ra.iter().zip(rb) {
                assert!((a - b).abs() < 1e-5, "{name}: probabilities {ra:?} vs {rb:?}");
            }
        }
    }
    Ok(())
}

/// A run trained by one engine continues on the other: the bytes are shared.
#[test]
fn checkpoints_move_between_engines() -> TestResult {
    for (name, s) in networks() {
        let (x, y) = data(&s, 10, 4);
        let mut burn = BurnEngine.start(&s, None)?;
        for _ in 0..2 {
            burn.train_step(&x, &y)?;
        }
        let mut native = NativeEngine.resume(&s, &burn.checkpoint()?)?;
        assert_eq!(native.checkpoint()?, burn.checkpoint()?, "{name}");
        let (a, b) = (native.train_step(&x, &y)?, burn.train_step(&x, &y)?);
        assert!(close(f64::from(a), f64::from(b)), "{name}: {a} vs {b}");
        let back = BurnEngine.resume(&s, &native.checkpoint()?)?;
        assert_eq!(back.checkpoint()?, native.checkpoint()?, "{name}");
    }
    Ok(())
}

/// Batch norm on a single vector sample is refused by both, leaving the session as
/// it was (same dropout draws after the refusal).
#[test]
fn refusals_leave_both_engines_where_they_were() -> Result<(), EngineError> {
    let (_, s) = networks().pop().expect("the dnn");
    let (x, y) = data(&s, 8, 5);
    let mut native = NativeEngine.start(&s, None)?;
    let mut burn = BurnEngine.start(&s, None)?;
    for session in [&mut native, &mut burn] {
        assert!(matches!(
            session.train_step(&x[..12], &y[..1]),
            Err(EngineError::Shape(_))
        ));
    }
    let (a, b) = (native.train_step(&x, &y)?, burn.train_step(&x, &y)?);
    assert!(close(f64::from(a), f64::from(b)), "{a} vs {b}");
    assert_eq!(native.checkpoint()?.len(), burn.checkpoint()?.len());
    Ok(())
}
