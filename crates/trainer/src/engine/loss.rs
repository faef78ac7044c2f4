//! The two losses of `codegen::defaults`, as tensors (training) and on the host
//! (evaluation, from the logits already read back).

use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Tensor, TensorData};
use codegen::Loss;

/// Mean loss over the batch; `targets` are class indices below `classes`.
pub(crate) fn batch_loss(loss: Loss, logits: Tensor<2>, targets: &[u32]) -> Tensor<1> {
    let [n, classes] = logits.dims();
    let one_hot = Tensor::<2>::from_data(
        TensorData::new(one_hot(targets, classes), [n, classes]),
        &logits.device(),
    );
    match loss {
        // -mean_i log softmax(z_i)[y_i]
        Loss::CrossEntropy => (log_softmax(logits, 1) * one_hot)
            .sum()
            .mul_scalar(-1.0 / n as f32),
        // mean over batch and classes of (softmax(z) - one_hot)^2
        Loss::MeanSquaredError => (softmax(logits, 1) - one_hot).square().mean(),
    }
}

fn one_hot(targets: &[u32], classes: usize) -> Vec<f32> {
    let mut v = vec![0.0; targets.len() * classes];
    for (row, &t) in targets.iter().enumerate() {
        v[row * classes + t as usize] = 1.0;
    }
    v
}

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
}
