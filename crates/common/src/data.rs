//! Where a model's data is, and what kind it is.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What a model trains on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// A folder of pictures (an extracted zip), classes from folders or labels.
    Images,
    /// A CSV file: numeric feature columns and a label column.
    Csv,
}

impl DataKind {
    /// `images` or `csv`, as the API shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Images => "images",
            Self::Csv => "csv",
        }
    }
}

impl fmt::Display for DataKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a model's data is on local disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataLocation {
    /// The folder of an extracted image-folder upload.
    Images(PathBuf),
    /// A CSV file.
    Csv(PathBuf),
}

impl DataLocation {
    /// The kind of data found there.
    pub fn kind(&self) -> DataKind {
        match self {
            Self::Images(_) => DataKind::Images,
            Self::Csv(_) => DataKind::Csv,
        }
    }

    /// The folder or file.
    pub fn path(&self) -> &Path {
        match self {
            Self::Images(path) | Self::Csv(path) => path,
        }
    }
}
