//! The five optimisers with exactly the hyper-parameters of `codegen::defaults`
//! (PyTorch's update rules). Written here rather than taken from burn-optim so the
//! rules are PyTorch's to the letter (burn's momentum dampens by 0.1, its RMSProp
//! and Adagrad default to other epsilons) and the state is plain vectors that go
//! straight into a checkpoint.

use codegen::{Optimizer as Kind, defaults};
use rayon::prelude::*;

/// Optimiser state: the step count and, per parameter, its buffers (all zeros at
/// the start, as PyTorch's lazily created ones). The buffers live on the host: one
/// fused pass over a parameter's values is much cheaper on the CPU than the dozen
/// tensor operations (each a full pass and an allocation) the rules take as tensors.
#[derive(Debug, Clone)]
pub(crate) struct Optimizer {
    kind: Kind,
    lr: f64,
    steps: u64,
    /// `slots[i]` holds parameter `i`'s buffers (see [`slots_per_param`]).
    slots: Vec<Vec<Vec<f32>>>,
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
    pub(crate) fn new(kind: Kind, lr: f64, lens: &[usize]) -> Self {
        let slots = lens
            .iter()
            .map(|&len| (0..slots_per_param(kind)).map(|_| vec![0.0; len]).collect())
            .collect();
        Self {
            kind,
            lr,
            steps: 0,
            slots,
        }
    }

