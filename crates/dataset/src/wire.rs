//! A loaded data set as bytes, for a trainer on another machine: the samples exactly
//! as this machine read them (same preprocessing, same order), so a remote run trains
//! on what a local one would.
//!
//! Layout: `NSMDATA1`, the length (u64 LE) of a JSON header (the spec and the sample
//! names), the header, then the features (f32 LE) and the targets (u32 LE).

use serde::{Deserialize, Serialize};

use crate::error::DatasetError;
use crate::samples::Dataset;
use crate::spec::DataSpec;

const MAGIC: &[u8; 8] = b"NSMDATA1";

#[derive(Serialize, Deserialize)]
struct Header {
    spec: DataSpec,
    names: Vec<String>,
    features: usize,
}

impl Dataset {
    /// The data set as bytes (see the module's layout).
    pub fn encode(&self) -> Vec<u8> {
        let header = Header {
            spec: self.spec.clone(),
            names: self.names.clone(),
            features: self.features.len(),
        };
        let header = serde_json::to_vec(&header).unwrap_or_default();
        let mut bytes =
            Vec::with_capacity(16 + header.len() + 4 * (self.features.len() + self.targets.len()));
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&header);
        for value in &self.features {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        for target in &self.targets {
            bytes.extend_from_slice(&target.to_le_bytes());
        }
        bytes
    }

    /// Reads [`Dataset::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, DatasetError> {
        let damaged = || DatasetError::Transfer("the data set sent is damaged".to_owned());
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
        let (length, rest) = rest.split_first_chunk::<8>().ok_or_else(damaged)?;
        let length = usize::try_from(u64::from_le_bytes(*length)).map_err(|_| damaged())?;
        if length > rest.len() {
            return Err(damaged());
        }
        let (header, rest) = rest.split_at(length);
        let header: Header = serde_json::from_slice(header).map_err(|_| damaged())?;
        let samples = header.names.len();
        if rest.len() != 4 * (header.features + samples)
            || header.features != samples * header.spec.sample_len()
        {
            return Err(damaged());
        }
        let (features, targets) = rest.split_at(4 * header.features);
        let word = |chunk: &[u8]| <[u8; 4]>::try_from(chunk).unwrap_or_default();
        Ok(Self {
            spec: header.spec,
            names: header.names,
            features: features
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(word(c)))
                .collect(),
            targets: targets
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(word(c)))
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use codegen::Shape;
    use common::DataKind;

    use super::*;

    #[test]
    fn a_data_set_comes_back_exactly() {
        let data = Dataset {
            spec: DataSpec {
                kind: DataKind::Csv,
                input: Shape::Vector(2),
                classes: vec!["a".into(), "b".into()],
                samples: 2,
                label_column: Some("label".into()),
                feature_columns: vec!["x".into(), "y".into()],
                normalization: None,
            },
            features: vec![0.5, -1.25, 3.0, f32::MIN_POSITIVE],
            targets: vec![0, 1],
            names: vec!["row 1".into(), "row 2".into()],
        };
        let bytes = data.encode();
        assert_eq!(Dataset::decode(&bytes).expect("decoded"), data);
        assert!(Dataset::decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(Dataset::decode(b"NSMDATA2").is_err());
    }
}
