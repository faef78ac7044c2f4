//! The fully connected layer, `y = x W + b` with `W` laid out `[inputs, units]`
//! (the engines' weight layout), forward and backward, each a multi-threaded
//! matrix product over the whole batch.

use super::matmul::{Threads, View, matmul};

/// `y [n, units] = x [n, inputs] * weight [inputs, units] + bias`.
pub(crate) fn forward(
    x: &[f32],
    (inputs, units): (usize, usize),
    weight: &[f32],
    bias: &[f32],
    y: &mut [f32],
) {
    let n = x.len() / inputs;
    matmul(
        (y, View::rows(n, units)),
        (x, View::rows(n, inputs)),
        (weight, View::rows(inputs, units)),
        false,
        Threads::All,
    );
    for row in y.chunks_exact_mut(units) {
        for (v, b) in row.iter_mut().zip(bias) {
            *v += b;
        }
    }
}

/// Weight and bias gradients (overwritten), and the input's (overwritten) if wanted.
pub(crate) fn backward(
    x: &[f32],
    (inputs, units): (usize, usize),
    weight: &[f32],
    dy: &[f32],
    dx: Option<&mut [f32]>,
    (dweight, dbias): (&mut [f32], &mut [f32]),
) {
    let n = x.len() / inputs;
    let dy_view = (dy, View::rows(n, units));
    // dW = x^T dy
    matmul(
        (dweight, View::rows(inputs, units)),
        (x, View::rows(n, inputs).t()),
        dy_view,
        false,
        Threads::All,
    );
    dbias.fill(0.0);
    for row in dy.chunks_exact(units) {
        for (b, d) in dbias.iter_mut().zip(row) {
            *b += d;
        }
    }
    // dx = dy W^T
    if let Some(dx) = dx {
        matmul(
            (dx, View::rows(n, inputs)),
            dy_view,
            (weight, View::rows(inputs, units).t()),
            false,
            Threads::All,
        );
    }
}
