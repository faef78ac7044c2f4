//! Flips, rotation, resizing and cropping.
//!
//! Every kernel matches its OpenCV counterpart (the goldens in
//! `fixtures/preprocess/golden` come from `fixtures/preprocess/golden_geometry.py`):
//! flips and crops are plain copies, rotation follows `cv2.warpAffine` (OpenCV 5's
//! float bilinear kernel), resizing follows `cv2.resize(INTER_LINEAR)` bit for bit.

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
fn mirror_rows<const CN: usize>(out: &mut [u8], input: &[u8], stride: usize) {
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
fn inverse_rotation(w: usize, h: usize, degrees: f32) -> [f32; 6] {
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

/// 1.5 * 2^23: adding it to an `f32` below 2^22 rounds the value to the nearest
/// integer, ties to even (like `cvRound`), without SSE4.1's `roundps`.
const ROUND_MAGIC: f32 = 12_582_912.0;

/// `cvRound` of a value known to lie in about `[-2^22, 2^22]`, in integer lanes (the
/// low mantissa bits of `v + ROUND_MAGIC`), so that loops of it vectorise.
#[inline(always)]
fn round_bits(v: f32) -> u32 {
    (v + ROUND_MAGIC).to_bits().wrapping_sub(ROUND_MAGIC.to_bits())
}

/// `floor` for the coordinates (no libm call on baseline x86-64).
#[inline(always)]
fn floor_i32(v: f32) -> i32 {
    let t = v as i32;
    t - i32::from((t as f32) > v)
}

/// `floor` of a value within `[-2^22, 2^22]`, with no saturating conversion (which
/// does not vectorise well): round to nearest with the magic constant, then step down
/// where that went up.
#[inline(always)]
fn floor_small(v: f32) -> i32 {
    let r = round_bits(v) as i32;
    r - i32::from(r as f32 > v)
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
fn warp_rows<const CN: usize, const FMA: bool>(src: &[u8], w: usize, h: usize, out: &mut [u8], m: &[f32; 6]) {
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

/// OpenCV's `INTER_RESIZE_COEF_BITS`: the bilinear weights are in 1/2048 steps.
const COEF_SCALE: f32 = 2048.0;

/// Resized to `width` x `height` (`height` 0: keep the aspect ratio), bilinear with
/// pixel centres at +0.5, like `cv2.resize(img, (width, height), interpolation=INTER_LINEAR)`.
///
/// Bit for bit OpenCV's fixed-point algorithm: 11-bit weights per column and row,
/// a horizontal pass into `i32` (kept as `u16` after OpenCV's `>> 4`), and the vertical
/// blend `((h0 * b0) >> 16) + ((h1 * b1) >> 16) + 2) >> 2` of its SIMD kernel. An exact
/// halving (the benchmark's case) takes a shortcut that gives the same numbers:
/// `(a + b + c + d + 2) >> 2` of each 2x2 block.
pub fn resize(image: &Image, width: u32, height: u32) -> Image {
    let (sw, sh) = (image.width as usize, image.height as usize);
    let height = if height == 0 {
        if sw == 0 {
            1
        } else {
            ((f64::from(width) * sh as f64 / sw as f64).round() as u32).max(1)
        }
    } else {
        height
    };
    let mut out = Image::new(width, height, image.channels);
    if sw == 0 || sh == 0 || width == 0 || height == 0 {
        return out;
    }
    let (dw, dh) = (width as usize, height as usize);
    match image.channels {
        1 => resize_cn::<1>(&image.data, sw, sh, &mut out.data, dw, dh),
        2 => resize_cn::<2>(&image.data, sw, sh, &mut out.data, dw, dh),
        3 => resize_cn::<3>(&image.data, sw, sh, &mut out.data, dw, dh),
        _ => resize_cn::<4>(&image.data, sw, sh, &mut out.data, dw, dh),
    }
    out
}

/// For one destination column or row: the first source index, unclamped, and the
/// fraction, as OpenCV computes them (`(float)((d + 0.5) * scale - 0.5)`).
fn source_position(d: usize, scale: f64) -> (i64, f32) {
    let f = ((d as f64 + 0.5) * scale - 0.5) as f32;
    let s = floor_i32(f);
    (i64::from(s), f - s as f32)
}

/// `saturate_cast<short>(w * 2048)`: rounded half to even.
fn coefficient(w: f32) -> i32 {
    ((w * COEF_SCALE + ROUND_MAGIC) - ROUND_MAGIC) as i32
}

/// One destination column of the horizontal pass: the offset of the left pixel's first
/// sample in the source row and the two weights.
#[derive(Clone, Copy)]
struct Tap {
    offset: usize,
    a0: i32,
    a1: i32,
}

fn resize_cn<const CN: usize>(src: &[u8], sw: usize, sh: usize, out: &mut [u8], dw: usize, dh: usize) {
    let (sstride, dstride) = (sw * CN, dw * CN);
    if sw == 2 * dw && sh == 2 * dh {
        halve::<CN>(src, sstride, out, dstride);
        return;
    }
    let scale_x = 1.0 / (dw as f64 / sw as f64);
    let scale_y = 1.0 / (dh as f64 / sh as f64);
    let taps: Vec<Tap> = (0..dw)
        .map(|dx| {
            let (mut sx, mut fx) = source_position(dx, scale_x);
            if sx < 0 {
                (sx, fx) = (0, 0.0);
            }
            if sx >= sw as i64 - 1 {
                (sx, fx) = (sw as i64 - 1, 0.0);
            }
            let (mut a0, mut a1) = (coefficient(1.0 - fx), coefficient(fx));
            let mut sx = sx as usize;
            // Keep both taps inside the row: the last pixel (weight 1) becomes the
            // right tap of the pixel before it (weight 0); same sum.
            if sx + 1 >= sw && sw >= 2 {
                sx = sw - 2;
                (a0, a1) = (a1, a0);
            }
            Tap {
                offset: sx * CN,
                a0,
                a1,
            }
        })
        .collect();

    // Two horizontally resized source rows (`>> 4`, as OpenCV's SIMD vertical pass
    // takes them), reused while consecutive destination rows share source rows.
    let mut rows = [vec![0u16; dstride], vec![0u16; dstride]];
    let mut held: [Option<usize>; 2] = [None, None];
    for (dy, orow) in out.chunks_exact_mut(dstride).enumerate() {
        let (sy, fy) = source_position(dy, scale_y);
        let (b0, b1) = (coefficient(1.0 - fy) as u16, coefficient(fy) as u16);
        let r0 = sy.clamp(0, sh as i64 - 1) as usize;
        let r1 = (sy + 1).clamp(0, sh as i64 - 1) as usize;
        if held[0] != Some(r0) {
            if held[1] == Some(r0) {
                rows.swap(0, 1);
                held.swap(0, 1);
            } else {
                horizontal::<CN>(&src[r0 * sstride..(r0 + 1) * sstride], &taps, &mut rows[0]);
                held[0] = Some(r0);
            }
        }
        if held[1] != Some(r1) {
            horizontal::<CN>(&src[r1 * sstride..(r1 + 1) * sstride], &taps, &mut rows[1]);
            held[1] = Some(r1);
        }
        vertical(&rows[0], &rows[1], b0, b1, orow);
    }
}

/// One source row resampled horizontally: `(p0 * a0 + p1 * a1) >> 4` per sample.
fn horizontal<const CN: usize>(row: &[u8], taps: &[Tap], out: &mut [u16]) {
    if row.len() < 2 * CN {
        // A one-pixel-wide source: every tap is that pixel with weight 2048.
        for o in out.chunks_exact_mut(CN) {
            for (o, &p) in o.iter_mut().zip(row) {
                *o = u16::from(p) << 7;
            }
        }
        return;
    }
    let last = row.len() - 2 * CN;
    for (o, tap) in out.chunks_exact_mut(CN).zip(taps) {
        // `min` is a no-op (taps are built inside the row); it proves the bound.
        let start = tap.offset.min(last);
        let pair = &row[start..start + 2 * CN];
        for c in 0..CN {
            let v = i32::from(pair[c]) * tap.a0 + i32::from(pair[c + CN]) * tap.a1;
            o[c] = (v >> 4) as u16;
        }
    }
}

/// OpenCV's `VResizeLinearVec_32s8u`: `mulhi` products, `+ 2 >> 2`, saturated to u8.
/// Every value is non-negative, so unsigned `u16` lanes (`pmulhuw`, which the compiler
/// finds where it misses the signed form) give the same numbers.
fn vertical(h0: &[u16], h1: &[u16], b0: u16, b1: u16, out: &mut [u8]) {
    let mulhi = |a: u16, b: u16| ((u32::from(a) * u32::from(b)) >> 16) as u16;
    for ((o, &a), &b) in out.iter_mut().zip(h0).zip(h1) {
        let v = mulhi(a, b0) + mulhi(b, b1);
        *o = ((v + 2) >> 2).min(255) as u8;
    }
}

/// Exact halving: the mean of each 2x2 block, `(a + b + c + d + 2) >> 2`, which is what
/// the bilinear weights (1024 each) give through OpenCV's fixed-point passes too.
///
/// Per destination row, the mean of every sample with the one a pixel to its right, in
/// byte lanes; then every other pixel of that is kept.
fn halve<const CN: usize>(src: &[u8], sstride: usize, out: &mut [u8], dstride: usize) {
    let mut means = vec![0u8; sstride];
    let n = sstride - CN;
    for (orow, pair) in out.chunks_exact_mut(dstride).zip(src.chunks_exact(2 * sstride)) {
        let (top, bottom) = pair.split_at(sstride);
        let (top, top_right, bottom, bottom_right) = (&top[..n], &top[CN..], &bottom[..n], &bottom[CN..]);
        for ((((m, &a), &b), &c), &d) in means[..n]
            .iter_mut()
            .zip(top)
            .zip(top_right)
            .zip(bottom)
            .zip(bottom_right)
        {
            *m = mean4(a, b, c, d);
        }
        for (o, m) in orow.chunks_exact_mut(CN).zip(means.chunks_exact(2 * CN)) {
            o.copy_from_slice(&m[..CN]);
        }
    }
}

/// `(a + b + 1) >> 1`: SSE2's `pavgb`.
#[inline(always)]
fn average(a: u8, b: u8) -> u8 {
    ((u16::from(a) + u16::from(b) + 1) >> 1) as u8
}

/// `(a + b + c + d + 2) >> 2` without leaving byte lanes: the average of the two
/// averages rounds up once too often exactly when `a + b` or `c + d` is odd (it was
/// rounded up) and the two averages' sum is odd (rounded up again).
#[inline(always)]
fn mean4(a: u8, b: u8, c: u8, d: u8) -> u8 {
    let (x, y) = (average(a, b), average(c, d));
    average(x, y) - (((a ^ b) | (c ^ d)) & (x ^ y) & 1)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_close, load};

    const INPUTS: [&str; 3] = ["rgb", "gray", "rgba"];

    fn input(name: &str) -> Image {
        load(&format!("inputs/{name}.png"))
    }

    /// Made-up pictures of every channel count, with distinct samples.
    fn synthetic(width: u32, height: u32, channels: u8) -> Image {
        let mut image = Image::new(width, height, channels);
        for (i, v) in image.data.iter_mut().enumerate() {
            *v = (i * 37 % 251) as u8;
        }
        image
    }

    #[test]
    fn flips_match_opencv() {
        for name in INPUTS {
            let image = input(name);
            // Exact copies: tolerance 0 on every sample.
            assert_close(
                &flip_vertical(&image),
                &format!("golden/flip_vertical_{name}.png"),
                0,
                0.0,
            );
            assert_close(
                &flip_horizontal(&image),
                &format!("golden/flip_horizontal_{name}.png"),
                0,
                0.0,
            );
        }
    }

    #[test]
    fn flips_undo_themselves_for_every_channel_count() {
        for channels in 1..=4 {
            for width in [1, 2, 15, 16, 17, 33] {
                let image = synthetic(width, 5, channels);
                assert_eq!(flip_vertical(&flip_vertical(&image)), image);
                let mirrored = flip_horizontal(&image);
                assert_eq!(flip_horizontal(&mirrored), image);
                let cn = channels as usize;
                assert_eq!(&mirrored.row(2)[..cn], &image.row(2)[(width as usize - 1) * cn..]);
            }
        }
    }

    #[test]
    fn rotate_matches_opencv() {
        for (degrees, label, name) in [(30.0, "30", "rgb"), (30.0, "30", "gray"), (-45.0, "m45", "rgba")] {
            let out = rotate(&input(name), degrees);
            // Within 1 level on at least 99% of the samples: OpenCV's float rounding
            // may differ at a few places (in practice none differ at all).
            assert_close(&out, &format!("golden/rotate_{label}_{name}.png"), 1, 0.01);
        }
        for name in ["gray", "rgb"] {
            // A quarter turn moves pixel centres onto pixel centres: exact.
            assert_close(
                &rotate(&input(name), 90.0),
                &format!("golden/rotate_90_{name}.png"),
                0,
                0.0,
            );
        }
    }

    #[test]
    fn quarter_turns_are_exact_on_a_square() {
        for channels in 1..=4 {
            let image = synthetic(9, 9, channels);
            let cn = channels as usize;
            let left = rotate(&image, 90.0);
            let right = rotate(&image, -90.0);
            let half = rotate(&image, 180.0);
            for y in 0..9 {
                for x in 0..9 {
                    let at = |img: &Image, x: usize, y: usize| {
                        img.data[(y * 9 + x) * cn..(y * 9 + x + 1) * cn].to_vec()
                    };
                    // Counter-clockwise: the top row goes to the left column.
                    assert_eq!(at(&left, y, 8 - x), at(&image, x, y));
                    assert_eq!(at(&right, 8 - y, x), at(&image, x, y));
                    assert_eq!(at(&half, 8 - x, 8 - y), at(&image, x, y));
                }
            }
            assert_eq!(rotate(&image, 360.0), image);
            assert_eq!(rotate(&image, 0.0), image);
        }
    }

    #[test]
    fn rotation_blackens_the_corners_alpha_included() {
        let mut image = Image::new(20, 20, 4);
        image.data.fill(200);
        let out = rotate(&image, 45.0);
        assert_eq!(&out.data[..4], &[0, 0, 0, 0]);
        let centre = (10 * 20 + 10) * 4;
        assert_eq!(&out.data[centre..centre + 4], &[200, 200, 200, 200]);
    }

    #[test]
    fn resize_matches_opencv() {
        for ((w, h), name) in [
            ((100, 60), "rgb"),
            ((31, 23), "rgba"),
            ((32, 24), "gray"),
            ((32, 24), "rgb"),
            ((150, 37), "gray"),
        ] {
            let out = resize(&input(name), w, h);
            // Within 1 level on every sample (the fixed-point arithmetic is OpenCV's,
            // so in practice every sample is equal).
            assert_close(&out, &format!("golden/resize_{w}x{h}_{name}.png"), 1, 0.0);
        }
    }

    #[test]
    fn resize_keeps_the_aspect_ratio_when_height_is_zero() {
        let image = input("rgb"); // 64x48
        let out = resize(&image, 100, 0);
        assert_eq!((out.width, out.height, out.channels), (100, 75, 3));
        assert_eq!(out, resize(&image, 100, 75));
        let tiny = resize(&image, 1, 0);
        assert_eq!((tiny.width, tiny.height), (1, 1));
        let tall = resize(&synthetic(3, 100, 1), 1, 0);
        assert_eq!((tall.width, tall.height), (1, 33));
    }

    #[test]
    fn resize_to_the_same_size_is_a_copy() {
        for channels in 1..=4 {
            let image = synthetic(13, 7, channels);
            assert_eq!(resize(&image, 13, 7), image);
        }
    }

    #[test]
    fn crop_matches_opencv() {
        for ((w, h), name) in [((40, 30), "rgb"), ((40, 30), "rgba"), ((21, 17), "gray")] {
            // Exact copies: tolerance 0 on every sample.
            assert_close(
                &crop_center(&input(name), w, h),
                &format!("golden/crop_{w}x{h}_{name}.png"),
                0,
                0.0,
            );
        }
    }

    #[test]
    fn crop_larger_than_the_image_keeps_its_sides() {
        let image = input("rgb"); // 64x48
        assert_eq!(crop_center(&image, 1000, 1000), image);
        let wide = crop_center(&image, 1000, 10);
        assert_eq!((wide.width, wide.height), (64, 10));
        assert_eq!(wide.row(0), image.row(19));
        let narrow = crop_center(&image, 3, 1000);
        assert_eq!((narrow.width, narrow.height), (3, 48));
        assert_eq!(narrow.row(5), &image.row(5)[30 * 3..33 * 3]);
    }

    #[test]
    fn order_matters() {
        let image = input("rgb");
        // An off-centre crop (48 - 20 = 28 rows removed, 14 above and 14 below, but
        // 64 - 21 = 43 columns: 21 left, 22 right) is not symmetric left to right.
        let a = crop_center(&flip_horizontal(&image), 21, 20);
        let b = flip_horizontal(&crop_center(&image, 21, 20));
        assert_ne!(a, b);
        // Rows: 48 - 19 = 29 removed, 14 above and 15 below.
        let c = crop_center(&flip_vertical(&image), 30, 19);
        let d = flip_vertical(&crop_center(&image, 30, 19));
        assert_ne!(c, d);
    }

    #[test]
    fn every_channel_count_works() {
        for channels in 1..=4 {
            let image = synthetic(17, 11, channels);
            for out in [
                flip_vertical(&image),
                flip_horizontal(&image),
                rotate(&image, 33.0),
                crop_center(&image, 5, 4),
            ] {
                assert_eq!(out.channels, channels);
                assert_eq!(
                    out.data.len(),
                    out.width as usize * out.height as usize * channels as usize
                );
            }
            for (w, h) in [(8, 5), (40, 23), (34, 22), (17, 11), (3, 30)] {
                let out = resize(&image, w, h);
                assert_eq!((out.width, out.height, out.channels), (w, h, channels));
            }
        }
    }

    #[test]
    fn resize_is_within_one_of_exact_bilinear() {
        // A horizontal ramp resized keeps being a ramp: samples within 1 of the
        // floating-point bilinear value.
        let mut image = Image::new(10, 4, 1);
        for (i, v) in image.data.iter_mut().enumerate() {
            *v = ((i % 10) * 25) as u8;
        }
        let out = resize(&image, 25, 4);
        for (x, &v) in out.row(1).iter().enumerate() {
            let sx = ((x as f64 + 0.5) * 10.0 / 25.0 - 0.5).clamp(0.0, 9.0);
            let expected = sx * 25.0;
            assert!((f64::from(v) - expected).abs() <= 1.0, "x {x}: {v} vs {expected}");
        }
    }

    #[test]
    fn a_single_pixel_survives_everything() {
        for channels in 1..=4 {
            let image = synthetic(1, 1, channels);
            assert_eq!(flip_vertical(&image), image);
            assert_eq!(flip_horizontal(&image), image);
            assert_eq!(crop_center(&image, 5, 5), image);
            assert_eq!(rotate(&image, 0.0), image);
            let _ = rotate(&image, 30.0);
            assert_eq!(resize(&image, 1, 1), image);
            let big = resize(&image, 3, 2);
            assert!(
                big.data
                    .chunks_exact(channels as usize)
                    .all(|p| p == image.data.as_slice())
            );
            let _ = resize(&image, 4, 0);
        }
    }

    #[test]
    fn the_portable_kernels_agree_with_the_dispatched_ones() {
        // The run-time dispatch takes the SSSE3/AVX2 builds on most machines; the
        // baseline ones must give the same bytes.
        for width in [1, 5, 16, 17, 47, 48, 64, 100] {
            let image = synthetic(width, 3, 3);
            let stride = image.stride();
            let mut portable = vec![0; image.data.len()];
            mirror_rows::<3>(&mut portable, &image.data, stride);
            assert_eq!(portable, flip_horizontal(&image).data, "width {width}");
        }
        for name in INPUTS {
            let image = input(name);
            let (w, h) = (image.width as usize, image.height as usize);
            for degrees in [30.0, -45.0, 90.0, 7.5] {
                let m = inverse_rotation(w, h, degrees);
                let mut portable = vec![0; image.data.len()];
                match image.channels {
                    1 => warp_rows::<1, false>(&image.data, w, h, &mut portable, &m),
                    3 => warp_rows::<3, false>(&image.data, w, h, &mut portable, &m),
                    _ => warp_rows::<4, false>(&image.data, w, h, &mut portable, &m),
                }
                assert_eq!(portable, rotate(&image, degrees).data, "{name} {degrees}");
            }
        }
    }

    #[test]
    fn the_fast_floor_is_floor() {
        for i in -40_000..40_000 {
            let v = i as f32 * 0.037_5 + 0.001;
            assert_eq!(floor_small(v), v.floor() as i32, "{v}");
            assert_eq!(floor_i32(v), v.floor() as i32, "{v}");
        }
        for v in [-1.0, -0.5, 0.0, 0.5, 1.0, 2.5, -2.5, 4_000_000.5, -4_000_000.5] {
            assert_eq!(floor_small(v), v.floor() as i32, "{v}");
        }
    }

    #[test]
    fn mean4_is_the_rounded_mean() {
        for a in (0..=255u8).step_by(3) {
            for b in (0..=255u8).step_by(5) {
                for c in [0u8, 1, 2, 3, 100, 127, 128, 254, 255] {
                    for d in 0..=255u8 {
                        let exact =
                            ((u16::from(a) + u16::from(b) + u16::from(c) + u16::from(d) + 2) >> 2) as u8;
                        assert_eq!(mean4(a, b, c, d), exact, "{a} {b} {c} {d}");
                    }
                }
            }
        }
    }

    #[test]
    fn tiny_images_do_not_panic() {
        for channels in 1..=4 {
            for (w, h) in [(2, 2), (3, 2), (2, 3), (1, 4), (4, 1)] {
                let image = synthetic(w, h, channels);
                for degrees in [0.0, 10.0, 45.0, 90.0, -135.0, f32::NAN, f32::INFINITY] {
                    let out = rotate(&image, degrees);
                    assert_eq!(out.data.len(), image.data.len());
                }
                assert_eq!(rotate(&image, 0.0), image);
                assert_eq!(flip_horizontal(&flip_horizontal(&image)), image);
                for (dw, dh) in [(1, 1), (5, 7), (1, 3), (4, 0)] {
                    let out = resize(&image, dw, dh);
                    assert_eq!(
                        out.data.len(),
                        out.width as usize * out.height as usize * channels as usize
                    );
                }
                assert_eq!(crop_center(&image, 1, 1).data.len(), channels as usize);
            }
        }
    }

    #[test]
    fn empty_images_do_not_panic() {
        let empty = Image::new(0, 0, 3);
        assert_eq!(flip_vertical(&empty), empty);
        assert_eq!(flip_horizontal(&empty), empty);
        assert_eq!(rotate(&empty, 10.0), empty);
        assert_eq!(crop_center(&empty, 3, 3), empty);
        assert_eq!(resize(&empty, 2, 2).data, vec![0; 12]);
    }
}
