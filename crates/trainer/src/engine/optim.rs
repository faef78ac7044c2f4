//! The five optimisers with exactly the hyper-parameters of `codegen::defaults`
//! (PyTorch's update rules). Written here rather than taken from burn-optim so the
//! rules are PyTorch's to the letter (burn's momentum dampens by 0.1, its RMSProp
//! and Adagrad default to other epsilons) and the state is plain tensors that go
//! straight into a checkpoint.

use burn::tensor::{Device, Tensor, TensorData};
use codegen::{Optimizer as Kind, defaults};

/// Optimiser state: the step count and, per parameter, its buffers (all zeros at
/// the start, as PyTorch's lazily created ones).
#[derive(Debug, Clone)]
pub(crate) struct Optimizer {
    kind: Kind,
    lr: f64,
    steps: u64,
    /// `slots[i]` holds parameter `i`'s buffers (see [`slots_per_param`]).
    slots: Vec<Vec<Tensor<1>>>,
}

/// Buffers per parameter: momentum 1 (velocity), Adam 2 (first and second
/// moments), RMSProp 1 (square average), Adagrad 1 (sum of squares).
pub(crate) fn slots_per_param(kind: Kind) -> usize {
    match kind {
        Kind::Sgd => 0,
        Kind::Momentum | Kind::RmsProp | Kind::Adagrad => 1,
        Kind::Adam => 2,
    }
}

impl Optimizer {
    /// Fresh state for parameters of the given lengths.
    pub(crate) fn new(kind: Kind, lr: f64, lens: &[usize], device: &Device) -> Self {
        let slots = lens
            .iter()
            .map(|&len| {
                (0..slots_per_param(kind))
                    .map(|_| Tensor::zeros([len], device))
                    .collect()
            })
            .collect();
        Self {
            kind,
            lr,
            steps: 0,
            slots,
        }
    }

    /// State restored from [`Optimizer::export`] values.
    pub(crate) fn restore(
        kind: Kind,
        lr: f64,
        steps: u64,
        slots: Vec<Vec<Vec<f32>>>,
        device: &Device,
    ) -> Self {
        let slots = slots
            .into_iter()
            .map(|bufs| {
                bufs.into_iter()
                    .map(|v| {
                        let len = v.len();
                        Tensor::from_data(TensorData::new(v, [len]), device)
                    })
                    .collect()
            })
            .collect();
        Self {
            kind,
            lr,
            steps,
            slots,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    /// The buffers, in parameter order (their number per parameter is
    /// [`slots_per_param`]).
    pub(crate) fn slots(&self) -> &[Vec<Tensor<1>>] {
        &self.slots
    }

    /// One update of every parameter from its gradient.
    pub(crate) fn step(&mut self, params: &mut [Tensor<1>], grads: Vec<Tensor<1>>) {
        self.steps += 1;
        let lr = self.lr;
        let t = self.steps as i32;
        for ((p, g), slots) in params.iter_mut().zip(grads).zip(&mut self.slots) {
            let delta = match (self.kind, slots.as_mut_slice()) {
                (Kind::Sgd, _) => g.mul_scalar(lr),
                // v = 0.9 v + g (dampening 0, not Nesterov); p -= lr v
                (Kind::Momentum, [v]) => {
                    v.inplace(|v| v.mul_scalar(defaults::MOMENTUM) + g);
                    v.clone().mul_scalar(lr)
                }
                // PyTorch: p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
                (Kind::Adam, [m, v]) => {
                    let (b1, b2) = (defaults::ADAM_BETA1, defaults::ADAM_BETA2);
                    m.inplace(|m| m.mul_scalar(b1) + g.clone().mul_scalar(1.0 - b1));
                    v.inplace(|v| v.mul_scalar(b2) + g.square().mul_scalar(1.0 - b2));
                    let step_size = lr / (1.0 - b1.powi(t));
                    let bc2_sqrt = (1.0 - b2.powi(t)).sqrt();
                    let denom = v
                        .clone()
                        .sqrt()
                        .div_scalar(bc2_sqrt)
                        .add_scalar(defaults::ADAM_EPSILON);
                    m.clone().div(denom).mul_scalar(step_size)
                }
                // s = alpha s + (1 - alpha) g^2; p -= lr g / (sqrt(s) + eps)
                (Kind::RmsProp, [s]) => {
                    let alpha = defaults::RMSPROP_ALPHA;
                    s.inplace(|s| s.mul_scalar(alpha) + g.clone().square().mul_scalar(1.0 - alpha));
                    g.div(s.clone().sqrt().add_scalar(defaults::RMSPROP_EPSILON))
                        .mul_scalar(lr)
                }
                // s += g^2; p -= lr g / (sqrt(s) + eps)   (lr_decay 0)
                (Kind::Adagrad, [s]) => {
                    s.inplace(|s| s + g.clone().square());
                    g.div(s.clone().sqrt().add_scalar(defaults::ADAGRAD_EPSILON))
                        .mul_scalar(lr)
                }
                // Unreachable: `new` and `restore` give every kind its slot count.
                _ => continue,
            };
            // `inplace` lets the backend reuse the parameter's buffer.
            p.inplace(|p| p - delta);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::backend;
    use crate::engine::weights::{host, vector};

    /// Parameter 1.0, gradient 0.5, lr 0.1, two steps: PyTorch's values by hand.
    fn two_steps(kind: Kind) -> Vec<f32> {
        let device = backend::device();
        let mut opt = Optimizer::new(kind, 0.1, &[1], &device);
        let mut params = vec![vector(vec![1.0], &device)];
        let mut seen = Vec::new();
        for _ in 0..2 {
            opt.step(&mut params, vec![vector(vec![0.5], &device)]);
            seen.push(host(&params[0]).expect("read")[0]);
        }
        seen
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5)
    }

    #[test]
    fn update_rules_match_pytorch() {
        assert!(close(&two_steps(Kind::Sgd), &[0.95, 0.9]));
        // v1 = 0.5, v2 = 0.9 * 0.5 + 0.5 = 0.95 (no dampening)
        assert!(close(&two_steps(Kind::Momentum), &[0.95, 0.855]));
        // bias-corrected m / sqrt(v) = 1 for a constant gradient
        assert!(close(&two_steps(Kind::Adam), &[0.9, 0.8]));
        // s1 = 0.0025: step 0.1 * 0.5 / 0.05 = 1; s2 = 0.99 * 0.0025 + 0.0025
        let s2 = (0.99f32 * 0.0025 + 0.0025).sqrt();
        assert!(close(&two_steps(Kind::RmsProp), &[0.0, -0.05 / s2]));
        // s1 = 0.25: step 0.1; s2 = 0.5: step 0.05 / sqrt(0.5)
        assert!(close(
            &two_steps(Kind::Adagrad),
            &[0.9, 0.9 - 0.05 / 0.5f32.sqrt()]
        ));
    }
}
