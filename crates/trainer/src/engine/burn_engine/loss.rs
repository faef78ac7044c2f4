//! The batch loss as tensors, so autodiff carries its gradient.

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
