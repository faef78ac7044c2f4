//! Max and average pooling (square windows, no padding, PyTorch's floor mode),
//! one channel plane per parallel task. Max pooling records where each maximum
//! came from, so its backward pass is a scatter.

use rayon::prelude::*;

/// The shapes of one pooling layer for one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PoolGeometry {
    pub channels: usize,
    pub h: usize,
    pub w: usize,
    pub size: usize,
    pub stride: usize,
    pub oh: usize,
    pub ow: usize,
}

impl PoolGeometry {
    pub(crate) fn new([channels, h, w]: [usize; 3], size: usize, stride: usize) -> Self {
        Self {
            channels,
            h,
            w,
            size,
            stride,
            oh: (h - size) / stride + 1,
            ow: (w - size) / stride + 1,
        }
    }
}

/// Max pooling of every plane of `x` into `y`; `argmax` gets each output's index
/// within its input plane (the first maximum in scan order, or the last NaN, as
/// PyTorch's CPU kernel).
pub(crate) fn max_forward(x: &[f32], g: &PoolGeometry, y: &mut [f32], argmax: &mut [u32]) {
    let (plane, out) = (g.h * g.w, g.oh * g.ow);
    y.par_chunks_exact_mut(out)
        .zip(argmax.par_chunks_exact_mut(out))
        .zip(x.par_chunks_exact(plane))
        .for_each(|((y, idx), x)| {
            if g.size == 2 && g.stride == 2 {
                max_plane_2x2(x, g, y, idx);
            } else {
                max_plane(x, g, y, idx);
            }
        });
}

/// Whether `v` takes over from the running maximum `max` (PyTorch's rule).
#[inline(always)]
fn takes_over(v: f32, max: f32) -> bool {
    v > max || v.is_nan()
}

fn max_plane(x: &[f32], g: &PoolGeometry, y: &mut [f32], idx: &mut [u32]) {
    for oy in 0..g.oh {
        for ox in 0..g.ow {
            let (y0, x0) = (oy * g.stride, ox * g.stride);
            let mut best = y0 * g.w + x0;
            let mut max = x[best];
            for iy in y0..y0 + g.size {
                let row = iy * g.w + x0;
                for (ix, &v) in x[row..row + g.size].iter().enumerate() {
                    if takes_over(v, max) {
                        max = v;
                        best = row + ix;
                    }
                }
            }
            y[oy * g.ow + ox] = max;
            idx[oy * g.ow + ox] = best as u32;
        }
    }
}

/// The common 2x2 window with stride 2, without the general loop's bookkeeping
/// (no bounds checks, selects instead of branches).
fn max_plane_2x2(x: &[f32], g: &PoolGeometry, y: &mut [f32], idx: &mut [u32]) {
    let w = g.w;
    for (oy, (y, idx)) in y
        .chunks_exact_mut(g.ow)
        .zip(idx.chunks_exact_mut(g.ow))
        .enumerate()
    {
        let top = 2 * oy * w;
        let (r0, r1) = (&x[top..top + w], &x[top + w..top + 2 * w]);
        let mut at = top as u32;
        for (((o, i), a), b) in y
            .iter_mut()
            .zip(idx.iter_mut())
            .zip(r0.chunks_exact(2))
            .zip(r1.chunks_exact(2))
        {
            let (mut max, mut best) = (a[0], at);
            for (v, here) in [(a[1], at + 1), (b[0], at + w as u32), (b[1], at + w as u32 + 1)] {
                let take = takes_over(v, max);
                max = if take { v } else { max };
                best = if take { here } else { best };
            }
            *o = max;
            *i = best;
            at += 2;
        }
    }
}

/// Sends each output gradient to the input that was the maximum (`dx` overwritten).
pub(crate) fn max_backward(dy: &[f32], g: &PoolGeometry, argmax: &[u32], dx: &mut [f32]) {
    let (plane, out) = (g.h * g.w, g.oh * g.ow);
    dx.par_chunks_exact_mut(plane)
        .zip(dy.par_chunks_exact(out))
        .zip(argmax.par_chunks_exact(out))
        .for_each(|((dx, dy), idx)| {
            dx.fill(0.0);
            for (&i, &d) in idx.iter().zip(dy) {
                dx[i as usize] += d;
            }
        });
}

