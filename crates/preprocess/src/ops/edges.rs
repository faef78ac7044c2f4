//! Edge detection: Canny, like `cv2.Canny(gray, low, high)` (aperture 3, L1 gradient).

use std::borrow::Cow;

use crate::image::Image;

/// OpenCV's `tan(22.5°)` in 15-bit fixed point (`CANNY_SHIFT = 15`).
const TG22: i32 = 13573;

/// In the map: a local maximum above `low` (an edge if it touches a strong one).
const CANDIDATE: u8 = 0;
/// In the map: not an edge.
const NONE: u8 = 1;
/// In the map: an edge.
const EDGE: u8 = 2;

/// White (255) edges on black, one channel.
///
/// The gray image first (RGB: BT.601 as `cv2.cvtColor(BGR2GRAY)` computes it,
/// `(R*9798 + G*19235 + B*3735 + 16384) >> 15`; gray + alpha: the gray channel), then
/// OpenCV's Canny: 3x3 Sobel `dx`, `dy` with replicated borders, magnitude `|dx| + |dy|`,
/// non-maximum suppression along the gradient's direction quantised to 0°, 45°, 90° or
/// 135° (with `tan 22.5°` in fixed point, ties broken as OpenCV does), then hysteresis:
/// a local maximum with magnitude `> floor(high)` is an edge, and so is one `> floor(low)`
/// 8-connected to an edge. `low > high` are swapped.
pub fn canny(image: &Image, low: f32, high: f32) -> Image {
    let (w, h) = (image.width as usize, image.height as usize);
    let mut out = Image::new(image.width, image.height, 1);
    if w == 0 || h == 0 {
        return out;
    }
    let (low, high) = if low > high { (high, low) } else { (low, high) };
    let (low, high) = (threshold(low), threshold(high));
    let gray = gray(image);

    // The map has a one-pixel frame of NONE so neighbours never need a bounds test.
    let mstride = w + 2;
    let mut map = vec![NONE; mstride * (h + 2)];
    let mut stack: Vec<usize> = Vec::new();

    // Magnitudes of the previous, current and next rows, with a zero on either side;
    // the gradient of the current and next rows.
    let mut mags = [vec![0i16; w + 2], vec![0i16; w + 2], vec![0i16; w + 2]];
    let mut grads = [(vec![0i16; w], vec![0i16; w]), (vec![0i16; w], vec![0i16; w])];
    let mut scratch = (vec![0i16; w + 2], vec![0i16; w + 2]);
    let row = |y: usize| &gray[y * w..(y + 1) * w];
    sobel_row(row(0), row(0), row(1.min(h - 1)), &mut grads[1], &mut scratch);
    magnitude(&grads[1], &mut mags[2]);
    for y in 0..h {
        // Shift: next becomes current, current becomes previous.
        mags.rotate_left(1);
        grads.swap(0, 1);
        if y + 1 < h {
            let below = row((y + 2).min(h - 1));
            sobel_row(row(y), row(y + 1), below, &mut grads[1], &mut scratch);
            magnitude(&grads[1], &mut mags[2]);
        } else {
            mags[2].fill(0);
        }
        let mrow = &mut map[(y + 1) * mstride + 1..(y + 1) * mstride + 1 + w];
        suppress(&mags, &grads[0], low, high, mrow);
        let base = (y + 1) * mstride + 1;
        stack.extend(
            mrow.iter()
                .enumerate()
                .filter(|&(_, &m)| m == EDGE)
                .map(|(x, _)| base + x),
        );
    }

    hysteresis(&mut map, mstride, &mut stack);

    for (o, m) in out
        .data
        .chunks_exact_mut(w)
        .zip(map.chunks_exact(mstride).skip(1))
    {
        for (o, &m) in o.iter_mut().zip(&m[1..=w]) {
            // EDGE (2) -> 255; CANDIDATE (0) and NONE (1) -> 0.
            *o = (m >> 1).wrapping_neg();
        }
    }
    out
}

/// `cvFloor` of a threshold, kept in the range of the magnitudes' type.
fn threshold(t: f32) -> i16 {
    (t.floor() as i32).clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
}

/// The gray samples the detector works on.
fn gray(image: &Image) -> Cow<'_, [u8]> {
    match image.channels {
        1 => Cow::Borrowed(&image.data),
        2 => Cow::Owned(image.data.chunks_exact(2).map(|p| p[0]).collect()),
        3 => Cow::Owned(
            image
                .data
                .chunks_exact(3)
                .map(|p| luma(p[0], p[1], p[2]))
                .collect(),
        ),
        _ => Cow::Owned(
            image
                .data
                .chunks_exact(4)
                .map(|p| luma(p[0], p[1], p[2]))
                .collect(),
        ),
    }
}

