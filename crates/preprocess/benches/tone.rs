//! Criterion timings of the tone operations on the 512x512 RGB benchmark picture.
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(_c: &mut Criterion) {}

criterion_group!(group, benches);
criterion_main!(group);
