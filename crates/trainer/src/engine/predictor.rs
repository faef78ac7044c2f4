//! Inference from saved weights.

use burn::tensor::Device;

use super::api::{EngineError, NetworkSpec, Predictor};
use super::backend;
use super::codec::{Reader, WEIGHTS};
use super::loss::softmax_row;
use super::plan::Plan;
use super::session::{EVAL_BATCH, check_features, logits};
use super::weights::Weights;

pub(crate) struct BurnPredictor {
    plan: Plan,
    weights: Weights,
    device: Device,
}

impl BurnPredictor {
    pub(crate) fn new(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        let plan = Plan::new(spec)?;
        let device = backend::device();
        let mut r = Reader::open(bytes, WEIGHTS, plan.fingerprint())?;
        let weights = Weights::read(&plan, &mut r, &device)?;
        r.end()?;
        Ok(Self {
            plan,
            weights,
            device,
        })
    }
}

impl Predictor for BurnPredictor {
    fn probabilities(&self, features: &[f32]) -> Result<Vec<Vec<f32>>, EngineError> {
        let n = check_features(&self.plan, features)?;
        let width = self.plan.input.elements();
        let mut out = Vec::with_capacity(n);
        for chunk in features.chunks(EVAL_BATCH * width) {
            let logits = logits(
                &self.plan,
                &self.weights,
                chunk,
                chunk.len() / width,
                &self.device,
            )?;
            for row in logits.chunks(self.plan.classes) {
                out.push(softmax_row(row).into_iter().map(|p| p as f32).collect());
            }
        }
        Ok(out)
    }
}
