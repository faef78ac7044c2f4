//! Every optimiser and both losses learn a separable problem.

use codegen::{Layer, Loss, NetType, Optimizer, Shape};
use trainer::{Engine, EngineError, NativeEngine};

use crate::common::{batch, clusters, config, default_cnn, image, quadrant_images, relu, spec};

/// A learning rate per optimiser that suits a small problem (MSE's gradients are
/// smaller, so plain SGD gets a larger one).
fn lr(optimizer: Optimizer, loss: Loss) -> f64 {
    match (optimizer, loss) {
        (Optimizer::Sgd, Loss::CrossEntropy) => 0.2,
        (Optimizer::Sgd, Loss::MeanSquaredError) => 1.0,
        (Optimizer::Momentum, _) => 0.05,
        (Optimizer::Adam, _) => 0.02,
        (Optimizer::RmsProp, _) => 0.01,
        (Optimizer::Adagrad, _) => 0.2,
    }
}

#[test]
fn every_optimiser_and_loss_learns_clusters() -> Result<(), EngineError> {
    let (features, classes) = (6, 3);
    let (x, y) = clusters(384, features, classes, 1);
    let (tx, ty) = clusters(192, features, classes, 2);
    let layers = vec![Layer::Connect { units: 16 }, Layer::Norm, relu()];
    for optimizer in [
        Optimizer::Sgd,
        Optimizer::Momentum,
        Optimizer::Adam,
        Optimizer::RmsProp,
        Optimizer::Adagrad,
    ] {
        for loss in [Loss::CrossEntropy, Loss::MeanSquaredError] {
            let s = spec(
                config(NetType::Dnn, layers.clone(), optimizer, loss, lr(optimizer, loss)),
                Shape::Vector(features as u64),
                classes,
            );
            let mut session = NativeEngine.start(&s, None)?;
            let before = session.evaluate(&tx, &ty)?;
            for i in 0..120 {
                let (bx, by) = batch(&x, &y, features, 32, i);
                let l = session.train_step(bx, by)?;
                assert!(l.is_finite(), "{optimizer:?}/{loss:?}: loss {l}");
            }
            let after = session.evaluate(&tx, &ty)?;
            assert!(
                after.accuracy >= 0.95,
                "{optimizer:?}/{loss:?}: accuracy {}",
                after.accuracy
            );
            assert!(
                after.loss < before.loss,
                "{optimizer:?}/{loss:?}: {before:?} -> {after:?}"
            );
            assert_eq!(after.predictions.len(), ty.len());
        }
    }
    Ok(())
}

#[test]
fn logistic_learns_clusters() -> Result<(), EngineError> {
    let (x, y) = clusters(300, 4, 3, 3);
    let s = spec(
        config(NetType::Logistic, vec![], Optimizer::Sgd, Loss::CrossEntropy, 0.5),
        Shape::Vector(4),
        3,
    );
    let mut session = NativeEngine.start(&s, None)?;
    for i in 0..100 {
        let (bx, by) = batch(&x, &y, 4, 30, i);
        session.train_step(bx, by)?;
    }
    assert!(session.evaluate(&x, &y)?.accuracy >= 0.95);
    Ok(())
}

#[test]
fn default_cnn_learns_quadrants() -> Result<(), EngineError> {
    let (x, y) = quadrant_images(256, 8, 8, 4);
    let s = spec(
        config(
            NetType::Cnn,
            default_cnn(),
            Optimizer::Adam,
            Loss::CrossEntropy,
            0.001,
        ),
        image(8, 8, 1),
        4,
    );
    let mut session = NativeEngine.start(&s, None)?;
    for i in 0..40 {
        let (bx, by) = batch(&x, &y, 64, 32, i);
        session.train_step(bx, by)?;
    }
    let e = session.evaluate(&x, &y)?;
    assert!(e.accuracy >= 0.95, "accuracy {}", e.accuracy);
    Ok(())
}

#[test]
fn bad_batches_are_errors_and_leave_the_session_usable() -> Result<(), EngineError> {
    let (x, y) = clusters(64, 4, 2, 5);
    let layers = vec![Layer::Norm, Layer::Connect { units: 8 }];
    let s = spec(
        config(NetType::Dnn, layers, Optimizer::Sgd, Loss::CrossEntropy, 0.1),
        Shape::Vector(4),
        2,
    );
    let mut session = NativeEngine.start(&s, None)?;
    let before = session.evaluate(&x, &y)?;
    assert!(matches!(
        session.train_step(&x[..5], &y[..1]),
        Err(EngineError::Shape(_))
    ));
    assert!(matches!(
        session.train_step(&x[..8], &[0, 2]),
        Err(EngineError::Shape(_))
    ));
    assert!(matches!(session.train_step(&[], &[]), Err(EngineError::Shape(_))));
    assert!(matches!(
        session.evaluate(&x[..8], &[0]),
        Err(EngineError::Shape(_))
    ));
    // Batch norm on one vector sample has no variance to use (PyTorch refuses too).
    assert!(matches!(
        session.train_step(&x[..4], &y[..1]),
        Err(EngineError::Shape(_))
    ));
    assert_eq!(session.evaluate(&x, &y)?, before);
    session.train_step(&x[..32], &y[..8])?;
    Ok(())
}
