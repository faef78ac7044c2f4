//! Criterion timings of the geometry operations (and Canny) on the 512x512 RGB
//! benchmark picture. Compare with OpenCV single-threaded (`cv2.setNumThreads(1)`):
//! `cv2.flip(img, 0)`, `cv2.flip(img, 1)`, `cv2.warpAffine` (30°), `cv2.resize` to
//! 256x256 `INTER_LINEAR`, a 256x256 centre crop copy, `cv2.Canny(cvtColor(img), 100, 200)`.
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use preprocess::bench_input::bench_image;
use preprocess::ops::{edges, geometry};

fn benches(c: &mut Criterion) {
    let image = bench_image();
    c.bench_function("flip_vertical", |b| {
        b.iter(|| geometry::flip_vertical(black_box(&image)))
    });
    c.bench_function("flip_horizontal", |b| {
        b.iter(|| geometry::flip_horizontal(black_box(&image)))
    });
    c.bench_function("rotate_30", |b| {
        b.iter(|| geometry::rotate(black_box(&image), 30.0))
    });
    c.bench_function("resize_256", |b| {
        b.iter(|| geometry::resize(black_box(&image), 256, 256))
    });
    c.bench_function("crop_256", |b| {
        b.iter(|| geometry::crop_center(black_box(&image), 256, 256))
    });
    c.bench_function("edges_100_200", |b| {
        b.iter(|| edges::canny(black_box(&image), 100.0, 200.0))
    });
}

criterion_group!(group, benches);
criterion_main!(group);
