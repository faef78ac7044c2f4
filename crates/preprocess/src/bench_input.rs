//! The 512x512 RGB picture the benchmarks time every operation on: the file named by
//! `NETSMITH_BENCH_IMAGE` (bench/preprocess.sh writes one that the OpenCV and Pillow
//! comparison reads too), else a synthetic one.

use crate::image::Image;

/// The benchmark picture (a file that cannot be read or decoded is ignored).
pub fn bench_image() -> Image {
    if let Ok(path) = std::env::var("NETSMITH_BENCH_IMAGE")
        && let Ok(bytes) = std::fs::read(&path)
        && let Ok((image, _)) = crate::codec::decode(&bytes)
    {
        return image;
    }
    let mut image = Image::new(512, 512, 3);
    let mut state = 0x2545_f491_u32;
    for (i, sample) in image.data.iter_mut().enumerate() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let (x, y) = ((i / 3) % 512, (i / 3) / 512);
        *sample = ((x + y) as u32 / 4 + (state & 63)) as u8;
    }
    image
}
