//! Micro-benchmark of single burn ops on the flex backend (development aid).
use std::time::Instant;

use burn::tensor::module::{conv2d, max_pool2d};
use burn::tensor::ops::{ConvOptions, MaxPoolOptions};
use burn::tensor::{Device, Distribution, Tensor, s};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn time(name: &str, mut f: impl FnMut()) {
    for _ in 0..5 {
        f();
    }
    let t = Instant::now();
    for _ in 0..30 {
        f();
    }
    println!("{name}: {:.1} us", t.elapsed().as_secs_f64() * 1e6 / 30.0);
}

fn main() {
    let device = Device::flex().autodiff();
    let x = Tensor::<4>::random([32, 20, 28, 28], Distribution::Default, &device).require_grad();
    let y = Tensor::<4>::random([32, 20, 28, 28], Distribution::Default, &Device::flex());
    time("add plain", || {
        let _ = y.clone() + y.clone();
    });
    time("maxpool plain", || {
        let _ = max_pool2d(y.clone(), MaxPoolOptions::new([2, 2]).with_stride([2, 2]));
    });
    if std::env::args().count() > 1 {
        return;
    }
    let opts = MaxPoolOptions::new([2, 2]).with_stride([2, 2]);
    time("maxpool f+b", || {
        let _ = max_pool2d(x.clone(), opts.clone()).sum().backward();
    });
    time("permute-maxpair f+b", || {
        let t = x
            .clone()
            .reshape([32, 20, 14, 2, 14, 2])
            .permute([3, 5, 0, 1, 2, 4])
            .reshape([4, 32 * 20 * 14 * 14]);
        let m = 32 * 20 * 14 * 14;
        let r = |i: usize| t.clone().slice([i..i + 1, 0..m]);
        let _ = r(0)
            .max_pair(r(1))
            .max_pair(r(2).max_pair(r(3)))
            .reshape([32, 20, 14, 14])
            .sum()
            .backward();
    });
    time("host-select f+b", || {
        let v: Vec<f32> = x.clone().inner().try_to_vec_as::<f32>().expect("host");
        let (oh, ow, h, w) = (14usize, 14usize, 28usize, 28usize);
        let mut idx: Vec<i64> = Vec::with_capacity(32 * 20 * oh * ow);
        for bc in 0..32 * 20 {
            let base = bc * h * w;
            for i in 0..oh {
                for j in 0..ow {
                    let mut best = base + 2 * i * w + 2 * j;
                    for (di, dj) in [(0, 1), (1, 0), (1, 1)] {
                        let k = base + (2 * i + di) * w + 2 * j + dj;
                        if v[k] > v[best] {
                            best = k;
                        }
                    }
                    idx.push(best as i64);
                }
            }
        }
        let n = idx.len();
        let it = Tensor::<1, burn::tensor::Int>::from_data(burn::tensor::TensorData::new(idx, [n]), &device);
        let _ = x
            .clone()
            .reshape([32 * 20 * 28 * 28])
            .select(0, it)
            .reshape([32, 20, 14, 14])
            .sum()
            .backward();
    });
    let mask = Tensor::<4>::random([32, 20, 28, 28], Distribution::Default, &device);
    time("mask-sumdim f+b", || {
        let _ = (x.clone() * mask.clone()).reshape([32, 20, 14, 2, 14, 2]).sum_dim(5).sum_dim(3).reshape([32, 20, 14, 14]).sum().backward();
    });
    time("mask-avgpool f+b", || {
        let _ = burn::tensor::module::avg_pool2d(x.clone() * mask.clone(), burn::tensor::ops::AvgPoolOptions::new([2, 2]).with_stride([2, 2])).mul_scalar(4.0).sum().backward();
    });
    time("reshape-maxdim f+b", || {
        let _ = x
            .clone()
            .reshape([32, 20, 14, 2, 14, 2])
            .max_dim(5)
            .max_dim(3)
            .sum()
            .backward();
    });
    time("slices-maxpair f", || {
        let a = x.clone().slice(s![.., .., 0..;2, 0..;2]);
        let b = x.clone().slice(s![.., .., 0..;2, 1..;2]);
        let c = x.clone().slice(s![.., .., 1..;2, 0..;2]);
        let d = x.clone().slice(s![.., .., 1..;2, 1..;2]);
        let _ = a.max_pair(b).max_pair(c.max_pair(d));
    });
    time("slices-maxpair f+b", || {
        let a = x.clone().slice(s![.., .., 0..;2, 0..;2]);
        let b = x.clone().slice(s![.., .., 0..;2, 1..;2]);
        let c = x.clone().slice(s![.., .., 1..;2, 0..;2]);
        let d = x.clone().slice(s![.., .., 1..;2, 1..;2]);
        let _ = a.max_pair(b).max_pair(c.max_pair(d)).sum().backward();
    });
    let x1 = Tensor::<4>::random([32, 10, 28, 28], Distribution::Default, &device).require_grad();
    let w = Tensor::<4>::random([20, 10, 2, 2], Distribution::Default, &device).require_grad();
    time("conv10-20 f+b", || {
        let xp = x1.clone().pad([(0, 0), (0, 0), (0, 1), (0, 1)], 0.0);
        let _ = conv2d(xp, w.clone(), None, ConvOptions::new([1, 1], [0, 0], [1, 1], 1))
            .sum()
            .backward();
    });
    time("conv10-20 im2col f+b", || {
        let xp = x1.clone().pad([(0, 0), (0, 0), (0, 1), (0, 1)], 0.0);
        let parts: Vec<Tensor<5>> = [(0, 0), (0, 1), (1, 0), (1, 1)]
            .iter()
            .map(|&(i, j)| {
                xp.clone()
                    .slice(s![.., .., i..i + 28, j..j + 28])
                    .unsqueeze_dim::<5>(2)
            })
            .collect();
        let cols = Tensor::cat(parts, 2).reshape([32, 40, 784]);
        let wm = w.clone().reshape([1, 20, 40]);
        let _ = wm.matmul(cols).reshape([32, 20, 28, 28]).sum().backward();
    });
}
