//! 2-D convolution (NCHW, any stride, asymmetric zero padding) as matrix
//! products over each sample's unfolded windows ("im2col"), forward and backward.
//!
//! Samples run in parallel; each product is single-threaded. The weight gradient
//! is summed per fixed group of samples, then over the groups in order, so the
//! result does not depend on how many threads ran.

use rayon::prelude::*;

use super::matmul::{Threads, View, matmul};
use super::scratch::with_scratch;

/// Most partial weight gradients summed per step (fixed, so results do not depend
/// on the thread count).
const GROUPS: usize = 16;

/// The shapes of one convolution layer for one sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConvGeometry {
    pub cin: usize,
    pub h: usize,
    pub w: usize,
    pub cout: usize,
    pub kh: usize,
    pub kw: usize,
    pub stride: usize,
    pub pad_top: usize,
    pub pad_left: usize,
    pub oh: usize,
    pub ow: usize,
}

impl ConvGeometry {
    /// `weight` is `[cout, cin, kh, kw]`; `padding` is `(begin, end)` for height
    /// then width. The plan guarantees the window fits the padded input.
    pub(crate) fn new(
        [cin, h, w]: [usize; 3],
        [cout, _, kh, kw]: [usize; 4],
        stride: usize,
        [(top, bottom), (left, right)]: [(usize, usize); 2],
    ) -> Self {
        Self {
            cin,
            h,
            w,
            cout,
            kh,
            kw,
            stride,
            pad_top: top,
            pad_left: left,
            oh: (h + top + bottom - kh) / stride + 1,
            ow: (w + left + right - kw) / stride + 1,
        }
    }

    /// Rows of the unfolded matrix (values under one window).
    fn window(&self) -> usize {
        self.cin * self.kh * self.kw
    }

    /// Output positions per channel.
    fn positions(&self) -> usize {
        self.oh * self.ow
    }

    pub(crate) fn input_len(&self) -> usize {
        self.cin * self.h * self.w
    }

    pub(crate) fn output_len(&self) -> usize {
        self.cout * self.positions()
    }

    /// A 1x1 kernel without stride or padding: the input is its own unfolding.
    fn pointwise(&self) -> bool {
        self.kh == 1 && self.kw == 1 && self.stride == 1 && self.oh == self.h && self.ow == self.w
    }

    /// Output columns `[first, end)` whose input column `ox * stride + kj - pad_left`
    /// lies inside the picture.
    fn valid_columns(&self, kj: usize) -> (usize, usize) {
        let (s, pl) = (self.stride, self.pad_left);
        let first = if pl > kj { (pl - kj).div_ceil(s) } else { 0 }.min(self.ow);
        let end = if self.w + pl > kj {
            ((self.w - 1 + pl - kj) / s + 1).min(self.ow)
        } else {
            0
        };
        (first, end.max(first))
    }

    /// For stride 1, the convolution of the output's gradient that gives the input's
    /// gradient: the same kernel flipped (see [`flip_transpose`]), padded so that
    /// each input pixel sees every output it contributed to.
    /// Only where that costs no more than the transposed product (which also
    /// multiplies the padding): when the output is about as large as the input.
    fn transposed(&self) -> Option<Self> {
        let cheaper = 4 * self.h * self.w <= 5 * self.positions();
        (self.stride == 1 && cheaper).then_some(Self {
            cin: self.cout,
            h: self.oh,
            w: self.ow,
            cout: self.cin,
            kh: self.kh,
            kw: self.kw,
            stride: 1,
            pad_top: self.kh - 1 - self.pad_top,
            pad_left: self.kw - 1 - self.pad_left,
            oh: self.h,
            ow: self.w,
        })
    }

    /// The input row of output row `oy` under kernel row `ki`, if inside the picture.
    fn input_row(&self, oy: usize, ki: usize) -> Option<usize> {
        (oy * self.stride + ki)
            .checked_sub(self.pad_top)
            .filter(|&iy| iy < self.h)
    }
}

