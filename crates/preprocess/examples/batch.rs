//! Throughput of a batch of 512x512 RGB pictures through flip + brightness 0.4 +
//! median 5x5, in parallel across pictures (as a preprocessing job runs), with one
//! thread and with all cores. Usage: `batch [count]` (default 1000).

use std::time::Instant;

use preprocess::ops::Operation;
use preprocess::{Pipeline, Step};
use rayon::prelude::*;

fn step(operation: Operation, name: &'static str) -> Step {
    Step {
        operation,
        overlap: true,
        name,
        chinese: name,
    }
}

fn run(pipeline: &Pipeline, input: &preprocess::Image, count: usize, threads: usize) -> f64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let started = Instant::now();
    let checksum: u64 = pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|_| pipeline.run(input).main.data[0] as u64)
            .sum()
    });
    let seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(checksum);
    count as f64 / seconds
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let input = preprocess::bench_input::bench_image();
    let pipeline = Pipeline::new(vec![
        step(Operation::FlipVertical, "flip_vertical"),
        step(Operation::Brightness { factor: 0.4 }, "brightness"),
        step(Operation::Median { width: 5, height: 5 }, "median"),
    ]);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let one = run(&pipeline, &input, count, 1);
    let all = run(&pipeline, &input, count, cores);
    println!("batch of {count} 512x512 RGB, flip + brightness 0.4 + median 5x5:");
    println!("  1 thread:  {one:.0} images/s");
    println!("  {cores} threads: {all:.0} images/s ({:.2}x)", all / one);
}
