//! Medians of other small windows through networks built for their shape at run time
//! (see `network.rs`).

use super::clamped_row;
use super::network::{LANES, Lanes, Network};
use crate::image::Image;
use crate::ops::filters::border::{Border, fill_border};

#[inline(always)]
pub(super) fn median_network_kernel(image: &Image, networks: &MedianNetworks) -> Image {
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
    pub(super) fn new(w: usize, h: usize) -> Self {
        Self {
            w,
            h,
            vertical: Network::sort(h),
            horizontal: Network::median_of_sorted_columns(w, h),
        }
    }

    /// Min/max operations per output sample (a column sort is shared by `w` outputs
    /// but done once per sample).
    pub(super) fn operations(&self) -> usize {
        self.vertical.operations() + self.horizontal.operations()
    }
}
