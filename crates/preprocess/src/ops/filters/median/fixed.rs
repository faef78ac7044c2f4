//! 3x3 and 5x5 medians: columns sorted with fixed networks over whole rows of chunks,
//! then a fixed network over the sorted columns.

use super::clamped_row;
use super::lanes::{CHUNK, Chunk, chunks, chunks_mut, max, median3, min};
use super::merge_5x5::median_of_sorted_5x5;
use crate::image::Image;
use crate::ops::filters::border::{Border, fill_border};

#[inline(always)]
pub(super) fn median_3x3_kernel(image: &Image) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    let width = n.div_ceil(CHUNK) * CHUNK;
    // Sorted columns (low, middle, high), one pixel of border each side, and slack so
    // that whole chunks can be read.
    let (mut lo, mut mid, mut hi) = (
        vec![0u8; width + 2 * c],
        vec![0u8; width + 2 * c],
        vec![0u8; width + 2 * c],
    );
    let mut out_row = vec![0u8; width];
    let mut out = Vec::with_capacity(n * ih);
    for y in 0..ih as isize {
        let row = |y: isize| image.row(Border::Replicate.index(y, ih) as u32);
        {
            let (a, b, d) = (row(y - 1), row(y), row(y + 1));
            let (l, m, h) = (&mut lo[c..c + n], &mut mid[c..c + n], &mut hi[c..c + n]);
            // Whole chunks, then the rest one by one.
            let whole = n / CHUNK;
            let (ac, bc, dc) = (chunks(a), chunks(b), chunks(d));
            let (lc, mc, hc) = (chunks_mut(l), chunks_mut(m), chunks_mut(h));
            for i in 0..whole {
                let (x, y) = (min(ac[i], bc[i]), max(ac[i], bc[i]));
                let (y, z) = (min(y, dc[i]), max(y, dc[i]));
                (lc[i], mc[i], hc[i]) = (min(x, y), max(x, y), z);
            }
            for i in whole * CHUNK..n {
                let (x, y) = (a[i].min(b[i]), a[i].max(b[i]));
                let (y, z) = (y.min(d[i]), y.max(d[i]));
                (l[i], m[i], h[i]) = (x.min(y), x.max(y), z);
            }
        }
        for column in [&mut lo, &mut mid, &mut hi] {
            fill_border(&mut column[..n + 2 * c], c, 1, iw, Border::Replicate);
        }
        // Each sorted row seen from 0, 1 and 2 pixels on.
        let (l0, l1, l2) = (
            chunks(&lo[..width]),
            chunks(&lo[c..c + width]),
            chunks(&lo[2 * c..2 * c + width]),
        );
        let (m0, m1, m2) = (
            chunks(&mid[..width]),
            chunks(&mid[c..c + width]),
            chunks(&mid[2 * c..2 * c + width]),
        );
        let (h0, h1, h2) = (
            chunks(&hi[..width]),
            chunks(&hi[c..c + width]),
            chunks(&hi[2 * c..2 * c + width]),
        );
        let o = chunks_mut(&mut out_row);
        for i in 0..width / CHUNK {
            // The largest low, the median middle and the smallest high of the three
            // columns hold the median.
            let low = max(max(l0[i], l1[i]), l2[i]);
            let high = min(min(h0[i], h1[i]), h2[i]);
            o[i] = median3(low, median3(m0[i], m1[i], m2[i]), high);
        }
        out.extend_from_slice(&out_row[..n]);
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}

#[inline(always)]
pub(super) fn median_5x5_kernel(image: &Image) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    let width = n.div_ceil(CHUNK) * CHUNK;
    // sorted[r]: the r-th smallest of each column, two pixels of border each side
    // (and slack so that whole chunks can be read).
    let mut sorted: [Vec<u8>; 5] = std::array::from_fn(|_| vec![0u8; width + 4 * c]);
    let mut out_row = vec![0u8; width];
    let mut out = Vec::with_capacity(n * ih);
    for y in 0..ih as isize {
        let rows: [&[u8]; 5] = std::array::from_fn(|k| clamped_row(image, y + k as isize - 2));
        {
            let [s0, s1, s2, s3, s4] = &mut sorted;
            let mut interior = [s0, s1, s2, s3, s4].map(|s| &mut s[2 * c..2 * c + n]);
            // Whole chunks, then the rest one by one.
            let whole = n / CHUNK;
            {
                let [r0, r1, r2, r3, r4] = rows.map(chunks);
                let [o0, o1, o2, o3, o4] = interior.each_mut().map(|s| chunks_mut(s));
                for i in 0..whole {
                    [o0[i], o1[i], o2[i], o3[i], o4[i]] = sort5([r0[i], r1[i], r2[i], r3[i], r4[i]]);
                }
            }
            for i in whole * CHUNK..n {
                let mut v = rows.map(|r| r[i]);
                for (a, b) in [
                    (0, 1),
                    (3, 4),
                    (2, 4),
                    (2, 3),
                    (0, 3),
                    (0, 2),
                    (1, 4),
                    (1, 3),
                    (1, 2),
                ] {
                    (v[a], v[b]) = (v[a].min(v[b]), v[a].max(v[b]));
                }
                for (s, v) in interior.iter_mut().zip(v) {
                    s[i] = v;
                }
            }
        }
        for column in &mut sorted {
            fill_border(&mut column[..n + 4 * c], c, 2, iw, Border::Replicate);
        }
        for (base, o) in (0..width).step_by(CHUNK).zip(out_row.chunks_exact_mut(CHUNK)) {
            o.copy_from_slice(&median_of_sorted_5x5(&sorted, base, c));
        }
        out.extend_from_slice(&out_row[..n]);
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}

/// Sorts 5 values per lane with 9 compare-exchanges (an optimal network).
#[inline(always)]
fn sort5(v: [Chunk; 5]) -> [Chunk; 5] {
    let [a, b, c, d, e] = v;
    let (a, b) = (min(a, b), max(a, b));
    let (d, e) = (min(d, e), max(d, e));
    let (c, e) = (min(c, e), max(c, e));
    let (c, d) = (min(c, d), max(c, d));
    let (a, d) = (min(a, d), max(a, d));
    let (a, c) = (min(a, c), max(a, c));
    let (b, e) = (min(b, e), max(b, e));
    let (b, d) = (min(b, d), max(b, d));
    let (b, c) = (min(b, c), max(b, c));
    [a, b, c, d, e]
}
