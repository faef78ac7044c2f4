//! Flips, rotation, resizing and cropping.
//!
//! Every kernel matches its OpenCV counterpart (the goldens in
//! `fixtures/preprocess/golden` come from `fixtures/preprocess/golden_geometry.py`):
//! flips and crops are plain copies, rotation follows `cv2.warpAffine` (OpenCV 5's
//! float bilinear kernel), resizing follows `cv2.resize(INTER_LINEAR)` bit for bit.

mod crop;
mod flip;
mod resize;
mod rotate;
mod rounding;

pub use crop::crop_center;
pub use flip::{flip_horizontal, flip_vertical};
pub use resize::resize;
pub use rotate::rotate;

#[cfg(test)]
mod tests;
