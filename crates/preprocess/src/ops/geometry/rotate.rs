//! Rotation about the centre, as `cv2.warpAffine` with OpenCV 5's float bilinear kernel.

use super::rounding::{floor_i32, floor_small, round_bits};
use crate::image::Image;

/// Rotated by `degrees` counter-clockwise about the centre, on the same canvas, black
/// (alpha 0 too) outside; like
/// `cv2.warpAffine(img, cv2.getRotationMatrix2D(((w-1)/2, (h-1)/2), degrees, 1), (w, h),
/// flags=INTER_LINEAR, borderMode=BORDER_CONSTANT, borderValue=0)`.
///
/// OpenCV 5 maps every destination pixel back with the inverted matrix rounded to
/// `f32`: `sx = fma(M0, x, y*M1 + M2)` (the row term in plain `f32`), splits it into
/// `floor` and fraction, and blends the four neighbours in `f32` with fused
/// multiply-adds (`v0 = fma(fx, p01-p00, p00)`, `v1 = fma(fx, p11-p10, p10)`,
/// `v = fma(fy, v1-v0, v0)`), rounded half to even. Neighbours outside the image count
/// as 0. This does the same arithmetic (with hardware FMA where the CPU has it, else
/// exactly-rounded `f64` products), so it agrees with OpenCV to the last bit.
pub fn rotate(image: &Image, degrees: f32) -> Image {
    let (w, h) = (image.width as usize, image.height as usize);
    let mut out = Image::new(image.width, image.height, image.channels);
    if w == 0 || h == 0 {
        return out;
    }
    let m = inverse_rotation(w, h, degrees);
    match image.channels {
        1 => warp::<1>(&image.data, w, h, &mut out.data, &m),
        2 => warp::<2>(&image.data, w, h, &mut out.data, &m),
        3 => warp::<3>(&image.data, w, h, &mut out.data, &m),
        _ => warp::<4>(&image.data, w, h, &mut out.data, &m),
    }
    out
}

/// `cv2.getRotationMatrix2D(((w-1)/2, (h-1)/2), degrees, 1.0)`, inverted the way
/// `cv2.warpAffine` inverts it (destination to source), then rounded to `f32` as its
/// kernel does.
pub(super) fn inverse_rotation(w: usize, h: usize, degrees: f32) -> [f32; 6] {
    // `angle *= CV_PI / 180` in OpenCV: the constant first.
    let angle = f64::from(degrees) * (std::f64::consts::PI / 180.0);
    let (alpha, beta) = (angle.cos(), angle.sin());
    // The centre is a Point2f in OpenCV; (n-1)/2 is exact in f32 for any sane size.
    let cx = f64::from((w as f32 - 1.0) / 2.0);
    let cy = f64::from((h as f32 - 1.0) / 2.0);
    let m = [
        alpha,
        beta,
        (1.0 - alpha) * cx - beta * cy,
        -beta,
        alpha,
        beta * cx + (1.0 - alpha) * cy,
    ];
    let det = m[0] * m[4] - m[1] * m[3];
    let d = if det != 0.0 { 1.0 / det } else { 0.0 };
    let (a11, a22) = (m[4] * d, m[0] * d);
    let (a12, a21) = (-m[1] * d, -m[3] * d);
    let b1 = -a11 * m[2] - a12 * m[5];
    let b2 = -a21 * m[2] - a22 * m[5];
    [a11, a12, b1, a21, a22, b2].map(|v| v as f32)
}

/// OpenCV's blend step, `fma(t, b - a, a)`.
#[inline(always)]
fn lerp<const FMA: bool>(a: f32, b: f32, t: f32) -> f32 {
    fma::<FMA>(t, b - a, a)
}

/// Per-row scratch of the rotation: where each destination pixel comes from, its four
/// neighbours (each pixel's samples packed in a `u32`, little end first) and the result.
struct WarpRow {
    ix: Vec<i32>,
    iy: Vec<i32>,
    fx: Vec<f32>,
    fy: Vec<f32>,
    taps: [Vec<u32>; 4],
    result: Vec<u32>,
}

/// The rotation's kernel, compiled for AVX2 + FMA too (8-lane coordinate and blend
/// passes, one-instruction fused multiply-adds) and chosen at run time.
#[allow(unsafe_code)]
fn warp<const CN: usize>(src: &[u8], w: usize, h: usize, out: &mut [u8], m: &[f32; 6]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above), which is all that
        // calling this `#[target_feature(enable = "avx2,fma")]` function (safe code) requires.
        return unsafe { warp_rows_avx2::<CN>(src, w, h, out, m) };
    }
    warp_rows::<CN, false>(src, w, h, out, m);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn warp_rows_avx2<const CN: usize>(src: &[u8], w: usize, h: usize, out: &mut [u8], m: &[f32; 6]) {
    warp_rows::<CN, true>(src, w, h, out, m);
}

/// `a * b + c` rounded once, as OpenCV's `v_fma`: the FMA instruction where the caller
/// is compiled for it (`HARDWARE`), else in `f64`, where the product of two `f32`s is
/// exact and the sum is rounded to `f64` and then to `f32` (which differs from a single
/// rounding only in the rare case that the `f64` sum lands exactly halfway between two
/// `f32`s).
#[inline(always)]
fn fma<const HARDWARE: bool>(a: f32, b: f32, c: f32) -> f32 {
    if HARDWARE {
        a.mul_add(b, c)
    } else {
        (f64::from(a) * f64::from(b) + f64::from(c)) as f32
    }
}

