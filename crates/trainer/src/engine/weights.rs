//! The network's state: parameters and batch-norm running statistics, their
//! seeded initialisation, and their encoding (shared by weights and checkpoints).

use burn::tensor::{Device, Tensor, TensorData};

use super::api::EngineError;
use super::codec::{Reader, Writer};
use super::network::RunningStats;
use super::plan::{ParamRole, Plan};
use super::rng::Rng;

/// Parameters (flat, in layer order) and running statistics, on the plain device.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    pub params: Vec<Tensor<1>>,
    pub stats: Vec<RunningStats>,
}

impl Weights {
    /// PyTorch's initialisation, drawn from `rng` in parameter order: conv and linear
    /// weights and biases uniform in ±1/sqrt(fan_in), batch norm gamma 1 and beta 0,
    /// running mean 0 and variance 1.
    pub(crate) fn init(plan: &Plan, rng: &mut Rng, device: &Device) -> Self {
        let params = plan
            .params
            .iter()
            .map(|spec| {
                let values = match spec.role {
                    ParamRole::Weight { fan_in } | ParamRole::Bias { fan_in } => {
                        let bound = 1.0 / (fan_in as f32).sqrt();
                        (0..spec.len)
                            .map(|_| (2.0 * rng.next_f32() - 1.0) * bound)
                            .collect()
                    }
                    ParamRole::Gamma => vec![1.0; spec.len],
                    ParamRole::Beta => vec![0.0; spec.len],
                };
                vector(values, device)
            })
            .collect();
        let stats = plan
            .stats
            .iter()
            .map(|&len| RunningStats {
                mean: vector(vec![0.0; len], device),
                var: vector(vec![1.0; len], device),
            })
            .collect();
        Self { params, stats }
    }

    /// Appends every parameter, then every running mean and variance.
    pub(crate) fn write(&self, w: &mut Writer) -> Result<(), EngineError> {
        for p in &self.params {
            w.f32s(&host(p)?);
        }
        for s in &self.stats {
            w.f32s(&host(&s.mean)?);
            w.f32s(&host(&s.var)?);
        }
        Ok(())
    }

    /// Reads what [`Weights::write`] wrote, checking every length against `plan`.
    pub(crate) fn read(plan: &Plan, r: &mut Reader<'_>, device: &Device) -> Result<Self, EngineError> {
        let params = plan
            .params
            .iter()
            .map(|spec| Ok(vector(r.f32s(spec.len)?, device)))
            .collect::<Result<_, EngineError>>()?;
        let stats = plan
            .stats
            .iter()
            .map(|&len| {
                Ok(RunningStats {
                    mean: vector(r.f32s(len)?, device),
                    var: vector(r.f32s(len)?, device),
                })
            })
            .collect::<Result<_, EngineError>>()?;
        Ok(Self { params, stats })
    }
}

pub(crate) fn vector(values: Vec<f32>, device: &Device) -> Tensor<1> {
    let len = values.len();
    Tensor::from_data(TensorData::new(values, [len]), device)
}

/// A tensor's values on the host.
pub(crate) fn host<const D: usize>(t: &Tensor<D>) -> Result<Vec<f32>, EngineError> {
    t.try_to_vec_as::<f32>()
        .map_err(|e| EngineError::Backend(format!("{e:?}")))
}