/// BT.601 luma in OpenCV's 15-bit fixed point (what `cvtColor(BGR2GRAY)` computes).
#[inline(always)]
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 9798 + u32::from(g) * 19235 + u32::from(b) * 3735 + (1 << 14)) >> 15) as u8
}

/// Sobel `dx` and `dy` of the row `cur` (with the rows above and below it, already
/// replicated at the image's top and bottom), columns replicated at the ends.
fn sobel_row(
    up: &[u8],
    cur: &[u8],
    down: &[u8],
    grad: &mut (Vec<i16>, Vec<i16>),
    scratch: &mut (Vec<i16>, Vec<i16>),
) {
    let w = cur.len();
    let (smooth, diff) = (&mut scratch.0, &mut scratch.1);
    // Vertical passes: [1 2 1] for dx, [-1 0 1] for dy; one padding column either side.
    for ((((s, d), &a), &b), &c) in smooth[1..=w]
        .iter_mut()
        .zip(&mut diff[1..=w])
        .zip(up)
        .zip(cur)
        .zip(down)
    {
        let (a, b, c) = (i16::from(a), i16::from(b), i16::from(c));
        *s = a + 2 * b + c;
        *d = c - a;
    }
    (smooth[0], diff[0]) = (smooth[1], diff[1]);
    (smooth[w + 1], diff[w + 1]) = (smooth[w], diff[w]);
    // Horizontal passes: [-1 0 1] for dx, [1 2 1] for dy.
    let (dx, dy) = (&mut grad.0, &mut grad.1);
    for (((x, y), s), d) in dx
        .iter_mut()
        .zip(dy.iter_mut())
        .zip(smooth.windows(3))
        .zip(diff.windows(3))
    {
        *x = s[2] - s[0];
        *y = d[0] + 2 * d[1] + d[2];
    }
}

fn magnitude(grad: &(Vec<i16>, Vec<i16>), mag: &mut [i16]) {
    for ((m, &x), &y) in mag[1..].iter_mut().zip(&grad.0).zip(&grad.1) {
        *m = x.abs() + y.abs();
    }
}

/// Non-maximum suppression of one row into the map: CANDIDATE, EDGE or NONE.
/// Branch-free (every neighbour is loaded, the right ones selected) so that it
/// vectorises; `i32::from(i16) * TG22` becomes `pmaddwd`.
fn suppress(mags: &[Vec<i16>; 3], grad: &(Vec<i16>, Vec<i16>), low: i16, high: i16, map: &mut [u8]) {
    let w = map.len();
    let (prev, cur, next) = (&mags[0][..w + 2], &mags[1][..w + 2], &mags[2][..w + 2]);
    // The three columns of the three rows around each pixel, each exactly `w` long.
    let (ul, up, ur) = (&prev[..w], &prev[1..=w], &prev[2..]);
    let (left, m, right) = (&cur[..w], &cur[1..=w], &cur[2..]);
    let (dl, down, dr) = (&next[..w], &next[1..=w], &next[2..]);
    let (gx, gy) = (&grad.0[..w], &grad.1[..w]);
    for i in 0..w {
        // Every load up front, so that the choices below are selects, not branches.
        let (dx, dy, m) = (gx[i], gy[i], m[i]);
        let (ul, up, ur, left, right, dl, down, dr) =
            (ul[i], up[i], ur[i], left[i], right[i], dl[i], down[i], dr[i]);
        let x = i32::from(dx.abs());
        let y = i32::from(dy.abs()) << 15;
        let tg22x = x * TG22;
        let tg67x = tg22x + (x << 16);
        let horizontal = y < tg22x;
        let vertical = y > tg67x;
        let same_sign = (dx ^ dy) >= 0;
        // The two neighbours along the gradient; the second need not be strictly
        // smaller except on the diagonals (OpenCV's `>` / `>=`).
        let diagonal1 = if same_sign { ul } else { ur };
        let diagonal2 = if same_sign { dr } else { dl };
        let n1 = if horizontal {
            left
        } else if vertical {
            up
        } else {
            diagonal1
        };
        let n2 = if horizontal {
            right - 1
        } else if vertical {
            down - 1
        } else {
            diagonal2
        };
        let maximum = (m > low) & (m > n1) & (m > n2);
        let strong = m > high;
        // NONE (1) unless a maximum; then EDGE (2) if strong, else CANDIDATE (0).
        map[i] = u8::from(!maximum) | (u8::from(maximum & strong) << 1);
    }
}

