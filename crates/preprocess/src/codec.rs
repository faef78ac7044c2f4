//! Decoding bytes into an [`Image`] and encoding it back, in the input's own format
//! where the `image` crate can write it (else PNG).

use std::io::Cursor;

use common::ErrorCode;
use image::DynamicImage;
/// The file formats pictures come in and are written in (the `image` crate's).
pub use image::ImageFormat;

use crate::image::Image;

/// Why bytes could not become a picture, or a picture bytes.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The bytes start like none of the formats [`decode`] reads.
    #[error("not a picture in a known format")]
    UnknownFormat,
    /// A known format, but damaged or truncated; the decoder's words.
    #[error("the picture could not be decoded: {0}")]
    Decode(String),
    /// The encoder refused the picture; its words.
    #[error("the picture could not be encoded: {0}")]
    Encode(String),
}

impl ErrorCode for CodecError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownFormat => "image_unknown_format",
            Self::Decode(_) => "image_decode_failed",
            Self::Encode(_) => "image_encode_failed",
        }
    }
}

/// Decodes PNG, JPEG, BMP, GIF (first frame), TIFF or WebP; 16-bit samples are reduced
/// to 8 bits. Returns the image and the format it came in.
pub fn decode(bytes: &[u8]) -> Result<(Image, ImageFormat), CodecError> {
    let format = image::guess_format(bytes).map_err(|_| CodecError::UnknownFormat)?;
    let decoded =
        image::load_from_memory_with_format(bytes, format).map_err(|e| CodecError::Decode(e.to_string()))?;
    let (width, height) = (decoded.width(), decoded.height());
    let (channels, data) = match decoded {
        DynamicImage::ImageLuma8(b) => (1, b.into_raw()),
        DynamicImage::ImageLumaA8(b) => (2, b.into_raw()),
        DynamicImage::ImageRgb8(b) => (3, b.into_raw()),
        DynamicImage::ImageRgba8(b) => (4, b.into_raw()),
        other if other.color().has_alpha() && other.color().has_color() => (4, other.to_rgba8().into_raw()),
        other if other.color().has_alpha() => (2, other.to_luma_alpha8().into_raw()),
        other if other.color().has_color() => (3, other.to_rgb8().into_raw()),
        other => (1, other.to_luma8().into_raw()),
    };
    let image = Image::from_raw(width, height, channels, data)
        .ok_or(CodecError::Decode("bad sample count".into()))?;
    Ok((image, format))
}

/// The format an output is written in: the input's where it can be written, else PNG.
pub fn output_format(input: ImageFormat) -> ImageFormat {
    match input {
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Bmp | ImageFormat::Tiff | ImageFormat::Gif => {
            input
        }
        _ => ImageFormat::Png,
    }
}

/// The usual file extension of a format.
pub fn extension(format: ImageFormat) -> &'static str {
    format.extensions_str().first().copied().unwrap_or("png")
}

/// `image` as the bytes of a file in `format`; alpha is dropped for JPEG, and GIF is
/// always written as RGBA.
pub fn encode(image: &Image, format: ImageFormat) -> Result<Vec<u8>, CodecError> {
    let dynamic = to_dynamic(image)?;
    // JPEG and BMP cannot carry alpha; GIF wants RGBA.
    let dynamic = match format {
        ImageFormat::Jpeg if image.has_alpha() => drop_alpha(dynamic),
        ImageFormat::Gif => DynamicImage::ImageRgba8(dynamic.to_rgba8()),
        _ => dynamic,
    };
    let mut out = Cursor::new(Vec::new());
    dynamic
        .write_to(&mut out, format)
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(out.into_inner())
}

fn drop_alpha(image: DynamicImage) -> DynamicImage {
    if image.color().has_color() {
        DynamicImage::ImageRgb8(image.to_rgb8())
    } else {
        DynamicImage::ImageLuma8(image.to_luma8())
    }
}

fn to_dynamic(image: &Image) -> Result<DynamicImage, CodecError> {
    let (w, h, data) = (image.width, image.height, image.data.clone());
    let bad = || CodecError::Encode("bad sample count".into());
    Ok(match image.channels {
        1 => DynamicImage::ImageLuma8(image::ImageBuffer::from_raw(w, h, data).ok_or_else(bad)?),
        2 => DynamicImage::ImageLumaA8(image::ImageBuffer::from_raw(w, h, data).ok_or_else(bad)?),
        3 => DynamicImage::ImageRgb8(image::ImageBuffer::from_raw(w, h, data).ok_or_else(bad)?),
        _ => DynamicImage::ImageRgba8(image::ImageBuffer::from_raw(w, h, data).ok_or_else(bad)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(channels: u8) -> Image {
        let mut image = Image::new(7, 5, channels);
        for (i, v) in image.data.iter_mut().enumerate() {
            *v = (i * 37 % 256) as u8;
        }
        image
    }

    #[test]
    fn every_common_format_decodes_to_eight_bit_samples() {
        // (format, channels written, channels read back)
        let cases = [
            (ImageFormat::Png, 1, 1),
            (ImageFormat::Png, 2, 2),
            (ImageFormat::Png, 3, 3),
            (ImageFormat::Png, 4, 4),
            (ImageFormat::Jpeg, 3, 3),
            (ImageFormat::Jpeg, 1, 1),
            (ImageFormat::Bmp, 3, 3),
            (ImageFormat::Tiff, 3, 3),
            (ImageFormat::Gif, 3, 4),
            (ImageFormat::WebP, 4, 4),
        ];
        for (format, written, read) in cases {
            let bytes = encode(&sample(written), format).expect("encodes");
            let (image, found) = decode(&bytes).expect("decodes");
            assert_eq!(
                (found, image.width, image.height, image.channels),
                (format, 7, 5, read),
                "{format:?}"
            );
        }
    }

    #[test]
    fn lossless_formats_round_trip_exactly() {
        for format in [ImageFormat::Png, ImageFormat::Bmp, ImageFormat::Tiff] {
            let image = sample(3);
            let (back, _) = decode(&encode(&image, format).expect("encodes")).expect("decodes");
            assert!(back == image, "{format:?}");
        }
    }

    #[test]
    fn outputs_keep_writable_formats_and_fall_back_to_png() {
        assert_eq!(output_format(ImageFormat::Jpeg), ImageFormat::Jpeg);
        assert_eq!(output_format(ImageFormat::WebP), ImageFormat::Png);
        assert!(matches!(decode(b"not a picture"), Err(CodecError::UnknownFormat)));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\ntruncated"),
            Err(CodecError::Decode(_))
        ));
    }

    #[test]
    fn each_failure_has_its_own_code() {
        let codes = [
            CodecError::UnknownFormat.code(),
            CodecError::Decode(String::new()).code(),
            CodecError::Encode(String::new()).code(),
        ];
        assert_eq!(
            codes,
            [
                "image_unknown_format",
                "image_decode_failed",
                "image_encode_failed"
            ]
        );
        let failed = decode(b"\x89PNG\r\n\x1a\ntruncated").expect_err("truncated");
        assert_eq!(failed.code(), "image_decode_failed");
    }
}