/// The rotation, row by row in four passes that keep the per-pixel work in simple loops
/// the compiler vectorises: source coordinates; the four neighbours of every pixel
/// gathered (the only scalar pass); the blend, all channels of a pixel at once in `f32`;
/// the result written out.
#[inline(always)]
pub(super) fn warp_rows<const CN: usize, const FMA: bool>(
    src: &[u8],
    w: usize,
    h: usize,
    out: &mut [u8],
    m: &[f32; 6],
) {
    let stride = w * CN;
    let (m0, m3) = (m[0], m[3]);
    // Each row of a 2x2 neighbourhood is read as `CN + 4` bytes from its left pixel (a
    // `u32` at either pixel).
    let quad_len = stride + CN + 4;
    // Neighbourhoods starting below this offset lie wholly inside the image (none do
    // where the image is smaller than one).
    let fast_end = (src.len() + 1).saturating_sub(quad_len);
    let (inner_w, inner_h) = ((w - 1) as u32, (h - 1) as u32);
    let mut row = WarpRow {
        ix: vec![0; w],
        iy: vec![0; w],
        fx: vec![0.0; w],
        fy: vec![0.0; w],
        taps: [vec![0; w], vec![0; w], vec![0; w], vec![0; w]],
        result: vec![0; w],
    };
    // A rotation about the centre maps the canvas within a circle of the diagonal's
    // radius, so below 2^20 pixels a side every coordinate is far below 2^22.
    let small = w.max(h) < 1 << 20;
    let word = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
    for (y, orow) in out.chunks_exact_mut(stride).enumerate() {
        let yf = y as f32;
        let (mx, my) = (yf * m[1] + m[2], yf * m[4] + m[5]);
        let coords = row
            .ix
            .iter_mut()
            .zip(&mut row.iy)
            .zip(&mut row.fx)
            .zip(&mut row.fy);
        if small {
            for ((((ix, iy), fx), fy), x) in coords.zip(0i32..) {
                let xf = x as f32;
                let (sx, sy) = (fma::<FMA>(m0, xf, mx), fma::<FMA>(m3, xf, my));
                (*ix, *iy) = (floor_small(sx), floor_small(sy));
                (*fx, *fy) = (sx - *ix as f32, sy - *iy as f32);
            }
        } else {
            for ((((ix, iy), fx), fy), x) in coords.zip(0i32..) {
                let xf = x as f32;
                let (sx, sy) = (fma::<FMA>(m0, xf, mx), fma::<FMA>(m3, xf, my));
                (*ix, *iy) = (floor_i32(sx), floor_i32(sy));
                (*fx, *fy) = (sx - *ix as f32, sy - *iy as f32);
            }
        }

        let (ixs, iys) = (&row.ix[..w], &row.iy[..w]);
        let [t00, t01, t10, t11] = &mut row.taps;
        let (t00, t01, t10, t11) = (&mut t00[..w], &mut t01[..w], &mut t10[..w], &mut t11[..w]);
        for i in 0..w {
            let (ix, iy) = (ixs[i], iys[i]);
            let ofs = (iy as usize)
                .wrapping_mul(stride)
                .wrapping_add((ix as usize).wrapping_mul(CN));
            let taps = if (ix as u32) < inner_w && (iy as u32) < inner_h && ofs < fast_end {
                let quad = &src[ofs..ofs + quad_len];
                let (top, bottom) = (&quad[..CN + 4], &quad[stride..]);
                [word(top), word(&top[CN..]), word(bottom), word(&bottom[CN..])]
            } else if ix < -1 || iy < -1 || ix >= w as i32 || iy >= h as i32 {
                // Wholly outside: black.
                [0; 4]
            } else {
                border_taps::<CN>(src, w, h, ix, iy)
            };
            (t00[i], t01[i], t10[i], t11[i]) = (taps[0], taps[1], taps[2], taps[3]);
        }

        let [t00, t01, t10, t11] = &row.taps;
        let taps = t00.iter().zip(t01).zip(t10).zip(t11);
        for (((r, (((&a, &b), &c), &d)), &fx), &fy) in
            row.result.iter_mut().zip(taps).zip(&row.fx).zip(&row.fy)
        {
            let mut packed = 0;
            for ch in 0..CN {
                let sample = |v: u32| ((v >> (8 * ch)) & 0xff) as i32 as f32;
                let v0 = lerp::<FMA>(sample(a), sample(b), fx);
                let v1 = lerp::<FMA>(sample(c), sample(d), fx);
                // In [0, 255] up to rounding: `& 0xff` only guards against NaN angles.
                packed |= (round_bits(lerp::<FMA>(v0, v1, fy)) & 0xff) << (8 * ch);
            }
            *r = packed;
        }

        for (o, r) in orow.chunks_exact_mut(CN).zip(&row.result) {
            o.copy_from_slice(&r.to_le_bytes()[..CN]);
        }
    }
}

/// The four neighbours of a pixel on the image's border (some of them outside it,
/// and black), and of the few inner ones whose 4-byte reads would pass the image's end.
#[cold]
#[inline(never)]
fn border_taps<const CN: usize>(src: &[u8], w: usize, h: usize, ix: i32, iy: i32) -> [u32; 4] {
    let tap = |xx: i32, yy: i32| -> u32 {
        if (xx as u32) < w as u32 && (yy as u32) < h as u32 {
            let at = (yy as usize * w + xx as usize) * CN;
            src[at..at + CN]
                .iter()
                .rev()
                .fold(0, |acc, &v| (acc << 8) | u32::from(v))
        } else {
            0
        }
    };
    [tap(ix, iy), tap(ix + 1, iy), tap(ix, iy + 1), tap(ix + 1, iy + 1)]
}