/// Grows the edges from the stacked ones into 8-connected candidates.
fn hysteresis(map: &mut [u8], mstride: usize, stack: &mut Vec<usize>) {
    while let Some(i) = stack.pop() {
        // The frame keeps every neighbour of an inner pixel inside the map.
        for start in [i - mstride - 1, i - 1, i + mstride - 1] {
            let Some(three) = map.get_mut(start..start + 3) else {
                continue;
            };
            for (k, m) in three.iter_mut().enumerate() {
                if *m == CANDIDATE {
                    *m = EDGE;
                    stack.push(start + k);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_close, load};

    #[test]
    fn canny_matches_opencv() {
        for ((low, high), name) in [
            ((100.0, 200.0), "rgb"),
            ((50.0, 150.0), "gray"),
            ((30.0, 90.0), "rgba"),
        ] {
            let out = canny(&load(&format!("inputs/{name}.png")), low, high);
            // At most 1% of the pixels differ (edges: tolerance 0, share 0.01).
            assert_close(&out, &format!("golden/edges_{low}_{high}_{name}.png"), 0, 0.01);
        }
    }

    #[test]
    fn gray_matches_opencv_bt601() {
        // cv2.cvtColor(BGR2GRAY) of these samples (OpenCV 5).
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(255, 0, 0), 76);
        assert_eq!(luma(0, 255, 0), 150);
        assert_eq!(luma(0, 0, 255), 29);
        assert_eq!(luma(10, 20, 30), 18);
        // Where the 14-bit weights (4899, 9617, 1868) would be off by one.
        assert_eq!(luma(183, 143, 253), 167);
        assert_eq!(luma(195, 167, 19), 159);
        assert_eq!(luma(140, 239, 82), 192);
    }

    #[test]
    fn swapped_thresholds_are_put_in_order() {
        let image = load("inputs/rgb.png");
        assert_eq!(canny(&image, 200.0, 100.0), canny(&image, 100.0, 200.0));
    }

    #[test]
    fn a_step_gives_a_thin_line() {
        let mut image = Image::new(16, 8, 1);
        for row in image.data.chunks_exact_mut(16) {
            row[8..].fill(200);
        }
        let out = canny(&image, 50.0, 100.0);
        for row in out.data.chunks_exact(16) {
            let edges: Vec<usize> = row
                .iter()
                .enumerate()
                .filter(|(_, v)| **v == 255)
                .map(|(x, _)| x)
                .collect();
            assert_eq!(edges.len(), 1, "{row:?}");
            assert!(edges[0] == 7 || edges[0] == 8);
        }
        assert!(out.data.iter().all(|&v| v == 0 || v == 255));
    }

    #[test]
    fn flat_images_have_no_edges() {
        let mut image = Image::new(9, 7, 3);
        image.data.fill(90);
        assert!(canny(&image, 0.0, 0.0).data.iter().all(|&v| v == 0));
    }

    #[test]
    fn every_channel_count_works() {
        for channels in 1..=4u8 {
            let mut image = Image::new(12, 10, channels);
            for (i, v) in image.data.iter_mut().enumerate() {
                *v = if (i / channels as usize) % 12 < 6 { 20 } else { 220 };
            }
            let out = canny(&image, 100.0, 200.0);
            assert_eq!((out.width, out.height, out.channels), (12, 10, 1));
            assert!(out.data.contains(&255), "channels {channels}");
        }
        // Gray + alpha: the gray channel only.
        let mut ga = Image::new(12, 10, 2);
        for (i, p) in ga.data.chunks_exact_mut(2).enumerate() {
            p[0] = 100;
            p[1] = if i % 12 < 6 { 0 } else { 255 };
        }
        assert!(canny(&ga, 10.0, 20.0).data.iter().all(|&v| v == 0));
    }

    #[test]
    fn tiny_images_do_not_panic() {
        for channels in 1..=4 {
            for (w, h) in [(1, 1), (1, 5), (5, 1), (2, 2), (0, 0)] {
                let mut image = Image::new(w, h, channels);
                image
                    .data
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, v)| *v = (i * 91) as u8);
                let out = canny(&image, 1.0, 2.0);
                assert_eq!(out.data.len(), (w * h) as usize);
            }
        }
    }
}
