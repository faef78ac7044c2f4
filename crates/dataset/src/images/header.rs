//! Picture size and colour from the file header alone, for a cheap `inspect`.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use image::{ImageDecoder, ImageReader};

use crate::error::DatasetError;

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub width: u32,
    pub height: u32,
    /// Gray or gray + alpha.
    pub gray: bool,
}

/// Reads the header of the picture at `root/rel`. The format is guessed from the
/// content, as preprocess's decoder does, so both agree on what is a picture.
pub(crate) fn read(root: &Path, rel: &str) -> Result<Header, DatasetError> {
    let bad = |reason: String| DatasetError::BadPicture {
        path: rel.to_owned(),
        reason,
    };
    let file = File::open(root.join(rel)).map_err(|source| DatasetError::Io {
        path: rel.to_owned(),
        source,
    })?;
    let reader = ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|source| DatasetError::Io {
            path: rel.to_owned(),
            source,
        })?;
    if reader.format().is_none() {
        return Err(bad("not a picture in a known format".to_owned()));
    }
    let decoder = reader
        .into_decoder()
        .map_err(|e| bad(format!("the picture could not be decoded: {e}")))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(bad(format!("the picture is empty ({width}x{height} pixels)")));
    }
    Ok(Header {
        width,
        height,
        gray: !decoder.color_type().has_color(),
    })
}
