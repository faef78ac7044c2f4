//! A training session on the burn backend.

use burn::tensor::{Device, Tensor};
use codegen::{Loss, Optimizer as OptimizerKind};

use super::api::{EngineError, Evaluation, NetworkSpec, Session};
use super::backend;
use super::codec::{CHECKPOINT, Reader, WEIGHTS, Writer};
use super::loss::{argmax, batch_loss, sample_loss};
use super::network::{Mode, forward};
use super::optim::{Optimizer, slots_per_param};
use super::plan::Plan;
use super::rng::Rng;
use super::weights::{Weights, host};

/// Samples per forward pass in [`Session::evaluate`] and predictions, so memory
/// stays bounded whatever the data size.
pub(crate) const EVAL_BATCH: usize = 256;

/// Mixed into the seed for the dropout stream, so it differs from the init stream.
const DROPOUT_STREAM: u64 = 0xD1B5_4A32_D192_ED03;

pub(crate) struct BurnSession {
    plan: Plan,
    loss: Loss,
    weights: Weights,
    optimizer: Optimizer,
    /// Dropout masks; part of the checkpoint so a resumed run draws the same masks.
    rng: Rng,
    device: Device,
    train_device: Device,
}

impl BurnSession {
    pub(crate) fn start(spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Self, EngineError> {
        let plan = Plan::new(spec)?;
        let device = backend::device();
        let weights = match warm {
            Some(bytes) => {
                let mut r = Reader::open(bytes, WEIGHTS, plan.fingerprint())?;
                let w = Weights::read(&plan, &mut r, &device)?;
                r.end()?;
                w
            }
            None => Weights::init(&plan, &mut Rng::new(spec.config.seed), &device),
        };
        let lens: Vec<usize> = plan.params.iter().map(|p| p.len).collect();
        let optimizer = Optimizer::new(spec.config.optimizer, spec.config.learning_rate, &lens);
        Ok(Self {
            loss: spec.config.loss,
            weights,
            optimizer,
            rng: Rng::new(spec.config.seed ^ DROPOUT_STREAM),
            plan,
            device,
            train_device: backend::train_device(),
        })
    }

    pub(crate) fn resume(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        let plan = Plan::new(spec)?;
        let device = backend::device();
        let mut r = Reader::open(bytes, CHECKPOINT, plan.fingerprint())?;
        let weights = Weights::read(&plan, &mut r, &device)?;
        let kind = spec.config.optimizer;
        if r.u64()? != optimizer_code(kind) {
            return Err(EngineError::Checkpoint(format!(
                "checkpoint: saved with another optimiser than {kind:?}"
            )));
        }
        let steps = r.u64()?;
        let slots = plan
            .params
            .iter()
            .map(|p| (0..slots_per_param(kind)).map(|_| r.f32s(p.len)).collect())
            .collect::<Result<_, EngineError>>()?;
        let rng = Rng::from_state(r.u64()?);
        r.end()?;
        let optimizer = Optimizer::restore(kind, spec.config.learning_rate, steps, slots);
        Ok(Self {
            loss: spec.config.loss,
            weights,
            optimizer,
            rng,
            plan,
            device,
            train_device: backend::train_device(),
        })
    }

    fn try_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError> {
        let n = check_batch(&self.plan, features, targets)?;
        // Fresh leaves on the autodiff device each step; the stored tensors stay plain.
        let leaves: Vec<Tensor<1>> = self
            .weights
            .params
            .iter()
            .map(|p| p.clone().autodiff().require_grad())
            .collect();
        let mode = Mode::Train {
            stats: &mut self.weights.stats,
            rng: &mut self.rng,
        };
        let logits = forward(&self.plan, &leaves, features, n, &self.train_device, mode)?;
        let loss = batch_loss(self.loss, logits, targets);
        let mut grads = loss.backward();
        let grads = leaves
            .iter()
            .map(|leaf| {
                leaf.grad_remove(&mut grads)
                    .ok_or_else(|| EngineError::Backend("a parameter got no gradient".to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Drop the graph's references so the optimiser can update buffers in place.
        drop(leaves);
        let value = host(&loss.inner())?;
        self.optimizer
            .step(&mut self.weights.params, grads, &self.device)?;
        value
            .first()
            .copied()
            .ok_or_else(|| EngineError::Backend("empty loss".to_owned()))
    }
}

impl Session for BurnSession {
    fn train_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError> {
        // Tensors are shared handles, so this snapshot is cheap; it keeps a failed step
        // (e.g. batch norm on a batch of 1) from leaving half-updated statistics.
        let (stats, rng) = (self.weights.stats.clone(), self.rng);
        let result = self.try_step(features, targets);
        if result.is_err() {
            self.weights.stats = stats;
            self.rng = rng;
        }
        result
    }

    fn evaluate(&mut self, features: &[f32], targets: &[u32]) -> Result<Evaluation, EngineError> {
        let n = check_batch(&self.plan, features, targets)?;
        let width = self.plan.input.elements();
        let mut predictions = Vec::with_capacity(n);
        let mut total_loss = 0.0;
        let mut correct = 0usize;
        for (chunk, chunk_targets) in features
            .chunks(EVAL_BATCH * width)
            .zip(targets.chunks(EVAL_BATCH))
        {
            let logits = logits(
                &self.plan,
                &self.weights,
                chunk,
                chunk_targets.len(),
                &self.device,
            )?;
            for (row, &target) in logits.chunks(self.plan.classes).zip(chunk_targets) {
                let predicted = argmax(row);
                correct += usize::from(predicted == target as usize);
                total_loss += sample_loss(self.loss, row, target as usize);
                predictions.push(predicted as u32);
            }
        }
        Ok(Evaluation {
            accuracy: correct as f64 / n as f64,
            loss: total_loss / n as f64,
            predictions,
        })
    }

    fn checkpoint(&self) -> Result<Vec<u8>, EngineError> {
        let mut w = Writer::new(CHECKPOINT, self.plan.fingerprint());
        self.weights.write(&mut w)?;
        w.u64(optimizer_code(self.optimizer.kind()));
        w.u64(self.optimizer.steps());
        for slot in self.optimizer.slots().iter().flatten() {
            w.f32s(slot);
        }
        w.u64(self.rng.state());
        Ok(w.finish())
    }

    fn weights(&self) -> Result<Vec<u8>, EngineError> {
        let mut w = Writer::new(WEIGHTS, self.plan.fingerprint());
        self.weights.write(&mut w)?;
        Ok(w.finish())
    }

    fn parameter_count(&self) -> u64 {
        self.plan.parameter_count()
    }
}

/// Eval-mode logits of `n` samples, read back to the host (row-major `[n, classes]`).
pub(crate) fn logits(
    plan: &Plan,
    weights: &Weights,
    features: &[f32],
    n: usize,
    device: &Device,
) -> Result<Vec<f32>, EngineError> {
    let mode = Mode::Eval {
        stats: &weights.stats,
    };
    host(&forward(plan, &weights.params, features, n, device, mode)?)
}

/// Checks a batch against the network; returns the number of samples.
fn check_batch(plan: &Plan, features: &[f32], targets: &[u32]) -> Result<usize, EngineError> {
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

/// Stable codes for checkpoints.
fn optimizer_code(kind: OptimizerKind) -> u64 {
    match kind {
        OptimizerKind::Sgd => 1,
        OptimizerKind::Momentum => 2,
        OptimizerKind::Adam => 3,
        OptimizerKind::RmsProp => 4,
        OptimizerKind::Adagrad => 5,
    }
}
