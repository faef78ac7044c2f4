//! Neighbourhood filters: median, mean, Gaussian, sharpen. (Placeholders; being written.)

use crate::image::Image;

pub fn median(image: &Image, _width: u32, _height: u32) -> Image {
    image.clone()
}
pub fn mean(image: &Image, _width: u32, _height: u32) -> Image {
    image.clone()
}
pub fn gaussian(image: &Image, _size: u32, _sigma: f32) -> Image {
    image.clone()
}
pub fn sharpen(image: &Image, _amount: f32) -> Image {
    image.clone()
}
