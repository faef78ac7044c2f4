//! Batch normalisation over `[n, channels, positions]` (positions = 1 for vectors),
//! as PyTorch: training normalises with the batch mean and biased variance, and
//! moves the running variance towards the unbiased one. Per-channel sums run in
//! f64, one channel per parallel task; the elementwise passes one sample per task.

use codegen::{Activation, defaults};
use rayon::prelude::*;

use super::activation;

const MOMENTUM: f32 = defaults::BATCH_NORM_MOMENTUM as f32;
const EPSILON: f64 = defaults::BATCH_NORM_EPSILON;

/// The layout of the normalised values of one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NormGeometry {
    pub channels: usize,
    pub positions: usize,
}

impl NormGeometry {
    fn sample(&self) -> usize {
        self.channels * self.positions
    }

    /// Values per channel in a batch of `n`.
    fn count(&self, n: usize) -> usize {
        n * self.positions
    }
}

/// One channel's values across the batch, in order.
fn channel<'a>(x: &'a [f32], g: &NormGeometry, c: usize) -> impl Iterator<Item = &'a [f32]> + use<'a> {
    let positions = g.positions;
    x.chunks_exact(g.sample())
        .map(move |s| &s[c * positions..(c + 1) * positions])
}

/// Independent f64 accumulators, so the sums vectorise (and stay in a fixed order).
const LANES: usize = 8;

/// The sums of the two terms `f(u[i], v[i])` over `i`.
fn lane_sums(u: &[f32], v: &[f32], f: impl Fn(f32, f32) -> (f32, f32)) -> (f64, f64) {
    let (mut a, mut b) = ([0.0f64; LANES], [0.0f64; LANES]);
    let (uc, vc) = (u.chunks_exact(LANES), v.chunks_exact(LANES));
    let (ur, vr) = (uc.remainder(), vc.remainder());
    for (us, vs) in uc.zip(vc) {
        for l in 0..LANES {
            let (p, q) = f(us[l], vs[l]);
            a[l] += f64::from(p);
            b[l] += f64::from(q);
        }
    }
    let (mut sa, mut sb) = (a.iter().sum::<f64>(), b.iter().sum::<f64>());
    for (&x, &y) in ur.iter().zip(vr) {
        let (p, q) = f(x, y);
        sa += f64::from(p);
        sb += f64::from(q);
    }
    (sa, sb)
}

/// Batch statistics: per channel mean and 1/sqrt(biased variance + eps), written to
/// `mean` and `inv_std`; returns the biased variances. One pass per channel, on
/// values shifted by the channel's first value (so a large mean costs no precision).
pub(crate) fn batch_statistics(
    x: &[f32],
    g: &NormGeometry,
    mean: &mut [f32],
    inv_std: &mut [f32],
) -> Vec<f32> {
    let count = g.count(x.len() / g.sample()) as f64;
    let stats: Vec<(f64, f64)> = (0..g.channels)
        .into_par_iter()
        .map(|c| {
            let pivot = channel(x, g, c)
                .next()
                .and_then(|s| s.first())
                .copied()
                .unwrap_or(0.0);
            let (sum, squares) = channel(x, g, c).fold((0.0, 0.0), |(s, q), values| {
                let (a, b) = lane_sums(values, values, |v, _| {
                    let d = v - pivot;
                    (d, d * d)
                });
                (s + a, q + b)
            });
            let shifted_mean = sum / count;
            let var = (squares / count - shifted_mean * shifted_mean).max(0.0);
            (f64::from(pivot) + shifted_mean, var)
        })
        .collect();
    for ((&(m, var), mo), io) in stats.iter().zip(mean.iter_mut()).zip(inv_std.iter_mut()) {
        *mo = m as f32;
        *io = (1.0 / (var + EPSILON).sqrt()) as f32;
    }
    stats.into_iter().map(|(_, var)| var as f32).collect()
}

/// `y = f((x - mean) * inv_std * gamma + beta)`, per channel, with `f` the
/// activation folded into this layer, if any (applied while the values are in cache).
pub(crate) fn normalize(
    x: &[f32],
    g: &NormGeometry,
    (mean, inv_std): (&[f32], &[f32]),
    (gamma, beta): (&[f32], &[f32]),
    activation: Option<Activation>,
    y: &mut [f32],
) {
    y.par_chunks_exact_mut(g.sample())
        .zip(x.par_chunks_exact(g.sample()))
        .for_each(|(y, x)| {
            for c in 0..g.channels {
                let scale = inv_std[c] * gamma[c];
                let shift = beta[c] - mean[c] * scale;
                let range = c * g.positions..(c + 1) * g.positions;
                let out = &mut y[range.clone()];
                for (o, &v) in out.iter_mut().zip(&x[range]) {
                    *o = v * scale + shift;
                }
                if let Some(kind) = activation {
                    activation::apply(kind, out);
                }
            }
        });
}

/// Moves the running statistics towards this batch's (unbiased variance).
pub(crate) fn update_running(
    (running_mean, running_var): (&mut [f32], &mut [f32]),
    (mean, var): (&[f32], &[f32]),
    count: usize,
) {
    let unbias = count as f32 / (count - 1) as f32;
    for (r, &m) in running_mean.iter_mut().zip(mean) {
        *r = *r * (1.0 - MOMENTUM) + m * MOMENTUM;
    }
    for (r, &v) in running_var.iter_mut().zip(var) {
        *r = *r * (1.0 - MOMENTUM) + v * (MOMENTUM * unbias);
    }
}

