//! Median filter with BORDER_REPLICATE (as `cv2.medianBlur`), for any odd window
//! `width` x `height`. All channels, alpha included, are filtered alike.
//!
//! - 3x3 and 5x5: min/max networks over whole rows. Each column of the window is sorted
//!   first (3 or 9 compare-exchanges per sample, shared by every window holding that
//!   column), then a fixed network picks the median of the sorted columns (12 min/max
//!   for 3x3, 124 for 5x5). Every operation is a `u8` min or max over a row of samples,
//!   which LLVM turns into `pminub`/`pmaxub` on 16 or 32 samples at once.
//! - other windows of up to [`NETWORK_MAX_AREA`] samples (when their networks are
//!   small enough): the same two stages with networks built at run time for the shape
//!   (see `network.rs`), run on 64 samples at a time.
//! - larger windows: Perreault and Hébert's constant-time median, with a 256-bin
//!   histogram per image column (plus 16 coarse bins) slid down the image, and the
//!   window's histogram slid along each row from them; fine bins are brought up to
//!   date only for the coarse bin holding the median.

use super::border::{Border, fill_border};
use super::network::{LANES, Lanes, Network};
use crate::image::Image;
use crate::simd::simd_kernel;

/// Windows up to this many samples use min/max networks when those need at most
/// [`NETWORK_MAX_OPERATIONS`] min/max per sample (9x9 takes about 950, 7x7 about 400);
/// other windows use histograms, which cost about as much as 1000 network operations
/// on small windows (measured on the 512x512 RGB benchmark picture).
pub(super) const NETWORK_MAX_AREA: usize = 81;
const NETWORK_MAX_OPERATIONS: usize = 1000;

/// Samples per chunk in the fixed-network loops (one AVX2 register of `u8`).
const CHUNK: usize = 32;

pub(super) fn median(image: &Image, width: u32, height: u32) -> Image {
    let (w, h) = (odd_window(width), odd_window(height));
    if image.data.is_empty() || (w == 1 && h == 1) {
        return image.clone();
    }
    match (w, h) {
        (3, 3) => median_3x3(image),
        (5, 5) => median_5x5(image),
        _ if w * h <= NETWORK_MAX_AREA => {
            let networks = MedianNetworks::new(w, h);
            if networks.operations() <= NETWORK_MAX_OPERATIONS {
                median_networks(image, &networks)
            } else {
                median_histogram(image, w, h)
            }
        }
        _ => median_histogram(image, w, h),
    }
}

/// The median through run-time networks, whatever their size (for tests).
#[cfg(test)]
pub(super) fn median_network(image: &Image, w: usize, h: usize) -> Image {
    median_networks(image, &MedianNetworks::new(w, h))
}

/// An odd window side: even values are rounded up, and at most 255 (so that window
/// counts fit 16 bits).
fn odd_window(side: u32) -> usize {
    (side.clamp(1, 255) | 1) as usize
}

simd_kernel! {
    fn median_3x3(image: &Image) -> Image = median_3x3_kernel;
}
simd_kernel! {
    fn median_5x5(image: &Image) -> Image = median_5x5_kernel;
}
simd_kernel! {
    fn median_networks(image: &Image, networks: &MedianNetworks) -> Image = median_network_kernel;
}
simd_kernel! {
    pub(super) fn median_histogram(image: &Image, w: usize, h: usize) -> Image = median_histogram_kernel;
}

/// The input row a window row reads, with the border repeated.
fn clamped_row(image: &Image, y: isize) -> &[u8] {
    image.row(Border::Replicate.index(y, image.height as usize) as u32)
}

/// `CHUNK` samples side by side: each min or max below is one vector instruction.
type Chunk = [u8; CHUNK];

/// `CHUNK` samples of `s` from `at` on, by value.
#[inline(always)]
fn load(s: &[u8], at: usize) -> Chunk {
    s[at..at + CHUNK].try_into().expect("a whole chunk")
}

#[inline(always)]
fn min(a: Chunk, b: Chunk) -> Chunk {
    let mut m = [0; CHUNK];
    for l in 0..CHUNK {
        m[l] = a[l].min(b[l]);
    }
    m
}

