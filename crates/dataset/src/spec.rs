//! What [`inspect`](crate::inspect) tells: the data's kind, input shape and classes.

use codegen::Shape;
use common::DataKind;
use serde::{Deserialize, Deserializer, Serialize};

/// A cheap description of the data, enough for shape inference and for preparing
/// prediction inputs. Serialised with `input` as `[h, w, c]` or `[n]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSpec {
    /// Images or CSV.
    pub kind: DataKind,
    /// `Image { h, w, c }` for images, `Vector(features)` for CSV.
    #[serde(deserialize_with = "deserialize_shape")]
    pub input: Shape,
    /// Class names; the index is the class id.
    pub classes: Vec<String>,
    /// Number of samples.
    pub samples: usize,
    /// CSV only: the label column's name.
    pub label_column: Option<String>,
    /// CSV only: the feature columns' names, in order.
    pub feature_columns: Vec<String>,
    /// CSV only: per-feature normalisation.
    pub normalization: Option<Normalization>,
}

impl DataSpec {
    /// The input shape of one sample.
    pub fn input(&self) -> Shape {
        self.input
    }

    /// Scalars per sample.
    pub fn sample_len(&self) -> usize {
        usize::try_from(self.input.elements()).unwrap_or(usize::MAX)
    }
}

/// Per-feature mean and population standard deviation (a deviation of 0 is stored
/// as 1); samples hold `(x - mean) / std`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Normalization {
    /// Mean of each feature.
    pub mean: Vec<f32>,
    /// Standard deviation of each feature (never 0).
    pub std: Vec<f32>,
}

/// The inverse of `Shape`'s own `Serialize` (codegen's `Shape` has no `Deserialize`).
fn deserialize_shape<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
    let dims = Vec::<u64>::deserialize(deserializer)?;
    match dims[..] {
        [h, w, c] => Ok(Shape::Image { h, w, c }),
        [n] => Ok(Shape::Vector(n)),
        _ => Err(serde::de::Error::custom(format!(
            "an input shape is [h, w, c] or [n], got {} numbers",
            dims.len()
        ))),
    }
}
