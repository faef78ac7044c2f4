//! What a training session is, whatever computes its steps: the network, its
//! weights, the optimiser and the dropout PRNG, with the checkpoint and weight
//! bytes every engine reads and writes alike (so a run moves between engines).

use codegen::{Loss, Optimizer as OptimizerKind};

use super::api::{EngineError, NetworkSpec};
use super::codec::{CHECKPOINT, Reader, WEIGHTS, Writer};
use super::optim::{Optimizer, slots_per_param};
use super::plan::Plan;
use super::rng::Rng;
use super::weights::Weights;

/// Mixed into the seed for the dropout stream, so it differs from the init stream.
const DROPOUT_STREAM: u64 = 0xD1B5_4A32_D192_ED03;

pub(crate) struct TrainState {
    pub plan: Plan,
    pub loss: Loss,
    pub weights: Weights,
    pub optimizer: Optimizer,
    /// Dropout masks; part of the checkpoint so a resumed run draws the same masks.
    pub rng: Rng,
}

impl TrainState {
    /// A fresh network from `config.seed`, or warm-started from weight bytes.
    pub(crate) fn start(spec: &NetworkSpec, warm: Option<&[u8]>) -> Result<Self, EngineError> {
        let plan = Plan::new(spec)?;
        let weights = match warm {
            Some(bytes) => read_weights(&plan, bytes)?,
            None => Weights::init(&plan, &mut Rng::new(spec.config.seed)),
        };
        let lens: Vec<usize> = plan.params.iter().map(|p| p.len).collect();
        let optimizer = Optimizer::new(spec.config.optimizer, spec.config.learning_rate, &lens);
        Ok(Self {
            loss: spec.config.loss,
            weights,
            optimizer,
            rng: Rng::new(spec.config.seed ^ DROPOUT_STREAM),
            plan,
        })
    }

    /// Exactly the state [`TrainState::checkpoint`] saved.
    pub(crate) fn resume(spec: &NetworkSpec, bytes: &[u8]) -> Result<Self, EngineError> {
        let plan = Plan::new(spec)?;
        let mut r = Reader::open(bytes, CHECKPOINT, plan.fingerprint())?;
        let weights = Weights::read(&plan, &mut r)?;
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
        })
    }

    pub(crate) fn checkpoint(&self) -> Vec<u8> {
        let mut w = Writer::new(CHECKPOINT, self.plan.fingerprint());
        self.weights.write(&mut w);
        w.u64(optimizer_code(self.optimizer.kind()));
        w.u64(self.optimizer.steps());
        for slot in self.optimizer.slots().iter().flatten() {
            w.f32s(slot);
        }
        w.u64(self.rng.state());
        w.finish()
    }

    pub(crate) fn weight_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(WEIGHTS, self.plan.fingerprint());
        self.weights.write(&mut w);
        w.finish()
    }
}

/// The network of `spec` and the weights in `bytes` (from [`TrainState::weight_bytes`]).
pub(crate) fn load_weights(spec: &NetworkSpec, bytes: &[u8]) -> Result<(Plan, Weights), EngineError> {
    let plan = Plan::new(spec)?;
    let weights = read_weights(&plan, bytes)?;
    Ok((plan, weights))
}

fn read_weights(plan: &Plan, bytes: &[u8]) -> Result<Weights, EngineError> {
    let mut r = Reader::open(bytes, WEIGHTS, plan.fingerprint())?;
    let weights = Weights::read(plan, &mut r)?;
    r.end()?;
    Ok(weights)
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
