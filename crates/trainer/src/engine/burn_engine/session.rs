//! A training session computed by burn (autodiff on the flex CPU backend).

use burn::tensor::{Device, Tensor};

use super::super::api::{EngineError, Evaluation, NetworkSpec, Session};
use super::super::batch::{self, EVAL_BATCH, check_batch};
use super::super::plan::Plan;
use super::super::state::TrainState;
use super::super::weights::Weights;
use super::backend;
use super::loss::batch_loss;
use super::network::{Mode, RunningStats, forward};

pub(crate) struct BurnSession {
    state: TrainState,
    device: Device,
    train_device: Device,
}

impl BurnSession {
    pub(crate) fn start(spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Self, EngineError> {
        Ok(Self::new(TrainState::start(spec, warm)?))
    }

    pub(crate) fn resume(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        Ok(Self::new(TrainState::resume(spec, bytes)?))
    }

    fn new(state: TrainState) -> Self {
        Self {
            state,
            device: backend::device(),
            train_device: backend::train_device(),
        }
    }

    fn try_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError> {
        let state = &mut self.state;
        let n = check_batch(&state.plan, features, targets)?;
        // Fresh leaves on the autodiff device each step; the stored values stay on the host.
        let leaves: Vec<Tensor<1>> = state
            .weights
            .params
            .iter()
            .map(|p| vector(p, &self.device).autodiff().require_grad())
            .collect();
        let mut stats = running_stats(&state.weights, &self.device);
        let mode = Mode::Train {
            stats: &mut stats,
            rng: &mut state.rng,
        };
        let logits = forward(&state.plan, &leaves, features, n, &self.train_device, mode)?;
        let loss = batch_loss(state.loss, logits, targets);
        let mut grads = loss.backward();
        let grads = leaves
            .iter()
            .map(|leaf| {
                leaf.grad_remove(&mut grads)
                    .ok_or_else(|| EngineError::Backend("a parameter got no gradient".to_owned()))
                    .and_then(|g| host(&g))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let value = host(&loss.inner())?
            .first()
            .copied()
            .ok_or_else(|| EngineError::Backend("empty loss".to_owned()))?;
        // Read everything before changing anything, so a failure leaves the state as it was.
        let stats = stats
            .iter()
            .map(|s| {
                Ok(super::super::weights::RunningStats {
                    mean: host(&s.mean)?,
                    var: host(&s.var)?,
                })
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        state.weights.stats = stats;
        state.optimizer.step(&mut state.weights.params, &grads);
        Ok(value)
    }
}

impl Session for BurnSession {
    fn train_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError> {
        // Dropout draws before a failure (e.g. batch norm on a batch of 1) are undone.
        let rng = self.state.rng;
        let result = self.try_step(features, targets);
        if result.is_err() {
            self.state.rng = rng;
        }
        result
    }

    fn evaluate(&mut self, features: &[f32], targets: &[u32]) -> Result<Evaluation, EngineError> {
        let (plan, weights) = (&self.state.plan, &self.state.weights);
        batch::evaluate(
            plan,
            self.state.loss,
            (features, targets),
            EVAL_BATCH,
            |chunk, n| logits(plan, weights, chunk, n, &self.device),
        )
    }

    fn checkpoint(&self) -> Result<Vec<u8>, EngineError> {
        Ok(self.state.checkpoint())
    }

    fn weights(&self) -> Result<Vec<u8>, EngineError> {
        Ok(self.state.weight_bytes())
    }

    fn parameter_count(&self) -> u64 {
        self.state.plan.parameter_count()
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
    let params: Vec<Tensor<1>> = weights.params.iter().map(|p| vector(p, device)).collect();
    let stats = running_stats(weights, device);
    let mode = Mode::Eval { stats: &stats };
    host(&forward(plan, &params, features, n, device, mode)?)
}

fn running_stats(weights: &Weights, device: &Device) -> Vec<RunningStats> {
    weights
        .stats
        .iter()
        .map(|s| RunningStats {
            mean: vector(&s.mean, device),
            var: vector(&s.var, device),
        })
        .collect()
}

pub(crate) fn vector(values: &[f32], device: &Device) -> Tensor<1> {
    Tensor::from_data(
        burn::tensor::TensorData::new(values.to_vec(), [values.len()]),
        device,
    )
}

/// A tensor's values on the host.
pub(crate) fn host<const D: usize>(t: &Tensor<D>) -> Result<Vec<f32>, EngineError> {
    t.try_to_vec_as::<f32>()
        .map_err(|e| EngineError::Backend(format!("{e:?}")))
}
