//! Point operations: brightness, contrast, grayscale, threshold, equalisation. (Placeholders; being written.)

use crate::image::Image;

pub fn brightness(image: &Image, _factor: f32) -> Image {
    image.clone()
}
pub fn contrast(image: &Image, _factor: f32) -> Image {
    image.clone()
}
pub fn grayscale(image: &Image) -> Image {
    image.clone()
}
pub fn threshold(image: &Image, _threshold: u8, _max_value: u8) -> Image {
    image.clone()
}
pub fn equalize(image: &Image) -> Image {
    image.clone()
}
