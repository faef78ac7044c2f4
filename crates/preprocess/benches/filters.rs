//! Criterion timings of the filters operations on the 512x512 RGB benchmark picture.
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use preprocess::bench_input::bench_image;
use preprocess::ops::filters::{gaussian, mean, median, sharpen};

fn benches(c: &mut Criterion) {
    let image = bench_image();
    let image = &image;
    c.bench_function("median_3x3", |b| b.iter(|| median(black_box(image), 3, 3)));
    c.bench_function("median_5x5", |b| b.iter(|| median(black_box(image), 5, 5)));
    c.bench_function("median_21x21", |b| b.iter(|| median(black_box(image), 21, 21)));
    c.bench_function("mean_3x3", |b| b.iter(|| mean(black_box(image), 3, 3)));
    c.bench_function("mean_15x15", |b| b.iter(|| mean(black_box(image), 15, 15)));
    c.bench_function("gaussian_13_2", |b| {
        b.iter(|| gaussian(black_box(image), 13, 2.0))
    });
    c.bench_function("sharpen_1", |b| b.iter(|| sharpen(black_box(image), 1.0)));
}

criterion_group!(group, benches);
criterion_main!(group);
