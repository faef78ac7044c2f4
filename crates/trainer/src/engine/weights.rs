//! The network's state: parameters and batch-norm running statistics, their
//! seeded initialisation, and their encoding (shared by weights and checkpoints).
//! Plain host vectors, so every engine keeps and encodes them the same way.

use super::api::EngineError;
use super::codec::{Reader, Writer};
use super::plan::{ParamRole, Plan};
use super::rng::Rng;

/// Running mean and variance of one batch-norm layer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunningStats {
    pub mean: Vec<f32>,
    pub var: Vec<f32>,
}

/// Parameters (flat, in layer order) and running statistics.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Weights {
    pub params: Vec<Vec<f32>>,
    pub stats: Vec<RunningStats>,
}

impl Weights {
    /// PyTorch's initialisation, drawn from `rng` in parameter order: conv and linear
    /// weights and biases uniform in ±1/sqrt(fan_in), batch norm gamma 1 and beta 0,
    /// running mean 0 and variance 1.
    pub(crate) fn init(plan: &Plan, rng: &mut Rng) -> Self {
        let params = plan
            .params
            .iter()
            .map(|spec| match spec.role {
                ParamRole::Weight { fan_in } | ParamRole::Bias { fan_in } => {
                    let bound = 1.0 / (fan_in as f32).sqrt();
                    (0..spec.len)
                        .map(|_| (2.0 * rng.next_f32() - 1.0) * bound)
                        .collect()
                }
                ParamRole::Gamma => vec![1.0; spec.len],
                ParamRole::Beta => vec![0.0; spec.len],
            })
            .collect();
        let stats = plan
            .stats
            .iter()
            .map(|&len| RunningStats {
                mean: vec![0.0; len],
                var: vec![1.0; len],
            })
            .collect();
        Self { params, stats }
    }

    /// Appends every parameter, then every running mean and variance.
    pub(crate) fn write(&self, w: &mut Writer) {
        for p in &self.params {
            w.f32s(p);
        }
        for s in &self.stats {
            w.f32s(&s.mean);
            w.f32s(&s.var);
        }
    }

    /// Reads what [`Weights::write`] wrote, checking every length against `plan`.
    pub(crate) fn read(plan: &Plan, r: &mut Reader<'_>) -> Result<Self, EngineError> {
        let params = plan
            .params
            .iter()
            .map(|spec| r.f32s(spec.len))
            .collect::<Result<_, EngineError>>()?;
        let stats = plan
            .stats
            .iter()
            .map(|&len| {
                Ok(RunningStats {
                    mean: r.f32s(len)?,
                    var: r.f32s(len)?,
                })
            })
            .collect::<Result<_, EngineError>>()?;
        Ok(Self { params, stats })
    }
}
