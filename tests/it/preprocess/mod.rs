//! Section 3 of the contract: `/preprocess/...`.

mod errors;
mod runs;

use preprocess::Image;
use preprocess::codec;

/// A small RGB picture with no symmetry, as PNG bytes, and the image itself.
pub fn picture(width: u32, height: u32) -> (Vec<u8>, Image) {
    let mut image = Image::new(width, height, 3);
    for (i, sample) in image.data.iter_mut().enumerate() {
        let pixel = (i / 3) as u32;
        let (x, y) = (pixel % width, pixel / width);
        *sample = match i % 3 {
            0 => (x * 255 / width.max(1)) as u8,
            1 => (y * 255 / height.max(1)) as u8,
            _ => ((x * 7 + y * 13) % 256) as u8,
        };
    }
    let png = codec::encode(&image, image_format_png()).expect("encode");
    (png, image)
}

pub fn image_format_png() -> preprocess::codec::ImageFormat {
    preprocess::codec::ImageFormat::Png
}

pub fn decode(bytes: &[u8]) -> Image {
    codec::decode(bytes).expect("a picture").0
}