/// `cols[(ci, ki, kj)][(oy, ox)] = x[ci][oy*s + ki - pt][ox*s + kj - pl]`, zero
/// outside the picture. `x` is one sample `[cin, h, w]`.
fn unfold(x: &[f32], g: &ConvGeometry, cols: &mut [f32]) {
    let (p, s) = (g.positions(), g.stride);
    let mut rows = cols.chunks_exact_mut(p);
    for plane in x.chunks_exact(g.h * g.w) {
        for ki in 0..g.kh {
            for kj in 0..g.kw {
                let Some(row) = rows.next() else { return };
                let (first, end) = g.valid_columns(kj);
                for (oy, out) in row.chunks_exact_mut(g.ow).enumerate() {
                    let Some(iy) = g.input_row(oy, ki) else {
                        out.fill(0.0);
                        continue;
                    };
                    out[..first].fill(0.0);
                    out[end..].fill(0.0);
                    let src = &plane[iy * g.w..(iy + 1) * g.w];
                    let ix0 = first * s + kj - g.pad_left;
                    if s == 1 {
                        out[first..end].copy_from_slice(&src[ix0..ix0 + end - first]);
                    } else {
                        for (o, ix) in out[first..end].iter_mut().zip((ix0..).step_by(s)) {
                            *o = src[ix];
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of [`unfold`]: adds each column value back onto its input pixel.
fn fold_add(cols: &[f32], g: &ConvGeometry, dx: &mut [f32]) {
    let (p, s) = (g.positions(), g.stride);
    let mut rows = cols.chunks_exact(p);
    for plane in dx.chunks_exact_mut(g.h * g.w) {
        for ki in 0..g.kh {
            for kj in 0..g.kw {
                let Some(row) = rows.next() else { return };
                let (first, end) = g.valid_columns(kj);
                for (oy, src) in row.chunks_exact(g.ow).enumerate() {
                    let Some(iy) = g.input_row(oy, ki) else { continue };
                    let out = &mut plane[iy * g.w..(iy + 1) * g.w];
                    let ix0 = first * s + kj - g.pad_left;
                    if s == 1 {
                        for (o, v) in out[ix0..ix0 + end - first].iter_mut().zip(&src[first..end]) {
                            *o += v;
                        }
                    } else {
                        for (v, ix) in src[first..end].iter().zip((ix0..).step_by(s)) {
                            out[ix] += v;
                        }
                    }
                }
            }
        }
    }
}

/// `out[ci][co][ky][kx] = weight[co][ci][kh-1-ky][kw-1-kx]`: the weights of
/// [`ConvGeometry::transposed`].
fn flip_transpose(weight: &[f32], g: &ConvGeometry, out: &mut Vec<f32>) {
    let (kh, kw) = (g.kh, g.kw);
    out.resize(weight.len(), 0.0);
    for co in 0..g.cout {
        for ci in 0..g.cin {
            let src = &weight[(co * g.cin + ci) * kh * kw..][..kh * kw];
            let dst = &mut out[(ci * g.cout + co) * kh * kw..][..kh * kw];
            for (d, s) in dst.iter_mut().zip(src.iter().rev()) {
                *d = *s;
            }
        }
    }
}

/// Memory a convolution's backward pass reuses from step to step.
#[derive(Debug, Default)]
pub(crate) struct BackwardScratch {
    partials: Vec<f32>,
    flipped: Vec<f32>,
}

/// `y = conv(x, weight) + bias` for every sample of `x` (`[n, cin, h, w]` into
/// `[n, cout, oh, ow]`).
pub(crate) fn forward(x: &[f32], g: &ConvGeometry, weight: &[f32], bias: &[f32], y: &mut [f32]) {
    let (k, p) = (g.window(), g.positions());
    y.par_chunks_exact_mut(g.output_len())
        .zip(x.par_chunks_exact(g.input_len()))
        .for_each(|(y, x)| {
            let w = (weight, View::rows(g.cout, k));
            if g.pointwise() {
                matmul(
                    (y, View::rows(g.cout, p)),
                    w,
                    (x, View::rows(k, p)),
                    false,
                    Threads::One,
                );
            } else {
                with_scratch(k * p, |cols| {
                    unfold(x, g, cols);
                    matmul(
                        (y, View::rows(g.cout, p)),
                        w,
                        (cols, View::rows(k, p)),
                        false,
                        Threads::One,
                    );
                });
            }
            for (row, &b) in y.chunks_exact_mut(p).zip(bias) {
                for v in row {
                    *v += b;
                }
            }
        });
}

/// Gradients of a convolution from `dy` (the output's gradient, activation
/// already accounted for): into `dweight` and `dbias` (overwritten), and into
/// `dx` (overwritten) when the input needs one.
///
/// With stride 1 and an output about the input's size, the input's gradient is
/// itself a convolution (of `dy`, by the flipped kernel): one well-shaped product
/// per sample. Otherwise it is the transposed product folded back onto the pixels.
pub(crate) fn backward(
    x: &[f32],
    g: &ConvGeometry,
    weight: &[f32],
    dy: &[f32],
    dx: Option<&mut [f32]>,
    (dweight, dbias): (&mut [f32], &mut [f32]),
    scratch: &mut BackwardScratch,
) {
    let (k, p) = (g.window(), g.positions());
    let transposed = g.transposed().filter(|_| !g.pointwise());
    if transposed.is_some() {
        flip_transpose(weight, g, &mut scratch.flipped);
    }
    let (partials, flipped) = (&mut scratch.partials, scratch.flipped.as_slice());
    let dx_scratch = transposed.map_or(k * p, |t| t.window() * t.positions());
    let n = dy.len() / g.output_len();
    let groups = n.clamp(1, GROUPS);
    let part_len = g.cout * k + g.cout;
    partials.resize(groups * part_len, 0.0);
    // Sample ranges per group (sizes differ by at most one), with their input gradients.
    let mut dx_rest = dx;
    let mut jobs = Vec::with_capacity(groups);
    for (gi, part) in partials.chunks_exact_mut(part_len).enumerate() {
        let (start, end) = (gi * n / groups, (gi + 1) * n / groups);
        let dx_group = match dx_rest.take() {
            Some(rest) => {
                let (head, tail) = rest.split_at_mut((end - start) * g.input_len());
                dx_rest = Some(tail);
                Some(head)
            }
            None => None,
        };
        jobs.push((start..end, part, dx_group));
    }
    jobs.into_par_iter().for_each(|(samples, part, mut dx_group)| {
        let (pw, pb) = part.split_at_mut(g.cout * k);
        pw.fill(0.0);
        pb.fill(0.0);
        with_scratch(k * p + dx_scratch, |scratch| {
            let (cols, dcols) = scratch.split_at_mut(k * p);
            for (i, s) in samples.enumerate() {
                let xs = &x[s * g.input_len()..(s + 1) * g.input_len()];
                let dys = &dy[s * g.output_len()..(s + 1) * g.output_len()];
                let dy_view = (dys, View::rows(g.cout, p));
                let unfolded: &[f32] = if g.pointwise() {
                    xs
                } else {
                    unfold(xs, g, cols);
                    cols
                };
                // As dW^T = cols * dy^T: gemm is several times faster with the long
                // side (the window) as the destination's rows.
                let dy_t = (dys, View::rows(g.cout, p).t());
                matmul(
                    (pw, View::rows(k, g.cout)),
                    (unfolded, View::rows(k, p)),
                    dy_t,
                    true,
                    Threads::One,
                );
                for (b, row) in pb.iter_mut().zip(dys.chunks_exact(p)) {
                    *b += row.iter().sum::<f32>();
                }
                if let Some(dx_group) = dx_group.as_deref_mut() {
                    let dxs = &mut dx_group[i * g.input_len()..(i + 1) * g.input_len()];
                    let wt = (weight, View::rows(g.cout, k).t());
                    if g.pointwise() {
                        matmul((dxs, View::rows(k, p)), wt, dy_view, false, Threads::One);
                    } else if let Some(t) = &transposed {
                        unfold(dys, t, dcols);
                        let (tk, tp) = (t.window(), t.positions());
                        let w = (flipped, View::rows(t.cout, tk));
                        matmul(
                            (dxs, View::rows(t.cout, tp)),
                            w,
                            (&*dcols, View::rows(tk, tp)),
                            false,
                            Threads::One,
                        );
                    } else {
                        matmul((&mut *dcols, View::rows(k, p)), wt, dy_view, false, Threads::One);
                        dxs.fill(0.0);
                        fold_add(dcols, g, dxs);
                    }
                }
            }
        });
    });
    dweight.fill(0.0);
    dbias.fill(0.0);
    for part in partials.chunks_exact(part_len) {
        let (pw, pb) = part.split_at(g.cout * k);
        // `pw` is `[k, cout]`; `dweight` is `[cout, k]`.
        for (r, row) in pw.chunks_exact(g.cout).enumerate() {
            for (co, v) in row.iter().enumerate() {
                dweight[co * k + r] += v;
            }
        }
        for (d, v) in dbias.iter_mut().zip(pb) {
            *d += v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, one output at a time.
    fn direct(x: &[f32], g: &ConvGeometry, weight: &[f32], bias: &[f32]) -> Vec<f32> {
        let n = x.len() / g.input_len();
        let mut y = vec![0.0; n * g.output_len()];
        for s in 0..n {
            for co in 0..g.cout {
                for oy in 0..g.oh {
                    for ox in 0..g.ow {
                        let mut acc = bias[co];
                        for ci in 0..g.cin {
                            for ki in 0..g.kh {
                                for kj in 0..g.kw {
                                    let iy = (oy * g.stride + ki) as isize - g.pad_top as isize;
                                    let ix = (ox * g.stride + kj) as isize - g.pad_left as isize;
                                    if iy < 0 || ix < 0 || iy >= g.h as isize || ix >= g.w as isize {
                                        continue;
                                    }
                                    let xv =
                                        x[s * g.input_len() + (ci * g.h + iy as usize) * g.w + ix as usize];
                                    acc += xv * weight[((co * g.cin + ci) * g.kh + ki) * g.kw + kj];
                                }
                            }
                        }
                        y[s * g.output_len() + (co * g.oh + oy) * g.ow + ox] = acc;
                    }
                }
            }
        }
        y
    }

    fn values(len: usize, seed: u32) -> Vec<f32> {
        (0..len as u32)
            .map(|i| ((i.wrapping_mul(2_654_435_761) ^ seed) % 1000) as f32 / 500.0 - 1.0)
            .collect()
    }

    fn geometries() -> Vec<ConvGeometry> {
        vec![
            ConvGeometry::new([1, 9, 7], [3, 1, 2, 2], 1, [(0, 1), (0, 1)]),
            ConvGeometry::new([2, 8, 8], [4, 2, 3, 3], 1, [(1, 1), (1, 1)]),
            ConvGeometry::new([2, 9, 8], [3, 2, 3, 2], 2, [(1, 1), (0, 0)]),
            ConvGeometry::new([3, 5, 5], [2, 3, 1, 1], 1, [(0, 0), (0, 0)]),
            ConvGeometry::new([1, 6, 6], [2, 1, 5, 5], 3, [(2, 2), (2, 2)]),
        ]
    }

    #[test]
    fn forward_is_the_definition() {
        for g in geometries() {
            let n = 3;
            let x = values(n * g.input_len(), 1);
            let w = values(g.cout * g.window(), 2);
            let b = values(g.cout, 3);
            let mut y = vec![f32::NAN; n * g.output_len()];
            forward(&x, &g, &w, &b, &mut y);
            let expected = direct(&x, &g, &w, &b);
            for (a, e) in y.iter().zip(&expected) {
                assert!((a - e).abs() < 1e-4, "{g:?}: {a} vs {e}");
            }
        }
    }

    /// Against the loss `sum(y * r)` for a fixed `r`: its gradients are linear
    /// functions that the definition gives exactly.
    #[test]
    fn backward_is_the_adjoint_of_forward() {
        for g in geometries() {
            let n = 5;
            let x = values(n * g.input_len(), 4);
            let w = values(g.cout * g.window(), 5);
            let r = values(n * g.output_len(), 6);
            let zero_bias = vec![0.0; g.cout];
            let (mut dw, mut db) = (vec![0.0; w.len()], vec![0.0; g.cout]);
            let mut dx = vec![f32::NAN; x.len()];
            backward(
                &x,
                &g,
                &w,
                &r,
                Some(&mut dx),
                (&mut dw, &mut db),
                &mut BackwardScratch::default(),
            );
            // d/dx_i sum(conv(x) * r) = sum(conv(e_i) * r), the same for each weight.
            let dot = |y: &[f32]| y.iter().zip(&r).map(|(a, b)| f64::from(a * b)).sum::<f64>();
            for i in (0..x.len()).step_by(7) {
                let mut e = vec![0.0; x.len()];
                e[i] = 1.0;
                let expected = dot(&direct(&e, &g, &w, &zero_bias));
                assert!((f64::from(dx[i]) - expected).abs() < 1e-4, "{g:?} dx[{i}]");
            }
            for i in 0..w.len() {
                let mut e = vec![0.0; w.len()];
                e[i] = 1.0;
                let expected = dot(&direct(&x, &g, &e, &zero_bias));
                assert!((f64::from(dw[i]) - expected).abs() < 1e-3, "{g:?} dw[{i}]");
            }
            let expected: Vec<f32> = (0..g.cout)
                .map(|c| {
                    (0..n)
                        .map(|s| {
                            r[s * g.output_len() + c * g.positions()..][..g.positions()]
                                .iter()
                                .sum::<f32>()
                        })
                        .sum()
                })
                .collect();
            for (a, e) in db.iter().zip(&expected) {
                assert!((a - e).abs() < 1e-4, "{g:?} db");
            }
        }
    }
}
