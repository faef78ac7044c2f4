//! Flips, rotation, resizing and cropping. (Placeholders; being written.)

use crate::image::Image;

pub fn flip_vertical(image: &Image) -> Image {
    image.clone()
}
pub fn flip_horizontal(image: &Image) -> Image {
    image.clone()
}
pub fn rotate(image: &Image, _degrees: f32) -> Image {
    image.clone()
}
pub fn resize(image: &Image, _width: u32, _height: u32) -> Image {
    image.clone()
}
pub fn crop_center(image: &Image, _width: u32, _height: u32) -> Image {
    image.clone()
}
