//! The five activations, applied in place, with derivatives taken from their
//! outputs (every one of them is a function of its output), so only the output is
//! kept for the backward pass. Parameters as PyTorch's defaults.

use codegen::{Activation, defaults};
use rayon::prelude::*;

const LEAKY_RELU_SLOPE: f32 = defaults::LEAKY_RELU_SLOPE as f32;
const ELU_ALPHA: f32 = defaults::ELU_ALPHA as f32;

/// Values per parallel task: elementwise work is too cheap to split finer.
const CHUNK: usize = 1 << 14;

/// `x = f(x)` elementwise.
pub(crate) fn forward(kind: Activation, x: &mut [f32]) {
    x.par_chunks_mut(CHUNK).for_each(|x| apply(kind, x));
}

/// `y = f(x)` elementwise.
pub(crate) fn forward_into(kind: Activation, x: &[f32], y: &mut [f32]) {
    y.par_chunks_mut(CHUNK)
        .zip(x.par_chunks(CHUNK))
        .for_each(|(y, x)| {
            y.copy_from_slice(x);
            apply(kind, y);
        });
}

/// `x = f(x)` on one thread (inside other parallel work).
pub(crate) fn apply(kind: Activation, x: &mut [f32]) {
    match kind {
        Activation::Relu => x.iter_mut().for_each(|v| *v = v.max(0.0)),
        Activation::Sigmoid => x.iter_mut().for_each(|v| *v = 1.0 / (1.0 + (-*v).exp())),
        Activation::Tanh => x.iter_mut().for_each(|v| *v = v.tanh()),
        Activation::LeakyRelu => x
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { *v * LEAKY_RELU_SLOPE }),
        Activation::Elu => x
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { ELU_ALPHA * v.exp_m1() }),
    }
}

/// `grad *= f'(x)` where `y = f(x)` is the kept output.
pub(crate) fn backward(kind: Activation, y: &[f32], grad: &mut [f32]) {
    grad.par_chunks_mut(CHUNK)
        .zip(y.par_chunks(CHUNK))
        .for_each(|(g, y)| {
            let each = |g: &mut [f32], f: &dyn Fn(f32) -> f32| {
                for (g, &y) in g.iter_mut().zip(y) {
                    *g *= f(y);
                }
            };
            match kind {
                // ReLU's `y > 0` written as a select so it vectorises.
                Activation::Relu => {
                    for (g, &y) in g.iter_mut().zip(y) {
                        *g = if y > 0.0 { *g } else { 0.0 };
                    }
                }
                Activation::Sigmoid => each(g, &|y| y * (1.0 - y)),
                Activation::Tanh => each(g, &|y| 1.0 - y * y),
                Activation::LeakyRelu => each(g, &|y| if y > 0.0 { 1.0 } else { LEAKY_RELU_SLOPE }),
                // alpha * e^x = y + alpha for x <= 0
                Activation::Elu => each(g, &|y| if y > 0.0 { 1.0 } else { y + ELU_ALPHA }),
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_from_outputs_match_finite_differences() {
        let xs = [-2.0f32, -0.5, -0.01, 0.3, 1.7];
        for kind in [
            Activation::Relu,
            Activation::Sigmoid,
            Activation::Tanh,
            Activation::LeakyRelu,
            Activation::Elu,
        ] {
            let mut y = xs;
            forward(kind, &mut y);
            let mut grad = [1.0f32; 5];
            backward(kind, &y, &mut grad);
            for (i, &x) in xs.iter().enumerate() {
                let (mut up, mut down) = ([x + 1e-3], [x - 1e-3]);
                apply(kind, &mut up);
                apply(kind, &mut down);
                let numeric = (up[0] - down[0]) / 2e-3;
                assert!(
                    (numeric - grad[i]).abs() < 1e-2,
                    "{kind:?} at {x}: {numeric} vs {}",
                    grad[i]
                );
            }
        }
    }
}