/// Average pooling of every plane of `x` into `y`.
pub(crate) fn avg_forward(x: &[f32], g: &PoolGeometry, y: &mut [f32]) {
    let (plane, out) = (g.h * g.w, g.oh * g.ow);
    let scale = 1.0 / (g.size * g.size) as f32;
    y.par_chunks_exact_mut(out)
        .zip(x.par_chunks_exact(plane))
        .for_each(|(y, x)| {
            for oy in 0..g.oh {
                for ox in 0..g.ow {
                    let (y0, x0) = (oy * g.stride, ox * g.stride);
                    let sum: f32 = (y0..y0 + g.size)
                        .map(|iy| x[iy * g.w + x0..iy * g.w + x0 + g.size].iter().sum::<f32>())
                        .sum();
                    y[oy * g.ow + ox] = sum * scale;
                }
            }
        });
}

/// Spreads each output gradient evenly over its window (`dx` overwritten).
pub(crate) fn avg_backward(dy: &[f32], g: &PoolGeometry, dx: &mut [f32]) {
    let (plane, out) = (g.h * g.w, g.oh * g.ow);
    let scale = 1.0 / (g.size * g.size) as f32;
    dx.par_chunks_exact_mut(plane)
        .zip(dy.par_chunks_exact(out))
        .for_each(|(dx, dy)| {
            dx.fill(0.0);
            for oy in 0..g.oh {
                for ox in 0..g.ow {
                    let d = dy[oy * g.ow + ox] * scale;
                    let (y0, x0) = (oy * g.stride, ox * g.stride);
                    for iy in y0..y0 + g.size {
                        for v in &mut dx[iy * g.w + x0..iy * g.w + x0 + g.size] {
                            *v += d;
                        }
                    }
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_pool_keeps_the_first_maximum_and_routes_its_gradient() {
        // NaN wins (the last one), as in PyTorch.
        let g = PoolGeometry::new([1, 2, 2], 2, 2);
        for (x, at) in [([1.0, f32::NAN, 2.0, f32::NAN], 3), ([3.0, 1.0, 3.0, 2.0], 0)] {
            let (mut fast, mut fast_idx) = (vec![0.0; 1], vec![0; 1]);
            let (mut general, mut general_idx) = (vec![0.0; 1], vec![0; 1]);
            max_plane_2x2(&x, &g, &mut fast, &mut fast_idx);
            max_plane(&x, &g, &mut general, &mut general_idx);
            assert_eq!((fast_idx[0], general_idx[0]), (at, at));
        }
        // One 4x5 plane, 2x2 windows, stride 2 (the last column is dropped).
        let x = [
            1.0, 3.0, 3.0, 0.0, 9.0, //
            2.0, 3.0, 1.0, 3.0, 9.0, //
            0.0, -1.0, 5.0, 5.0, 9.0, //
            -2.0, 4.0, 5.0, 6.0, 9.0,
        ];
        let g = PoolGeometry::new([1, 4, 5], 2, 2);
        let (mut y, mut idx) = (vec![0.0; 4], vec![0; 4]);
        max_forward(&x, &g, &mut y, &mut idx);
        assert_eq!(y, [3.0, 3.0, 4.0, 6.0]);
        assert_eq!(idx, [1, 2, 16, 18]);
        let mut dx = vec![7.0; 20];
        max_backward(&[1.0, 2.0, 3.0, 4.0], &g, &idx, &mut dx);
        let mut expected = [0.0; 20];
        expected[1] = 1.0;
        expected[2] = 2.0;
        expected[16] = 3.0;
        expected[18] = 4.0;
        assert_eq!(dx, expected);
    }

    #[test]
    fn overlapping_windows_add_their_gradients() {
        let x = [0.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let g = PoolGeometry::new([1, 3, 3], 2, 1);
        let (mut y, mut idx) = (vec![0.0; 4], vec![0; 4]);
        max_forward(&x, &g, &mut y, &mut idx);
        assert_eq!(y, [5.0, 5.0, 1.0, 1.0]);
        let mut dx = vec![0.0; 9];
        max_backward(&[1.0, 1.0, 1.0, 1.0], &g, &idx, &mut dx);
        assert_eq!(dx, [0.0, 2.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0]);
        let mut avg = vec![0.0; 4];
        avg_forward(&x, &g, &mut avg);
        assert_eq!(avg, [1.5, 1.5, 0.25, 0.25]);
        avg_backward(&[4.0, 0.0, 0.0, 0.0], &g, &mut dx);
        assert_eq!(dx, [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
    }
}
