//! Where data comes from, and the loaded data set.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::DatasetError;
use crate::spec::DataSpec;
use crate::{csv_data, images};

/// User labels: relative path (with `/`) inside the data root -> label.
pub type Labels = BTreeMap<String, String>;

/// The data to describe or load.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// An extracted image-folder upload, with the user's labels if any.
    Images {
        /// The upload's folder.
        root: &'a Path,
        /// Labels overriding folder classes.
        labels: Option<&'a Labels>,
    },
    /// A CSV file.
    Csv {
        /// The file.
        path: &'a Path,
    },
}

/// Every sample in memory, one `f32` per value.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The description (as [`inspect`] gives it).
    pub spec: DataSpec,
    /// `samples x spec.input().elements()`, row-major per sample; images CHW in
    /// `[0, 1]`, CSV rows normalised.
    pub features: Vec<f32>,
    /// Class id per sample.
    pub targets: Vec<u32>,
    /// Per sample: relative path (images) or `row <n>` (CSV, 1-based data row).
    pub names: Vec<String>,
}

impl Dataset {
    /// Sample `i`'s values. Panics if `i >= self.len()`.
    pub fn sample(&self, i: usize) -> &[f32] {
        let n = self.spec.sample_len();
        &self.features[i * n..(i + 1) * n]
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// Describes the data: picture headers only for images, one streaming pass for CSV.
pub fn inspect(source: &Source) -> Result<DataSpec, DatasetError> {
    match *source {
        Source::Images { root, labels } => images::inspect(root, labels),
        Source::Csv { path } => csv_data::inspect(path),
    }
}

/// Loads every sample.
pub fn load(source: &Source) -> Result<Dataset, DatasetError> {
    match *source {
        Source::Images { root, labels } => images::load(root, labels),
        Source::Csv { path } => csv_data::load(path),
    }
}
