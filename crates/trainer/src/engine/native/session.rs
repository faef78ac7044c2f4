//! A training session and a predictor on the native kernels, and a profile of
//! where a session's steps spend their time.

use std::time::{Duration, Instant};

use super::super::api::{EngineError, Evaluation, NetworkSpec, Predictor, Session};
use super::super::batch::{self, check_batch};
use super::super::loss::batch_loss_and_grad;
use super::super::plan::Plan;
use super::super::state::{TrainState, load_weights};
use super::super::weights::Weights;
use super::net::{Network, Tape};

pub(crate) struct NativeSession {
    state: TrainState,
    network: Network,
    tape: Tape,
    /// The logits' gradient, reused between steps.
    dlogits: Vec<f32>,
    /// Time in the loss and the optimiser update, when profiling.
    update_time: Option<Duration>,
}

impl NativeSession {
    pub(crate) fn new(state: TrainState) -> Self {
        Self {
            network: Network::new(&state.plan),
            state,
            tape: Tape::default(),
            dlogits: Vec::new(),
            update_time: None,
        }
    }
}

/// Where a training step's time goes: one layer's forward and backward passes
/// (summed over the steps profiled), or the loss and optimiser update.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerTime {
    /// What the layer is, e.g. `conv 3x3 3->32 on 32x32`.
    pub layer: String,
    /// Time in the forward pass.
    pub forward: Duration,
    /// Time in the backward pass (for the last entry, the whole update).
    pub backward: Duration,
}

/// Trains `steps` steps of `spec` from its seed on `batches` (cycled) and returns
/// the time per layer, then a last entry for the loss and the optimiser update.
pub fn profile(
    spec: &NetworkSpec,
    batches: &[(&[f32], &[u32])],
    steps: usize,
) -> Result<Vec<LayerTime>, EngineError> {
    let mut session = NativeSession::new(TrainState::start(spec, None)?);
    session.tape.timing = Some(Vec::new());
    session.update_time = Some(Duration::ZERO);
    for (features, targets) in batches.iter().cycle().take(steps) {
        session.train_step(features, targets)?;
    }
    let timing = session.tape.timing.unwrap_or_default();
    let mut out: Vec<LayerTime> = session
        .network
        .describe()
        .into_iter()
        .zip(timing)
        .map(|(layer, [forward, backward])| LayerTime {
            layer,
            forward,
            backward,
        })
        .collect();
    out.push(LayerTime {
        layer: "loss and optimiser update".to_owned(),
        forward: Duration::ZERO,
        backward: session.update_time.unwrap_or_default(),
    });
    Ok(out)
}

impl Session for NativeSession {
    fn train_step(&mut self, features: &[f32], targets: &[u32]) -> Result<f32, EngineError> {
        let state = &mut self.state;
        let n = check_batch(&state.plan, features, targets)?;
        // Nothing below can fail, so a refused batch leaves the session unchanged.
        self.network.check_train_batch(n)?;
        let logits = self
            .network
            .forward_train(&state.weights, features, n, &mut state.rng, &mut self.tape);
        let start = self.update_time.is_some().then(Instant::now);
        self.dlogits.resize(logits.len(), 0.0);
        let loss = batch_loss_and_grad(state.loss, logits, targets, state.plan.classes, &mut self.dlogits);
        let loss_time = start.map(|s| s.elapsed());
        self.network
            .backward(&state.weights, features, &self.dlogits, &mut self.tape);
        let start = self.update_time.is_some().then(Instant::now);
        self.network
            .update_running_stats(&mut state.weights, n, &self.tape);
        state
            .optimizer
            .step(&mut state.weights.params, &self.tape.param_grads);
        if let (Some(total), Some(loss_time), Some(start)) = (self.update_time.as_mut(), loss_time, start) {
            *total += loss_time + start.elapsed();
        }
        Ok(loss)
    }

    fn evaluate(&mut self, features: &[f32], targets: &[u32]) -> Result<Evaluation, EngineError> {
        let (plan, weights, network) = (&self.state.plan, &self.state.weights, &self.network);
        batch::evaluate(
            plan,
            self.state.loss,
            (features, targets),
            network.eval_chunk(),
            |chunk, n| Ok(network.logits(weights, chunk, n)),
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

pub(crate) struct NativePredictor {
    plan: Plan,
    network: Network,
    weights: Weights,
}

impl NativePredictor {
    pub(crate) fn new(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        let (plan, weights) = load_weights(spec, bytes)?;
        Ok(Self {
            network: Network::new(&plan),
            plan,
            weights,
        })
    }
}

impl Predictor for NativePredictor {
    fn probabilities(&self, features: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        batch::probabilities(&self.plan, features, self.network.eval_chunk(), |chunk, n| {
            Ok(self.network.logits(&self.weights, chunk, n))
        })
    }
}
