//! Matrix products by the `gemm` crate (the kernels burn's CPU backend uses too),
//! behind one safe function: every view is checked against its slice first.

/// A strided matrix view: element `(i, j)` at `i * row_stride + j * col_stride`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct View {
    pub rows: usize,
    pub cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
}

impl View {
    /// A dense row-major `rows x cols` matrix.
    pub(crate) fn rows(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose, without moving any value.
    pub(crate) fn t(self) -> Self {
        Self {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
        }
    }

    /// Whether every element lies inside a slice of `len` values.
    fn fits(self, len: usize) -> bool {
        if self.rows == 0 || self.cols == 0 {
            return true;
        }
        let last = (self.rows - 1)
            .checked_mul(self.row_stride)
            .zip((self.cols - 1).checked_mul(self.col_stride))
            .and_then(|(a, b)| a.checked_add(b));
        last.is_some_and(|last| last < len) && isize::try_from(self.row_stride.max(self.col_stride)).is_ok()
    }
}

/// Whether a product may split across rayon's threads (only outside other parallel
/// work: nested splitting would only add overhead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threads {
    One,
    All,
}

/// `dst = a * b`, or `dst += a * b` when `accumulate`.
///
/// # Panics
/// If the shapes do not chain or a view reaches outside its slice (a bug in the
/// caller, never a consequence of input data).
pub(crate) fn matmul(
    (dst, d): (&mut [f32], View),
    (a, av): (&[f32], View),
    (b, bv): (&[f32], View),
    accumulate: bool,
    threads: Threads,
) {
    assert!(
        av.rows == d.rows && bv.cols == d.cols && av.cols == bv.rows,
        "matmul shapes {av:?} x {bv:?} -> {d:?}"
    );
    assert!(
        d.fits(dst.len()) && av.fits(a.len()) && bv.fits(b.len()),
        "matmul view outside its slice"
    );
    if d.rows == 0 || d.cols == 0 {
        return;
    }
    if av.cols == 0 {
        if !accumulate {
            for i in 0..d.rows {
                for j in 0..d.cols {
                    dst[i * d.row_stride + j * d.col_stride] = 0.0;
                }
            }
        }
        return;
    }
    let parallelism = match threads {
        Threads::One => gemm::Parallelism::None,
        Threads::All => gemm::Parallelism::Rayon(rayon::current_num_threads()),
    };
    let s = |v: usize| v as isize;
    // SAFETY: the three views were checked to lie inside their slices (strides fit
    // `isize`), `dst` is borrowed mutably and so aliases neither input, and gemm
    // reads `dst` only when `read_dst` is set (then it is initialised: a slice).
    #[allow(unsafe_code)]
    unsafe {
        gemm::gemm(
            d.rows,
            d.cols,
            av.cols,
            dst.as_mut_ptr(),
            s(d.col_stride),
            s(d.row_stride),
            accumulate,
            a.as_ptr(),
            s(av.col_stride),
            s(av.row_stride),
            b.as_ptr(),
            s(bv.col_stride),
            s(bv.row_stride),
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[f32], av: View, b: &[f32], bv: View) -> Vec<f32> {
        let mut out = vec![0.0; av.rows * bv.cols];
        for i in 0..av.rows {
            for j in 0..bv.cols {
                out[i * bv.cols + j] = (0..av.cols)
                    .map(|k| {
                        a[i * av.row_stride + k * av.col_stride] * b[k * bv.row_stride + j * bv.col_stride]
                    })
                    .sum();
            }
        }
        out
    }

    #[test]
    fn products_and_transposes_match_the_definition() {
        let a: Vec<f32> = (0..12).map(|v| v as f32 * 0.5 - 2.0).collect();
        let b: Vec<f32> = (0..20).map(|v| (v % 7) as f32 - 3.0).collect();
        for threads in [Threads::One, Threads::All] {
            // [3x4] x [4x5]
            let (av, bv) = (View::rows(3, 4), View::rows(4, 5));
            let mut dst = vec![9.0; 15];
            matmul((&mut dst, View::rows(3, 5)), (&a, av), (&b, bv), false, threads);
            assert_eq!(dst, naive(&a, av, &b, bv));
            // accumulate
            let mut twice = dst.clone();
            matmul((&mut twice, View::rows(3, 5)), (&a, av), (&b, bv), true, threads);
            assert_eq!(twice, dst.iter().map(|v| v * 2.0).collect::<Vec<_>>());
            // [4x3]^T x [4x5]: a read as its transpose
            let at = View::rows(4, 3).t();
            let mut dst = vec![0.0; 15];
            matmul((&mut dst, View::rows(3, 5)), (&a, at), (&b, bv), false, threads);
            assert_eq!(dst, naive(&a, at, &b, bv));
        }
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn a_view_past_its_slice_is_refused() {
        let mut dst = vec![0.0; 4];
        let (a, b) = ([1.0; 3], [1.0; 4]);
        matmul(
            (&mut dst, View::rows(2, 2)),
            (&a, View::rows(2, 2)),
            (&b, View::rows(2, 2)),
            false,
            Threads::One,
        );
    }
}
