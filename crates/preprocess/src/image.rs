//! The image every kernel works on: 8 bits per sample, interleaved, row-major, no
//! padding. Channels: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).

/// A decoded picture; see the module's description for the layout of `data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Pixels per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// Samples per pixel, 1 to 4; alpha, where there is one, comes last.
    pub channels: u8,
    /// `width * height * channels` samples, row after row.
    pub data: Vec<u8>,
}

impl Image {
    /// An image of `width` x `height` with `channels`, all samples 0.
    pub fn new(width: u32, height: u32, channels: u8) -> Self {
        let len = width as usize * height as usize * channels as usize;
        Self {
            width,
            height,
            channels,
            data: vec![0; len],
        }
    }

    /// An image of these samples; `None` unless `channels` is 1 to 4 and `data` holds
    /// exactly `width * height * channels` samples.
    pub fn from_raw(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Option<Self> {
        let expected = width as usize * height as usize * channels as usize;
        (matches!(channels, 1..=4) && data.len() == expected).then_some(Self {
            width,
            height,
            channels,
            data,
        })
    }

    /// Bytes per row.
    pub(crate) fn stride(&self) -> usize {
        self.width as usize * self.channels as usize
    }

    /// The samples of row `y`.
    pub(crate) fn row(&self, y: u32) -> &[u8] {
        let stride = self.stride();
        &self.data[y as usize * stride..(y as usize + 1) * stride]
    }

    /// Whether the last channel is alpha (2 or 4 channels).
    pub(crate) fn has_alpha(&self) -> bool {
        matches!(self.channels, 2 | 4)
    }

    /// Colour channels, alpha excluded: 1 (gray) or 3 (RGB).
    pub fn color_channels(&self) -> u8 {
        if self.has_alpha() {
            self.channels - 1
        } else {
            self.channels
        }
    }
}
