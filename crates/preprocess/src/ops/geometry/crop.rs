//! Centre crops: the middle rows and columns copied.

use crate::image::Image;

/// The centre `width` x `height` of the image (a side larger than the image keeps the
/// image's), from `x0 = (w - cw) / 2`, `y0 = (h - ch) / 2`.
pub fn crop_center(image: &Image, width: u32, height: u32) -> Image {
    let (cw, ch) = (width.min(image.width), height.min(image.height));
    let (x0, y0) = ((image.width - cw) / 2, (image.height - ch) / 2);
    let cn = image.channels as usize;
    let (start, len) = (x0 as usize * cn, cw as usize * cn);
    let mut data = Vec::with_capacity(len * ch as usize);
    if len > 0 {
        for row in image
            .data
            .chunks_exact(image.stride())
            .skip(y0 as usize)
            .take(ch as usize)
        {
            data.extend_from_slice(&row[start..start + len]);
        }
    }
    Image {
        width: cw,
        height: ch,
        channels: image.channels,
        data,
    }
}
