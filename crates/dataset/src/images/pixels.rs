//! One decoded picture -> one sample: channels matched, resized, CHW, `/ 255`.

use preprocess::Image;
use preprocess::ops::geometry::resize;
use preprocess::ops::tone::grayscale;

/// The target size of a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target {
    pub height: u32,
    pub width: u32,
    /// 1 or 3.
    pub channels: usize,
}

impl Target {
    pub fn len(self) -> usize {
        self.height as usize * self.width as usize * self.channels
    }
}

/// Writes `image` as a sample of `target` into `out` (`target.len()` values).
///
/// Alpha is dropped; gray is repeated into 3 channels; colour going to 1 channel
/// (only at prediction time) becomes preprocess's BT.601 gray.
pub(crate) fn write_sample(image: &Image, target: Target, out: &mut [f32]) {
    let gray;
    let image = if target.channels == 1 && image.color_channels() == 3 {
        gray = grayscale(image);
        &gray
    } else {
        image
    };
    let resized;
    let image = if (image.width, image.height) != (target.width, target.height) {
        resized = resize(image, target.width, target.height);
        &resized
    } else {
        image
    };
    let plane = target.height as usize * target.width as usize;
    let stride = usize::from(image.channels);
    for (c, out) in out.chunks_exact_mut(plane).take(target.channels).enumerate() {
        let source = if image.color_channels() == 1 { 0 } else { c };
        for (o, pixel) in out.iter_mut().zip(image.data.chunks_exact(stride)) {
            *o = f32::from(pixel[source]) / 255.0;
        }
    }
}
