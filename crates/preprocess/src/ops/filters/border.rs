//! Border handling: where a window reaching past the image reads from, and rows padded
//! accordingly so that the inner loops never test an index.

/// How samples outside the image are made up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Border {
    /// `aaa|abcd|ddd`: the edge sample repeats (OpenCV's BORDER_REPLICATE).
    Replicate,
    /// `dcb|abcd|cba`: mirrored without repeating the edge (OpenCV's BORDER_REFLECT_101,
    /// its default). Reflects again as often as needed when the window is wider than
    /// the image; a length of 1 always gives 0.
    Reflect101,
}

impl Border {
    /// The index inside `0..len` (`len >= 1`) that position `i` reads from.
    #[inline(always)]
    pub(super) fn index(self, i: isize, len: usize) -> usize {
        let n = len as isize;
        match self {
            Border::Replicate => i.clamp(0, n - 1) as usize,
            Border::Reflect101 => {
                if n == 1 {
                    return 0;
                }
                let period = 2 * n - 2;
                let mut i = i.rem_euclid(period);
                if i >= n {
                    i = period - i;
                }
                i as usize
            }
        }
    }
}

/// Writes `src` (a row of pixels of `channels` samples) into `dst` with `left` pixels
/// before it and the rest of `dst` after it made up by `border`.
pub(super) fn pad_row<T: Copy>(src: &[T], channels: usize, left: usize, border: Border, dst: &mut [T]) {
    let width = src.len() / channels;
    let middle = left * channels;
    dst[middle..middle + src.len()].copy_from_slice(src);
    fill_border(dst, channels, left, width, border);
}

/// `row` holds a row of `width` pixels from pixel `left` on; fills the pixels before and
/// after it by `border`.
pub(super) fn fill_border<T: Copy>(
    row: &mut [T],
    channels: usize,
    left: usize,
    width: usize,
    border: Border,
) {
    let total = row.len() / channels;
    for p in (0..left).chain(left + width..total) {
        let from = left + border.index(p as isize - left as isize, width);
        row.copy_within(from * channels..(from + 1) * channels, p * channels);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_follow_opencv() {
        let reflect: Vec<usize> = (-5..9).map(|i| Border::Reflect101.index(i, 4)).collect();
        assert_eq!(reflect, [1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2]);
        let replicate: Vec<usize> = (-2..6).map(|i| Border::Replicate.index(i, 4)).collect();
        assert_eq!(replicate, [0, 0, 0, 1, 2, 3, 3, 3]);
        assert_eq!(Border::Reflect101.index(-7, 1), 0);
        assert_eq!(Border::Reflect101.index(5, 2), 1);
    }

    #[test]
    fn rows_are_padded_per_pixel() {
        let src = [1u8, 10, 2, 20, 3, 30];
        let mut dst = [0u8; 14];
        pad_row(&src, 2, 2, Border::Reflect101, &mut dst);
        assert_eq!(dst, [3, 30, 2, 20, 1, 10, 2, 20, 3, 30, 2, 20, 1, 10]);
        pad_row(&src, 2, 2, Border::Replicate, &mut dst);
        assert_eq!(dst, [1, 10, 1, 10, 1, 10, 2, 20, 3, 30, 3, 30, 3, 30]);
    }
}
