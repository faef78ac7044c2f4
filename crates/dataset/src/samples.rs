//! The loaded data set, and the labels that name its pictures' classes.

use std::collections::BTreeMap;

use crate::spec::DataSpec;

/// User labels: relative path (with `/`) inside the data root -> label.
pub type Labels = BTreeMap<String, String>;

/// Every sample in memory, one `f32` per value.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The description (as [`inspect`](crate::inspect) gives it).
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