    /// State restored from a checkpoint's values.
    pub(crate) fn restore(kind: Kind, lr: f64, steps: u64, slots: Vec<Vec<Vec<f32>>>) -> Self {
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
    pub(crate) fn slots(&self) -> &[Vec<Vec<f32>>] {
        &self.slots
    }

    /// One update of every parameter from its gradient (same order and lengths).
    ///
    /// The arithmetic is that of the rules written as f32 tensor operations (same
    /// operations, same order, scalars rounded to f32 as burn rounds them), fused
    /// into one pass over each parameter's values.
    pub(crate) fn step(&mut self, params: &mut [Vec<f32>], grads: &[Vec<f32>]) {
        let rule = Rule::new(self.kind, self.lr, self.steps + 1);
        self.steps += 1;
        for ((p, g), slots) in params.iter_mut().zip(grads).zip(&mut self.slots) {
            let (m, v) = match slots.as_mut_slice() {
                [] => (&mut [][..], &mut [][..]),
                [m] => (m.as_mut_slice(), &mut [][..]),
                [m, v, ..] => (m.as_mut_slice(), v.as_mut_slice()),
            };
            if p.len() <= CHUNK {
                update(rule, p, g, m, v);
                continue;
            }
            // Large parameters in parallel pieces: each value's update depends on
            // nothing else, so the result is the same however the pieces run.
            let (ms, vs) = (pieces(m, p.len()), pieces(v, p.len()));
            p.par_chunks_mut(CHUNK)
                .zip(g.par_chunks(CHUNK))
                .zip(ms)
                .zip(vs)
                .for_each(|(((p, g), m), v)| update(rule, p, g, m, v));
        }
    }
}

/// Values per parallel piece of an update.
const CHUNK: usize = 1 << 14;

/// `buffer` in pieces matching `len` values cut by [`CHUNK`] (empty pieces for an
/// optimiser that has no such buffer).
fn pieces(buffer: &mut [f32], len: usize) -> Vec<&mut [f32]> {
    if buffer.is_empty() {
        (0..len.div_ceil(CHUNK)).map(|_| &mut [][..]).collect()
    } else {
        buffer.chunks_mut(CHUNK).collect()
    }
}

/// One step's rule with its scalars (f32, as burn rounds a scalar operand).
#[derive(Debug, Clone, Copy)]
enum Rule {
    Sgd {
        lr: f32,
    },
    Momentum {
        lr: f32,
        mu: f32,
    },
    Adam {
        b1: f32,
        c1: f32,
        b2: f32,
        c2: f32,
        bc2_sqrt: f32,
        eps: f32,
        step_size: f32,
    },
    RmsProp {
        lr: f32,
        alpha: f32,
        c: f32,
        eps: f32,
    },
    Adagrad {
        lr: f32,
        eps: f32,
    },
}

impl Rule {
    /// The rule of step `t` (counted from 1).
    fn new(kind: Kind, lr: f64, t: u64) -> Self {
        let t = i32::try_from(t).unwrap_or(i32::MAX);
        match kind {
            Kind::Sgd => Self::Sgd { lr: lr as f32 },
            Kind::Momentum => Self::Momentum {
                lr: lr as f32,
                mu: defaults::MOMENTUM as f32,
            },
            Kind::Adam => {
                let (b1, b2) = (defaults::ADAM_BETA1, defaults::ADAM_BETA2);
                Self::Adam {
                    b1: b1 as f32,
                    c1: (1.0 - b1) as f32,
                    b2: b2 as f32,
                    c2: (1.0 - b2) as f32,
                    bc2_sqrt: (1.0 - b2.powi(t)).sqrt() as f32,
                    eps: defaults::ADAM_EPSILON as f32,
                    step_size: (lr / (1.0 - b1.powi(t))) as f32,
                }
            }
            Kind::RmsProp => {
                let alpha = defaults::RMSPROP_ALPHA;
                Self::RmsProp {
                    lr: lr as f32,
                    alpha: alpha as f32,
                    c: (1.0 - alpha) as f32,
                    eps: defaults::RMSPROP_EPSILON as f32,
                }
            }
            Kind::Adagrad => Self::Adagrad {
                lr: lr as f32,
                eps: defaults::ADAGRAD_EPSILON as f32,
            },
        }
    }
}

/// Updates `p` from `g` and the buffers `m`, `v` (empty where the rule has fewer).
fn update(rule: Rule, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) {
    match rule {
        Rule::Sgd { lr } => {
            for (p, &g) in p.iter_mut().zip(g) {
                *p -= g * lr;
            }
        }
        // v = 0.9 v + g (dampening 0, not Nesterov); p -= lr v
        Rule::Momentum { lr, mu } => {
            for ((p, &g), v) in p.iter_mut().zip(g).zip(m) {
                *v = *v * mu + g;
                *p -= *v * lr;
            }
        }
        // PyTorch: p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        Rule::Adam {
            b1,
            c1,
            b2,
            c2,
            bc2_sqrt,
            eps,
            step_size,
        } => {
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m).zip(v) {
                *m = *m * b1 + g * c1;
                *v = *v * b2 + (g * g) * c2;
                let denom = v.sqrt() / bc2_sqrt + eps;
                *p -= (*m / denom) * step_size;
            }
        }
        // s = alpha s + (1 - alpha) g^2; p -= lr g / (sqrt(s) + eps)
        Rule::RmsProp { lr, alpha, c, eps } => {
            for ((p, &g), s) in p.iter_mut().zip(g).zip(m) {
                *s = *s * alpha + (g * g) * c;
                *p -= (g / (s.sqrt() + eps)) * lr;
            }
        }
        // s += g^2; p -= lr g / (sqrt(s) + eps)   (lr_decay 0)
        Rule::Adagrad { lr, eps } => {
            for ((p, &g), s) in p.iter_mut().zip(g).zip(m) {
                *s += g * g;
                *p -= (g / (s.sqrt() + eps)) * lr;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parameter 1.0, gradient 0.5, lr 0.1, two steps: PyTorch's values by hand.
    fn two_steps(kind: Kind) -> Vec<f32> {
        let mut opt = Optimizer::new(kind, 0.1, &[1]);
        let mut params = vec![vec![1.0]];
        let mut seen = Vec::new();
        for _ in 0..2 {
            opt.step(&mut params, &[vec![0.5]]);
            seen.push(params[0][0]);
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
