//! Large windows: Perreault and Hébert's constant-time median over sliding histograms.

use crate::image::Image;
use crate::ops::filters::border::Border;

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
pub(super) fn median_histogram_kernel(image: &Image, w: usize, h: usize) -> Image {
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
