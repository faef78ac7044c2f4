//! The two losses of `codegen::defaults` on the host: per sample (evaluation), and
//! for a batch with the gradient of its logits (training).

use codegen::Loss;

/// Softmax of one row of logits, computed in f64 for a stable host-side result.
pub(crate) fn softmax_row(logits: &[f32]) -> Vec<f64> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let exps: Vec<f64> = logits.iter().map(|&z| (z as f64 - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// The loss of one sample given its logits row.
pub(crate) fn sample_loss(loss: Loss, logits: &[f32], target: usize) -> f64 {
    match loss {
        Loss::CrossEntropy => {
            let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
            let lse = max + logits.iter().map(|&z| (z as f64 - max).exp()).sum::<f64>().ln();
            lse - logits[target] as f64
        }
        Loss::MeanSquaredError => {
            let p = softmax_row(logits);
            let sq: f64 = p
                .iter()
                .enumerate()
                .map(|(k, &pk)| {
                    let d = pk - if k == target { 1.0 } else { 0.0 };
                    d * d
                })
                .sum();
            sq / logits.len() as f64
        }
    }
}

/// Index of the largest value (the first on ties, as PyTorch's argmax on CPU).
pub(crate) fn argmax(row: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

/// Mean loss of a batch of logits (row-major `[n, classes]`), and its gradient
/// with respect to the logits in `grad` (same layout). Sums in f64.
pub(crate) fn batch_loss_and_grad(
    loss: Loss,
    logits: &[f32],
    targets: &[u32],
    classes: usize,
    grad: &mut [f32],
) -> f32 {
    let n = targets.len();
    let mut total = 0.0f64;
    for ((row, g), &target) in logits
        .chunks_exact(classes)
        .zip(grad.chunks_exact_mut(classes))
        .zip(targets)
    {
        let target = target as usize;
        let p = softmax_row(row);
        match loss {
            // d/dz of -log p_y: (p - one_hot) / n
            Loss::CrossEntropy => {
                total += sample_loss(loss, row, target);
                for (k, (g, &pk)) in g.iter_mut().zip(&p).enumerate() {
                    let t = if k == target { 1.0 } else { 0.0 };
                    *g = ((pk - t) / n as f64) as f32;
                }
            }
            // mean of (p - one_hot)^2 over n * classes, through the softmax's Jacobian
            Loss::MeanSquaredError => {
                let scale = 2.0 / (n * classes) as f64;
                let dp: Vec<f64> = p
                    .iter()
                    .enumerate()
                    .map(|(k, &pk)| {
                        let d = pk - if k == target { 1.0 } else { 0.0 };
                        total += d * d;
                        d * scale
                    })
                    .collect();
                let dot: f64 = dp.iter().zip(&p).map(|(d, p)| d * p).sum();
                for ((g, &pk), &d) in g.iter_mut().zip(&p).zip(&dp) {
                    *g = (pk * (d - dot)) as f32;
                }
            }
        }
    }
    let mean = match loss {
        Loss::CrossEntropy => total / n as f64,
        Loss::MeanSquaredError => total / (n * classes) as f64,
    };
    mean as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_losses() {
        let z = [1.0f32, 2.0, 0.5];
        let p = softmax_row(&z);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let ce = sample_loss(Loss::CrossEntropy, &z, 1);
        assert!((ce + p[1].ln()).abs() < 1e-12);
        let mse = sample_loss(Loss::MeanSquaredError, &z, 1);
        let expect = (p[0].powi(2) + (p[1] - 1.0).powi(2) + p[2].powi(2)) / 3.0;
        assert!((mse - expect).abs() < 1e-12);
        assert_eq!(argmax(&[0.0, 3.0, 3.0]), 1);
    }

    /// The gradient against central differences of the loss.
    #[test]
    fn batch_gradients_match_finite_differences() {
        let logits = [0.3f32, -1.2, 2.0, 0.1, 0.5, 0.5, -0.7, 1.1];
        let targets = [2u32, 0];
        for loss in [Loss::CrossEntropy, Loss::MeanSquaredError] {
            let mut grad = [0.0f32; 8];
            batch_loss_and_grad(loss, &logits, &targets, 4, &mut grad);
            let mean = |z: &[f32]| {
                z.chunks(4)
                    .zip(targets)
                    .map(|(row, t)| sample_loss(loss, row, t as usize))
                    .sum::<f64>()
                    / 2.0
            };
            for i in 0..8 {
                let (mut up, mut down) = (logits, logits);
                up[i] += 1e-3;
                down[i] -= 1e-3;
                let numeric = (mean(&up) - mean(&down)) / 2e-3;
                assert!((numeric - f64::from(grad[i])).abs() < 1e-4, "{loss:?} {i}");
            }
        }
    }
}
