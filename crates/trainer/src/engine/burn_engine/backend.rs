//! The backend choice, in one place.
//!
//! burn 0.22 tensors are not generic over a backend type: the [`Device`] a tensor is
//! created on selects the backend at run time (burn's cargo features decide which
//! ones exist). So the choice is this function rather than a type alias; a CUDA or
//! wgpu engine behind a cargo feature would return `Device::cuda(0)` etc. here.

use burn::tensor::Device;

/// Name reported by [`super::BurnEngine`].
pub(crate) const NAME: &str = "burn-flex";

/// burn's flex CPU backend (SIMD kernels, rayon threads); no autodiff.
pub(crate) fn device() -> Device {
    Device::flex()
}

/// The same device with autodiff, for training steps.
pub(crate) fn train_device() -> Device {
    device().autodiff()
}