/// Eval-mode scale and inverse deviation from running statistics.
pub(crate) fn running_inv_std(running_var: &[f32]) -> Vec<f32> {
    running_var
        .iter()
        .map(|&v| (1.0 / (f64::from(v) + EPSILON).sqrt()) as f32)
        .collect()
}

/// Gradients of a training-mode batch norm: `dgamma`, `dbeta` (overwritten) and
/// `dx` (overwritten) when wanted, from the input `x` and the batch statistics.
pub(crate) fn backward(
    x: &[f32],
    g: &NormGeometry,
    (mean, inv_std): (&[f32], &[f32]),
    gamma: &[f32],
    dy: &[f32],
    dx: Option<&mut [f32]>,
    (dgamma, dbeta): (&mut [f32], &mut [f32]),
) {
    let count = g.count(x.len() / g.sample());
    // Per channel: sum(dy) and sum(dy * xhat).
    let sums: Vec<(f64, f64)> = (0..g.channels)
        .into_par_iter()
        .map(|c| {
            let (m, s) = (mean[c], inv_std[c]);
            channel(dy, g, c)
                .zip(channel(x, g, c))
                .fold((0.0, 0.0), |(sd, sdx), (d, x)| {
                    let (a, b) = lane_sums(d, x, |d, x| (d, d * ((x - m) * s)));
                    (sd + a, sdx + b)
                })
        })
        .collect();
    for ((&(sd, sdx), db), dg) in sums.iter().zip(dbeta.iter_mut()).zip(dgamma.iter_mut()) {
        *db = sd as f32;
        *dg = sdx as f32;
    }
    let Some(dx) = dx else { return };
    // dx = gamma * inv_std * (dy - mean(dy) - xhat * mean(dy * xhat))
    let per_channel: Vec<(f32, f32, f32)> = sums
        .iter()
        .zip(gamma.iter().zip(inv_std))
        .map(|(&(sd, sdx), (&gm, &s))| (gm * s, (sd / count as f64) as f32, (sdx / count as f64) as f32))
        .collect();
    dx.par_chunks_exact_mut(g.sample())
        .zip(dy.par_chunks_exact(g.sample()))
        .zip(x.par_chunks_exact(g.sample()))
        .for_each(|((dx, dy), x)| {
            for (c, &(k, mean_dy, mean_dyx)) in per_channel.iter().enumerate() {
                let (m, s) = (mean[c], inv_std[c]);
                let range = c * g.positions..(c + 1) * g.positions;
                for ((o, &d), &v) in dx[range.clone()]
                    .iter_mut()
                    .zip(&dy[range.clone()])
                    .zip(&x[range])
                {
                    *o = k * (d - mean_dy - (v - m) * s * mean_dyx);
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loss(x: &[f32], g: &NormGeometry, gamma: &[f32], beta: &[f32], r: &[f32]) -> f64 {
        let (mut mean, mut inv) = (vec![0.0; g.channels], vec![0.0; g.channels]);
        batch_statistics(x, g, &mut mean, &mut inv);
        let mut y = vec![0.0; x.len()];
        normalize(x, g, (&mean, &inv), (gamma, beta), None, &mut y);
        y.iter().zip(r).map(|(a, b)| f64::from(a * b)).sum()
    }

    #[test]
    fn gradients_match_finite_differences() {
        let g = NormGeometry {
            channels: 2,
            positions: 3,
        };
        let x: Vec<f32> = (0..18).map(|i| ((i * 7) % 11) as f32 * 0.3 - 1.0).collect();
        let r: Vec<f32> = (0..18).map(|i| ((i * 5) % 13) as f32 * 0.1 - 0.6).collect();
        let (gamma, beta) = (vec![1.5, 0.7], vec![0.2, -0.1]);
        let (mut mean, mut inv) = (vec![0.0; 2], vec![0.0; 2]);
        batch_statistics(&x, &g, &mut mean, &mut inv);
        let (mut dg, mut db, mut dx) = (vec![0.0; 2], vec![0.0; 2], vec![0.0; 18]);
        backward(
            &x,
            &g,
            (&mean, &inv),
            &gamma,
            &r,
            Some(&mut dx),
            (&mut dg, &mut db),
        );
        let h = 1e-2;
        for i in 0..18 {
            let (mut up, mut down) = (x.clone(), x.clone());
            up[i] += h;
            down[i] -= h;
            let numeric = (loss(&up, &g, &gamma, &beta, &r) - loss(&down, &g, &gamma, &beta, &r))
                / (2.0 * f64::from(h));
            assert!(
                (numeric - f64::from(dx[i])).abs() < 1e-3,
                "dx[{i}]: {numeric} vs {}",
                dx[i]
            );
        }
        for c in 0..2 {
            let (mut up, mut down) = (gamma.clone(), gamma.clone());
            up[c] += h;
            down[c] -= h;
            let numeric =
                (loss(&x, &g, &up, &beta, &r) - loss(&x, &g, &down, &beta, &r)) / (2.0 * f64::from(h));
            assert!((numeric - f64::from(dg[c])).abs() < 1e-3);
            let sum: f32 = (0..3)
                .flat_map(|s| (0..3).map(move |p| s * 6 + c * 3 + p))
                .map(|i| r[i])
                .sum();
            assert!((db[c] - sum).abs() < 1e-5);
        }
    }
}
