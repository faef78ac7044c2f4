//! Same spec and batches give the same run; a checkpoint continues it exactly.

use codegen::{Loss, NetType, Optimizer};
use trainer::{Engine, EngineError, NativeEngine, Session};

use crate::common::{batch, config, image, quadrant_images, small_cnn, spec};

const WIDTH: usize = 64;

fn cnn_spec(optimizer: Optimizer) -> trainer::NetworkSpec {
    spec(
        config(NetType::Cnn, small_cnn(), optimizer, Loss::CrossEntropy, 0.01),
        image(8, 8, 1),
        4,
    )
}

fn run(
    session: &mut dyn Session,
    x: &[f32],
    y: &[u32],
    steps: std::ops::Range<usize>,
) -> Result<Vec<f32>, EngineError> {
    steps
        .map(|i| {
            let (bx, by) = batch(x, y, WIDTH, 16, i);
            session.train_step(bx, by)
        })
        .collect()
}

#[test]
fn same_spec_same_batches_same_run() -> Result<(), EngineError> {
    let (x, y) = quadrant_images(128, 8, 8, 11);
    let s = cnn_spec(Optimizer::Adam);
    let mut a = NativeEngine.start(&s, None)?;
    let mut b = NativeEngine.start(&s, None)?;
    assert_eq!(a.evaluate(&x, &y)?, b.evaluate(&x, &y)?);
    let la = run(a.as_mut(), &x, &y, 0..12)?;
    let lb = run(b.as_mut(), &x, &y, 0..12)?;
    assert_eq!(la, lb);
    assert_eq!(a.evaluate(&x, &y)?, b.evaluate(&x, &y)?);
    assert_eq!(a.weights()?, b.weights()?);
    // Another seed is another run.
    let mut other = s.clone();
    other.config.seed += 1;
    let mut c = NativeEngine.start(&other, None)?;
    assert_ne!(run(c.as_mut(), &x, &y, 0..12)?, la);
    Ok(())
}

#[test]
fn resumed_session_continues_exactly() -> Result<(), EngineError> {
    let (x, y) = quadrant_images(128, 8, 8, 12);
    for optimizer in [
        Optimizer::Momentum,
        Optimizer::Adam,
        Optimizer::RmsProp,
        Optimizer::Adagrad,
    ] {
        let s = cnn_spec(optimizer);
        let mut original = NativeEngine.start(&s, None)?;
        run(original.as_mut(), &x, &y, 0..5)?;
        let checkpoint = original.checkpoint()?;
        let expected = run(original.as_mut(), &x, &y, 5..12)?;
        let mut resumed = NativeEngine.resume(&s, &checkpoint)?;
        assert_eq!(run(resumed.as_mut(), &x, &y, 5..12)?, expected, "{optimizer:?}");
        assert_eq!(resumed.evaluate(&x, &y)?, original.evaluate(&x, &y)?);
        assert_eq!(resumed.checkpoint()?, original.checkpoint()?);
    }
    Ok(())
}

#[test]
fn warm_start_evaluates_like_the_source() -> Result<(), EngineError> {
    let (x, y) = quadrant_images(96, 8, 8, 13);
    let s = cnn_spec(Optimizer::Sgd);
    let mut original = NativeEngine.start(&s, None)?;
    run(original.as_mut(), &x, &y, 0..6)?;
    let weights = original.weights()?;
    let mut warm = NativeEngine.start(&s, Some(&weights))?;
    assert_eq!(warm.evaluate(&x, &y)?, original.evaluate(&x, &y)?);
    assert_eq!(warm.weights()?, weights);
    // The dropout rate is a training setting: the weights fit another rate.
    let mut other = s.clone();
    other.config.middle_layers[4] = codegen::Layer::Dropout { rate: 0.6 };
    NativeEngine.start(&other, Some(&weights))?;
    // Training goes on from there (fresh optimiser state).
    let l = run(warm.as_mut(), &x, &y, 0..1)?;
    assert!(l[0].is_finite());
    Ok(())
}

#[test]
fn predictor_agrees_with_evaluate() -> Result<(), EngineError> {
    let (x, y) = quadrant_images(300, 8, 8, 14);
    let s = cnn_spec(Optimizer::Adam);
    let mut session = NativeEngine.start(&s, None)?;
    run(session.as_mut(), &x, &y, 0..8)?;
    let evaluation = session.evaluate(&x, &y)?;
    let predictor = NativeEngine.predictor(&s, &session.weights()?)?;
    let probabilities = predictor.probabilities(&x)?;
    assert_eq!(probabilities.len(), y.len());
    for (p, &predicted) in probabilities.iter().zip(&evaluation.predictions) {
        assert_eq!(p.len(), 4);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        let best = (0..4).fold(0, |b, k| if p[k] > p[b] { k } else { b });
        assert_eq!(best as u32, predicted);
    }
    Ok(())
}
