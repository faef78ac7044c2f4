//! Batches as the engines take them: checks, and evaluation or prediction in
//! bounded chunks over any engine's eval-mode logits.

use super::api::{EngineError, Evaluation};
use super::loss::{argmax, sample_loss, softmax_row};
use super::plan::Plan;
use codegen::Loss;

/// Most samples per forward pass in evaluation and predictions, so memory stays
/// bounded whatever the data size.
pub(crate) const EVAL_BATCH: usize = 256;

/// Checks a batch against the network; returns the number of samples.
pub(crate) fn check_batch(plan: &Plan, features: &[f32], targets: &[u32]) -> Result<usize, EngineError> {
    let n = check_features(plan, features)?;
    if n != targets.len() {
        return Err(EngineError::Shape(format!(
            "{} targets for {n} samples",
            targets.len()
        )));
    }
    if let Some(&t) = targets.iter().find(|&&t| t as usize >= plan.classes) {
        return Err(EngineError::Shape(format!(
            "target class {t} out of range (the network has {} classes)",
            plan.classes
        )));
    }
    Ok(n)
}

/// Checks that `features` holds a whole, non-zero number of samples; returns it.
pub(crate) fn check_features(plan: &Plan, features: &[f32]) -> Result<usize, EngineError> {
    let width = plan.input.elements();
    if features.is_empty() || !features.len().is_multiple_of(width) {
        return Err(EngineError::Shape(format!(
            "{} feature values are not a whole, non-zero number of samples of {width}",
            features.len()
        )));
    }
    Ok(features.len() / width)
}

/// Accuracy, mean loss and predictions, from `logits(chunk, samples)` (row-major
/// `[samples, classes]`) called on chunks of at most `chunk_samples` samples.
pub(crate) fn evaluate(
    plan: &Plan,
    loss: Loss,
    (features, targets): (&[f32], &[u32]),
    chunk_samples: usize,
    mut logits: impl FnMut(&[f32], usize) -> Result<Vec<f32>, EngineError>,
) -> Result<Evaluation, EngineError> {
    let n = check_batch(plan, features, targets)?;
    let width = plan.input.elements();
    let mut predictions = Vec::with_capacity(n);
    let mut total_loss = 0.0;
    let mut correct = 0usize;
    let chunk_samples = chunk_samples.max(1);
    for (chunk, chunk_targets) in features
        .chunks(chunk_samples * width)
        .zip(targets.chunks(chunk_samples))
    {
        let logits = logits(chunk, chunk_targets.len())?;
        for (row, &target) in logits.chunks(plan.classes).zip(chunk_targets) {
            let predicted = argmax(row);
            correct += usize::from(predicted == target as usize);
            total_loss += sample_loss(loss, row, target as usize);
            predictions.push(predicted as u32);
        }
    }
    Ok(Evaluation {
        accuracy: correct as f64 / n as f64,
        loss: total_loss / n as f64,
        predictions,
    })
}

/// Softmax probabilities per sample, from `logits` as in [`evaluate`].
pub(crate) fn probabilities(
    plan: &Plan,
    features: &[f32],
    chunk_samples: usize,
    mut logits: impl FnMut(&[f32], usize) -> Result<Vec<f32>, EngineError>,
) -> Result<Vec<Vec<f32>>, EngineError> {
    let n = check_features(plan, features)?;
    let width = plan.input.elements();
    let mut out = Vec::with_capacity(n);
    for chunk in features.chunks(chunk_samples.max(1) * width) {
        let logits = logits(chunk, chunk.len() / width)?;
        for row in logits.chunks(plan.classes) {
            out.push(softmax_row(row).into_iter().map(|p| p as f32).collect());
        }
    }
    Ok(out)
}
