//! Inference from saved weights, computed by burn.

use burn::tensor::Device;

use super::super::api::{EngineError, NetworkSpec, Predictor};
use super::super::batch::{self, EVAL_BATCH};
use super::super::plan::Plan;
use super::super::state::load_weights;
use super::super::weights::Weights;
use super::backend;
use super::session::logits;

pub(crate) struct BurnPredictor {
    plan: Plan,
    weights: Weights,
    device: Device,
}

impl BurnPredictor {
    pub(crate) fn new(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        let (plan, weights) = load_weights(spec, bytes)?;
        Ok(Self {
            plan,
            weights,
            device: backend::device(),
        })
    }
}

impl Predictor for BurnPredictor {
    fn probabilities(&self, features: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        batch::probabilities(&self.plan, features, EVAL_BATCH, |chunk, n| {
            logits(&self.plan, &self.weights, chunk, n, &self.device)
        })
    }
}
