//! Criterion timings of the tone operations on the 512x512 RGB benchmark picture.
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use preprocess::bench_input::bench_image;
use preprocess::ops::{noise, tone};

fn benches(c: &mut Criterion) {
    let image = bench_image();
    c.bench_function("brightness_0.4", |b| {
        b.iter(|| tone::brightness(black_box(&image), black_box(0.4)))
    });
    c.bench_function("contrast_1.5", |b| {
        b.iter(|| tone::contrast(black_box(&image), black_box(1.5)))
    });
    c.bench_function("grayscale", |b| b.iter(|| tone::grayscale(black_box(&image))));
    c.bench_function("threshold_127", |b| {
        b.iter(|| tone::threshold(black_box(&image), black_box(127), black_box(255)))
    });
    c.bench_function("equalize", |b| b.iter(|| tone::equalize(black_box(&image))));
    c.bench_function("noise_20", |b| {
        b.iter(|| noise::gaussian_noise(black_box(&image), black_box(20.0), black_box(42)))
    });
}

criterion_group!(group, benches);
criterion_main!(group);