#[inline(always)]
fn max(a: Chunk, b: Chunk) -> Chunk {
    let mut m = [0; CHUNK];
    for l in 0..CHUNK {
        m[l] = a[l].max(b[l]);
    }
    m
}

#[inline(always)]
fn median_3x3_kernel(image: &Image) -> Image {
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
fn chunks_mut(s: &mut [u8]) -> &mut [Chunk] {
    s.as_chunks_mut::<CHUNK>().0
}

/// A whole number of chunks as arrays, so that loops over them need no bounds checks.
#[inline(always)]
fn chunks(s: &[u8]) -> &[Chunk] {
    s.as_chunks::<CHUNK>().0
}

#[inline(always)]
fn median3(a: Chunk, b: Chunk, c: Chunk) -> Chunk {
    max(min(a, b), min(max(a, b), c))
}

#[inline(always)]
fn median_5x5_kernel(image: &Image) -> Image {
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

/// The median of each 5x5 window of a row chunk, from its 5 sorted columns: `sorted[r]`
/// holds rank `r` of every column, `base` is the chunk's start and `step` the distance
/// between pixels (the channel count).
///
/// Generated offline with the construction of `network.rs` (Batcher's odd-even merges
/// of the sorted columns, compare-exchanges of values already known to be ordered left
/// out, then only what rank 12 of 25 depends on kept), merging as the tree
/// ((0 1) (2 (3 4))), the shape needing the fewest operations (124). Checked on every
/// 0-1 input by `tests::the_5x5_network_finds_every_median` (the 0-1 principle) and
/// against a plain sort by the filter tests.
#[inline(always)]
fn median_of_sorted_5x5(sorted: &[Vec<u8>; 5], base: usize, step: usize) -> Chunk {
    // cJR: rank R of the column J pixels right of the window's left edge.
    let at = |j: usize, r: usize| load(&sorted[r], base + j * step);
    let c00 = at(0, 0);
    let c01 = at(0, 1);
    let c02 = at(0, 2);
    let c03 = at(0, 3);
    let c04 = at(0, 4);
    let c10 = at(1, 0);
    let c11 = at(1, 1);
    let c12 = at(1, 2);
    let c13 = at(1, 3);
    let c14 = at(1, 4);
    let c20 = at(2, 0);
    let c21 = at(2, 1);
    let c22 = at(2, 2);
    let c23 = at(2, 3);
    let c24 = at(2, 4);
    let c30 = at(3, 0);
    let c31 = at(3, 1);
    let c32 = at(3, 2);
    let c33 = at(3, 3);
    let c34 = at(3, 4);
    let c40 = at(4, 0);
    let c41 = at(4, 1);
    let c42 = at(4, 2);
    let c43 = at(4, 3);
    let c44 = at(4, 4);
    let v25 = min(c00, c10);
    let v26 = max(c00, c10);
    let v27 = min(c04, c14);
    let v28 = max(c04, c14);
    let v29 = min(v27, v26);
    let v30 = max(v27, v26);
    let v31 = min(c02, c12);
    let v32 = max(c02, c12);
    let v33 = min(v31, v29);
    let v34 = max(v31, v29);
    let v35 = min(v32, v30);
    let v36 = max(v32, v30);
    let v37 = min(c01, c11);
    let v38 = max(c01, c11);
    let v39 = min(c03, c13);
    let v40 = max(c03, c13);
    let v41 = min(v39, v38);
    let v42 = max(v39, v38);
    let v43 = min(v37, v33);
    let v44 = max(v37, v33);
    let v45 = min(v41, v34);
    let v46 = max(v41, v34);
    let v47 = min(v42, v35);
    let v48 = max(v42, v35);
    let v49 = min(v40, v36);
    let v50 = max(v40, v36);
    let v51 = min(c30, c40);
    let v52 = max(c30, c40);
    let v53 = min(c34, c44);
    let v54 = max(c34, c44);
    let v55 = min(v53, v52);
    let v56 = max(v53, v52);
    let v57 = min(c32, c42);
    let v58 = max(c32, c42);
    let v59 = min(v57, v55);
    let v60 = max(v57, v55);
    let v61 = min(v58, v56);
    let v62 = max(v58, v56);
    let v63 = min(c31, c41);
    let v64 = max(c31, c41);
    let v65 = min(c33, c43);
    let v66 = max(c33, c43);
    let v67 = min(v65, v64);
    let v68 = max(v65, v64);
    let v69 = min(v63, v59);
    let v70 = max(v63, v59);
    let v71 = min(v67, v60);
    let v72 = max(v67, v60);
    let v73 = min(v68, v61);
    let v74 = max(v68, v61);
    let v75 = min(v66, v62);
    let v76 = max(v66, v62);
    let v77 = min(c20, v51);
    let v78 = max(c20, v51);
    let v79 = min(v76, v78);
    let v80 = max(v76, v78);
    let v81 = min(c24, v72);
    let v82 = max(c24, v72);
    let v83 = min(v81, v79);
    let v84 = max(v81, v79);
    let v85 = min(v82, v80);
    let v86 = max(v82, v80);
    let v87 = min(c22, v70);
    let v88 = max(c22, v70);
    let v89 = min(v74, v88);
    let v90 = max(v74, v88);
    let v91 = min(v87, v83);
    let v92 = max(v87, v83);
    let v93 = min(v89, v84);
    let v94 = max(v89, v84);
    let v95 = min(v90, v85);
    let v96 = max(v90, v85);
    let v97 = min(c21, v69);
    let v98 = max(c21, v69);
    let v99 = min(v54, v98);
    let v100 = max(v54, v98);
    let v101 = min(v73, v99);
    let v102 = max(v73, v99);
    let v103 = min(c23, v71);
    let v104 = max(c23, v71);
    let v105 = min(v75, v104);
    let v106 = max(v75, v104);
    let v107 = min(v103, v101);
    let v108 = max(v103, v101);
    let v109 = min(v105, v102);
    let v110 = max(v105, v102);
    let v111 = min(v106, v100);
    let v112 = max(v106, v100);
    let v113 = min(v97, v91);
    let v114 = max(v97, v91);
    let v115 = min(v107, v92);
    let v116 = max(v107, v92);
    let v117 = min(v108, v93);
    let v118 = max(v108, v93);
    let v119 = min(v109, v94);
    let v120 = max(v109, v94);
    let v121 = min(v110, v95);
    let v122 = max(v110, v95);
    let v123 = min(v111, v96);
    let v124 = max(v111, v96);
    let v125 = min(v112, v86);
    let v128 = max(v25, v77);
    let v129 = min(v50, v120);
    let v132 = max(v129, v128);
    let v134 = max(v46, v116);
    let v135 = min(v124, v134);
    let v139 = min(v135, v132);
    let v144 = max(v44, v114);
    let v145 = min(v122, v144);
    let v147 = min(v48, v118);
    let v152 = max(v147, v145);
    let v160 = max(v152, v139);
    let v168 = max(v43, v113);
    let v169 = min(v28, v121);
    let v172 = max(v169, v168);
    let v174 = max(v47, v117);
    let v175 = min(v125, v174);
    let v179 = min(v175, v172);
    let v184 = max(v45, v115);
    let v185 = min(v123, v184);
    let v187 = min(v49, v119);
    let v190 = max(v187, v185);
    let v197 = min(v190, v179);
    max(v197, v160)
}

#[inline(always)]
fn median_network_kernel(image: &Image, networks: &MedianNetworks) -> Image {
    let MedianNetworks {
        w,
        h,
        vertical,
        horizontal,
    } = networks;
    let (w, h) = (*w, *h);
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let n = iw * c;
    let (rx, ry) = ((w / 2) as isize, (h / 2) as isize);
    let blocks = n.div_ceil(LANES);
    // sorted[r]: the r-th smallest of each column, rx pixels of border each side.
    let padded = n + (w - 1) * c;
    let mut sorted = vec![vec![0u8; blocks * LANES + (w - 1) * c]; h];
    let mut vertical_slots: Vec<Lanes> = vec![[0; LANES]; vertical.slots];
    let mut horizontal_slots: Vec<Lanes> = vec![[0; LANES]; horizontal.slots];
    let mut out_row = vec![0u8; blocks * LANES];
    let mut out = Vec::with_capacity(n * ih);
    let middle = rx as usize * c;
    for y in 0..ih as isize {
        let rows: Vec<&[u8]> = (0..h as isize).map(|k| clamped_row(image, y + k - ry)).collect();
        for block in 0..blocks {
            let base = block * LANES;
            let len = LANES.min(n - base);
            for &(slot, k) in &vertical.inputs {
                vertical_slots[slot][..len].copy_from_slice(&rows[k][base..base + len]);
            }
            vertical.run(&mut vertical_slots);
            for (column, &slot) in sorted.iter_mut().zip(&vertical.outputs) {
                column[middle + base..middle + base + LANES].copy_from_slice(&vertical_slots[slot]);
            }
        }
        for column in &mut sorted {
            fill_border(&mut column[..padded], c, rx as usize, iw, Border::Replicate);
        }
        for (block, o) in out_row.chunks_exact_mut(LANES).enumerate() {
            let base = block * LANES;
            for &(slot, input) in &horizontal.inputs {
                let (j, r) = (input / h, input % h);
                horizontal_slots[slot].copy_from_slice(&sorted[r][base + j * c..base + j * c + LANES]);
            }
            horizontal.run(&mut horizontal_slots);
            o.copy_from_slice(&horizontal_slots[horizontal.outputs[0]]);
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

/// The two stages of a `w` x `h` median: sorting columns, merging them.
pub(super) struct MedianNetworks {
    w: usize,
    h: usize,
    vertical: Network,
    horizontal: Network,
}

impl MedianNetworks {
    fn new(w: usize, h: usize) -> Self {
        Self {
            w,
            h,
            vertical: Network::sort(h),
            horizontal: Network::median_of_sorted_columns(w, h),
        }
    }

    /// Min/max operations per output sample (a column sort is shared by `w` outputs
    /// but done once per sample).
    fn operations(&self) -> usize {
        self.vertical.operations() + self.horizontal.operations()
    }
}

/// Bins of the fine histogram under one coarse bin.
const FINE: usize = 16;
type Bins = [u16; FINE];

#[inline(always)]
fn bins(slice: &[u16], at: usize) -> &Bins {
    slice[at * FINE..at * FINE + FINE].try_into().expect("16 bins")
}

/// `acc + add - sub`, lane by lane (one 256-bit operation each with AVX2).
#[inline(always)]
fn add_sub(acc: Bins, add: &Bins, sub: &Bins) -> Bins {
    let (add, sub) = (*add, *sub);
    std::array::from_fn(|k| acc[k].wrapping_add(add[k]).wrapping_sub(sub[k]))
}

#[inline(always)]
fn add(acc: Bins, add: &Bins) -> Bins {
    let add = *add;
    std::array::from_fn(|k| acc[k].wrapping_add(add[k]))
}

/// Index of the bin holding the value of rank `rank`, given `below` values in lower
/// bins; returns it with the count below it.
#[inline(always)]
fn find(bins: &Bins, mut below: u32, rank: u32) -> (usize, u32) {
    for (i, &count) in bins.iter().enumerate() {
        let next = below + count as u32;
        if next > rank {
            return (i, below);
        }
        below = next;
    }
    (FINE - 1, below)
}

#[inline(always)]
fn median_histogram_kernel(image: &Image, w: usize, h: usize) -> Image {
    let c = image.channels as usize;
    let (iw, ih) = (image.width as usize, image.height as usize);
    let stride = iw * c;
    let (rx, ry) = ((w / 2) as isize, (h / 2) as isize);
    let rank = (w * h / 2) as u32;
    let column = |x: isize| Border::Replicate.index(x, iw);
    let row = |y: isize| Border::Replicate.index(y, ih);
    let mut out = vec![0u8; image.data.len()];
    // Per image column: 256 fine bins (16 per coarse bin) and 16 coarse bins.
    let mut fine = vec![0u16; iw * 256];
    let mut coarse = vec![0u16; iw * FINE];
    for ch in 0..c {
        fine.fill(0);
        coarse.fill(0);
        let samples = |y: usize| {
            image.data[y * stride..(y + 1) * stride]
                .iter()
                .skip(ch)
                .step_by(c)
        };
        for dy in -ry..=ry {
            for (x, &v) in samples(row(dy)).enumerate() {
                fine[x * 256 + v as usize] += 1;
                coarse[x * FINE + (v >> 4) as usize] += 1;
            }
        }
        for y in 0..ih {
            if y > 0 {
                let (leave, enter) = (row(y as isize - 1 - ry), row(y as isize + ry));
                if leave != enter {
                    for (x, (&o, &i)) in samples(leave).zip(samples(enter)).enumerate() {
                        fine[x * 256 + o as usize] -= 1;
                        coarse[x * FINE + (o >> 4) as usize] -= 1;
                        fine[x * 256 + i as usize] += 1;
                        coarse[x * FINE + (i >> 4) as usize] += 1;
                    }
                }
            }
            // The window's coarse histogram, slid along the row; its fine histograms,
            // per coarse bin, with the x they were last right for.
            let mut window = [0u16; FINE];
            for dx in -rx..=rx {
                window = add(window, bins(&coarse, column(dx)));
            }
            let mut window_fine = [[0u16; FINE]; FINE];
            let mut synced = [usize::MAX; FINE];
            let out_row = &mut out[y * stride..(y + 1) * stride];
            for x in 0..iw {
                let xi = x as isize;
                if x > 0 {
                    let (enter, leave) = (column(xi + rx), column(xi - rx - 1));
                    if enter != leave {
                        window = add_sub(window, bins(&coarse, enter), bins(&coarse, leave));
                    }
                }
                let (bin, below) = find(&window, 0, rank);
                let mut segment = window_fine[bin];
                let last = synced[bin];
                if last != usize::MAX && x - last <= 2 * rx as usize {
                    for step in last as isize + 1..=xi {
                        let (enter, leave) = (column(step + rx), column(step - rx - 1));
                        segment = add_sub(
                            segment,
                            bins(&fine, enter * FINE + bin),
                            bins(&fine, leave * FINE + bin),
                        );
                    }
                } else {
                    segment = [0; FINE];
                    for dx in -rx..=rx {
                        segment = add(segment, bins(&fine, column(xi + dx) * FINE + bin));
                    }
                }
                window_fine[bin] = segment;
                synced[bin] = x;
                let (value, _) = find(&segment, below, rank);
                out_row[x * c + ch] = (bin * FINE + value) as u8;
            }
        }
    }
    Image {
        width: image.width,
        height: image.height,
        channels: image.channels,
        data: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_5x5_network_finds_every_median() {
        // Every combination of sorted 0-1 columns (6^5 of them), CHUNK per call: lane l
        // of column j lies at j * CHUNK + l in each rank's row.
        let combinations: Vec<[usize; 5]> = (0..6usize.pow(5))
            .map(|mut i| {
                std::array::from_fn(|_| {
                    let ones = i % 6;
                    i /= 6;
                    ones
                })
            })
            .collect();
        for batch in combinations.chunks(CHUNK) {
            let mut sorted: [Vec<u8>; 5] = std::array::from_fn(|_| vec![0; 5 * CHUNK]);
            for (l, ones) in batch.iter().enumerate() {
                for (j, &k) in ones.iter().enumerate() {
                    for (r, rank) in sorted.iter_mut().enumerate() {
                        rank[j * CHUNK + l] = u8::from(r >= 5 - k);
                    }
                }
            }
            let medians = median_of_sorted_5x5(&sorted, 0, CHUNK);
            for (l, ones) in batch.iter().enumerate() {
                let total: usize = ones.iter().sum();
                assert_eq!(medians[l], u8::from(total >= 13), "ones per column {ones:?}");
            }
        }
    }
}
