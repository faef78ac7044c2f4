//! Bad bytes are errors, never panics.

use codegen::{Layer, Loss, NetType, Optimizer, Shape};
use trainer::{Engine, EngineError, NativeEngine};

use crate::common::{Lcg, clusters, config, dnn, spec};

fn dnn_spec(optimizer: Optimizer) -> trainer::NetworkSpec {
    spec(
        config(NetType::Dnn, dnn(), optimizer, Loss::CrossEntropy, 0.01),
        Shape::Vector(8),
        3,
    )
}

fn is_checkpoint_error<T>(r: Result<T, EngineError>) -> bool {
    matches!(r, Err(EngineError::Checkpoint(_)))
}

#[test]
fn garbage_is_refused() -> Result<(), EngineError> {
    let s = dnn_spec(Optimizer::Adam);
    let mut session = NativeEngine.start(&s, None)?;
    let (x, y) = clusters(32, 8, 3, 9);
    session.train_step(&x, &y)?;
    let checkpoint = session.checkpoint()?;
    let weights = session.weights()?;

    let mut rng = Lcg::new(99);
    for len in [0, 1, 7, 8, 12, 20, 100, checkpoint.len()] {
        let noise: Vec<u8> = (0..len).map(|_| (rng.next() * 256.0) as u8).collect();
        assert!(
            is_checkpoint_error(NativeEngine.resume(&s, &noise)),
            "{len} bytes"
        );
        assert!(
            is_checkpoint_error(NativeEngine.predictor(&s, &noise)),
            "{len} bytes"
        );
        assert!(
            is_checkpoint_error(NativeEngine.start(&s, Some(&noise))),
            "{len} bytes"
        );
    }
    assert!(is_checkpoint_error(NativeEngine.resume(&s, b"garbage")));
    // Truncated, damaged, or the wrong kind of bytes.
    assert!(is_checkpoint_error(
        NativeEngine.resume(&s, &checkpoint[..checkpoint.len() / 2])
    ));
    let mut damaged = checkpoint.clone();
    damaged[40] ^= 0x10;
    assert!(is_checkpoint_error(NativeEngine.resume(&s, &damaged)));
    assert!(is_checkpoint_error(NativeEngine.resume(&s, &weights)));
    assert!(is_checkpoint_error(NativeEngine.predictor(&s, &checkpoint)));
    // Another optimiser, or another network.
    assert!(is_checkpoint_error(
        NativeEngine.resume(&dnn_spec(Optimizer::Sgd), &checkpoint)
    ));
    let mut other = dnn_spec(Optimizer::Adam);
    other.config.middle_layers.push(Layer::Connect { units: 4 });
    assert!(is_checkpoint_error(NativeEngine.resume(&other, &checkpoint)));
    assert!(is_checkpoint_error(NativeEngine.predictor(&other, &weights)));
    // The genuine bytes still work.
    NativeEngine.resume(&s, &checkpoint)?;
    NativeEngine.predictor(&s, &weights)?;
    Ok(())
}

/// The weight body another engine sends (the weights without their header and
/// checksum) becomes the same weights; any other body is refused.
#[test]
fn a_weight_body_from_another_engine_becomes_these_weights() -> Result<(), EngineError> {
    let s = dnn_spec(Optimizer::Adam);
    let mut session = NativeEngine.start(&s, None)?;
    let (x, y) = clusters(32, 8, 3, 9);
    session.train_step(&x, &y)?;
    let weights = session.weights()?;
    // Magic (4 bytes) and architecture (8) before the body, the checksum (8) after.
    let body = &weights[12..weights.len() - 8];
    assert_eq!(trainer::weights_from_body(&s, body)?, weights);
    assert!(
        NativeEngine
            .predictor(&s, &trainer::weights_from_body(&s, body)?)
            .is_ok()
    );
    assert!(is_checkpoint_error(trainer::weights_from_body(
        &s,
        &body[..body.len() - 4]
    )));
    assert!(is_checkpoint_error(trainer::weights_from_body(
        &s,
        &[body, &[0u8; 4]].concat()
    )));
    let mut other = dnn_spec(Optimizer::Adam);
    other.config.middle_layers.push(Layer::Connect { units: 4 });
    assert!(is_checkpoint_error(trainer::weights_from_body(&other, body)));
    Ok(())
}
