//! Parameter counts equal codegen's PyTorch counts.

use codegen::{Loss, NetType, Optimizer, Padding, Shape};
use trainer::{Engine, EngineError, NativeEngine};

use crate::common::{config, default_cnn, dnn, image, lenet, spec};

fn count(
    net: NetType,
    layers: Vec<codegen::Layer>,
    input: Shape,
    classes: usize,
) -> Result<(u64, u64), EngineError> {
    let expected = codegen::summarize(net, input, classes as u64, &layers)
        .expect("valid network")
        .total_params;
    let s = spec(
        config(net, layers, Optimizer::Adam, Loss::CrossEntropy, 0.001),
        input,
        classes,
    );
    Ok((NativeEngine.start(&s, None)?.parameter_count(), expected))
}

#[test]
fn parameter_counts_match_pytorch() -> Result<(), EngineError> {
    let (got, want) = count(NetType::Cnn, default_cnn(), image(8, 8, 1), 10)?;
    assert_eq!(got, want);
    let (got, want) = count(NetType::Cnn, default_cnn(), image(28, 28, 1), 10)?;
    assert_eq!((got, want), (520_600, 520_600));
    let (got, want) = count(NetType::Cnn, lenet(Padding::Same), image(28, 28, 1), 10)?;
    assert_eq!((got, want), (61_706, 61_706));
    let (got, want) = count(NetType::Cnn, lenet(Padding::Valid), image(28, 28, 1), 10)?;
    assert_eq!(got, want);
    let (got, want) = count(NetType::Dnn, dnn(), Shape::Vector(64), 10)?;
    assert_eq!(got, want);
    let (got, want) = count(NetType::Logistic, vec![], Shape::Vector(4), 3)?;
    assert_eq!((got, want), (15, 15));
    Ok(())
}

#[test]
fn invalid_network_is_reported_with_codegens_message() {
    let s = spec(
        config(
            NetType::Cnn,
            default_cnn(),
            Optimizer::Sgd,
            Loss::CrossEntropy,
            0.1,
        ),
        Shape::Vector(64),
        10,
    );
    let message = codegen::summarize(NetType::Cnn, Shape::Vector(64), 10, &default_cnn())
        .expect_err("rejected")
        .to_string();
    match NativeEngine.start(&s, None) {
        Err(EngineError::InvalidNetwork(m)) => assert_eq!(m, message),
        other => panic!("expected InvalidNetwork, got {:?}", other.err()),
    }
    assert!(matches!(
        NativeEngine.predictor(&s, &[]),
        Err(EngineError::InvalidNetwork(_))
    ));
    // Valid for shape inference, but far too large to allocate.
    let huge = vec![
        codegen::Layer::Connect { units: 1 << 20 },
        codegen::Layer::Connect { units: 1 << 20 },
    ];
    let s = spec(
        config(NetType::Dnn, huge, Optimizer::Sgd, Loss::CrossEntropy, 0.1),
        Shape::Vector(4),
        2,
    );
    assert!(matches!(
        NativeEngine.start(&s, None),
        Err(EngineError::InvalidNetwork(_))
    ));
}

#[test]
fn every_layer_option_builds_and_trains() -> Result<(), EngineError> {
    use codegen::{Activation, Layer, PoolKind};
    let layers = vec![
        Layer::Conv {
            filter: [3, 2, 5],
            stride: 2,
            padding: Padding::Valid,
            activation: Some(Activation::Elu),
        },
        Layer::Conv {
            filter: [4, 4, 3],
            stride: 1,
            padding: Padding::Same,
            activation: Some(Activation::Sigmoid),
        },
        Layer::Pool {
            kind: PoolKind::Avg,
            size: 3,
            stride: 1,
        },
        Layer::Norm,
        Layer::Dropout { rate: 0.0 },
        Layer::Connect { units: 6 },
        Layer::Norm,
        Layer::Active {
            kind: Activation::LeakyRelu,
        },
    ];
    let input = image(11, 9, 2);
    let (got, want) = count(NetType::Cnn, layers.clone(), input, 3)?;
    assert_eq!(got, want);
    // Logistic regression on an image flattens it.
    let (got, want) = count(NetType::Logistic, vec![], image(28, 28, 1), 10)?;
    assert_eq!((got, want), (7850, 7850));
    let s = spec(
        config(
            NetType::Cnn,
            layers,
            Optimizer::Momentum,
            Loss::MeanSquaredError,
            0.1,
        ),
        input,
        3,
    );
    let mut session = NativeEngine.start(&s, None)?;
    let x: Vec<f32> = (0..4 * 11 * 9 * 2).map(|i| (i % 7) as f32 / 7.0).collect();
    for _ in 0..3 {
        assert!(session.train_step(&x, &[0, 1, 2, 1])?.is_finite());
    }
    let e = session.evaluate(&x, &[0, 1, 2, 1])?;
    assert!(e.loss.is_finite() && (0.0..=1.0).contains(&e.accuracy));
    Ok(())
}
