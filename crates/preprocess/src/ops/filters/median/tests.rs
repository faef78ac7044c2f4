//! The generated 5x5 network checked on every 0-1 input.

use super::lanes::CHUNK;
use super::merge_5x5::median_of_sorted_5x5;

#[test]
fn the_5x5_network_finds_every_median() {
    // Every combination of sorted 0-1 columns (6^5 of them), CHUNK per call: lane l
    // of column j lies at j * CHUNK + l in each rank's row.
    let combinations: Vec<[usize; 5]> = (0..6usize.pow(5))
        .map(|mut i| {
            std::array::from_fn(|_| {
                let ones = i % 6;
                i /= 6;
                ones
            })
        })
        .collect();
    for batch in combinations.chunks(CHUNK) {
        let mut sorted: [Vec<u8>; 5] = std::array::from_fn(|_| vec![0; 5 * CHUNK]);
        for (l, ones) in batch.iter().enumerate() {
            for (j, &k) in ones.iter().enumerate() {
                for (r, rank) in sorted.iter_mut().enumerate() {
                    rank[j * CHUNK + l] = u8::from(r >= 5 - k);
                }
            }
        }
        let medians = median_of_sorted_5x5(&sorted, 0, CHUNK);
        for (l, ones) in batch.iter().enumerate() {
            let total: usize = ones.iter().sum();
            assert_eq!(medians[l], u8::from(total >= 13), "ones per column {ones:?}");
        }
    }
}
