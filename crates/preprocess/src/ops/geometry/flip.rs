//! Flips: whole rows copied in reverse order, or every row mirrored pixel by pixel.

use crate::image::Image;

/// Upside down, like `cv2.flip(img, 0)`: whole rows copied into their mirrored place.
pub fn flip_vertical(image: &Image) -> Image {
    let stride = image.stride();
    let mut data = Vec::with_capacity(image.data.len());
    if stride > 0 {
        for row in image.data.chunks_exact(stride).rev() {
            data.extend_from_slice(row);
        }
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data,
    }
}

/// Mirrored left to right, like `cv2.flip(img, 1)`.
pub fn flip_horizontal(image: &Image) -> Image {
    let stride = image.stride();
    let mut data = vec![0u8; image.data.len()];
    if stride > 0 {
        match image.channels {
            1 => mirror_rows::<1>(&mut data, &image.data, stride),
            2 => mirror_rows::<2>(&mut data, &image.data, stride),
            3 => mirror_rows_rgb(&mut data, &image.data, stride),
            _ => mirror_rows::<4>(&mut data, &image.data, stride),
        }
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data,
    }
}

/// Every row mirrored. For 1, 2 and 4 channels the compiler vectorises the reversal
/// of bytes, `u16`s or `u32`s by itself.
#[inline(always)]
pub(super) fn mirror_rows<const CN: usize>(out: &mut [u8], input: &[u8], stride: usize) {
    for (o, i) in out.chunks_exact_mut(stride).zip(input.chunks_exact(stride)) {
        mirror_row::<CN>(o, i);
    }
}

/// Three channels: with SSSE3, blocks of 16 pixels (three 16-byte vectors), each
/// output vector a constant byte shuffle (`pshufb`) of two input vectors; chosen at run
/// time. Baseline SSE2 has no byte shuffle, and the same code compiled for it (or, by
/// LLVM, for AVX2: 40 us against 25 us for 512x512) is slower than pixel by pixel.
#[allow(unsafe_code)]
fn mirror_rows_rgb(out: &mut [u8], input: &[u8], stride: usize) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("ssse3") {
        // SAFETY: the CPU supports SSSE3 (checked just above), which is all that calling
        // this `#[target_feature(enable = "ssse3")]` function (safe code) requires.
        return unsafe { mirror_rows_rgb_ssse3(out, input, stride) };
    }
    mirror_rows::<3>(out, input, stride);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
fn mirror_rows_rgb_ssse3(out: &mut [u8], input: &[u8], stride: usize) {
    for (o, i) in out.chunks_exact_mut(stride).zip(input.chunks_exact(stride)) {
        mirror_row_rgb_blocks(o, i);
    }
}

/// Reverses the order of the `CN`-sample pixels of `input` into `out` (same length).
#[inline(always)]
fn mirror_row<const CN: usize>(out: &mut [u8], input: &[u8]) {
    for (o, i) in out.chunks_exact_mut(CN).zip(input.chunks_exact(CN).rev()) {
        o.copy_from_slice(i);
    }
}

/// Where output byte `j` of a block of 16 three-sample pixels comes from.
const fn mirror_permutation() -> [usize; 48] {
    let mut p = [0; 48];
    let mut j = 0;
    while j < 48 {
        p[j] = (15 - j / 3) * 3 + j % 3;
        j += 1;
    }
    p
}

#[inline(always)]
fn mirror_row_rgb_blocks(out: &mut [u8], input: &[u8]) {
    const PERMUTATION: [usize; 48] = mirror_permutation();
    let mut out_blocks = out.chunks_exact_mut(48);
    let mut in_blocks = input.rchunks_exact(48);
    for (o, i) in (&mut out_blocks).zip(&mut in_blocks) {
        // Always 48 bytes; as an array the indexing below needs no checks.
        let Ok(i) = <&[u8; 48]>::try_from(i) else { continue };
        let vector = |k: usize| -> [u8; 16] { std::array::from_fn(|j| i[16 * k + j]) };
        let (a, b, c) = (vector(0), vector(1), vector(2));
        let pick = |j: usize| {
            let s = PERMUTATION[j];
            match s / 16 {
                0 => a[s],
                1 => b[s - 16],
                _ => c[s - 32],
            }
        };
        for (k, o) in o.chunks_exact_mut(16).enumerate() {
            let v: [u8; 16] = std::array::from_fn(|j| pick(16 * k + j));
            o.copy_from_slice(&v);
        }
    }
    mirror_row::<3>(out_blocks.into_remainder(), in_blocks.remainder());
}
