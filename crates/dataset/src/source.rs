//! Describing or loading data from where it is.

use common::DataLocation;

use crate::error::DatasetError;
use crate::samples::{Dataset, Labels};
use crate::spec::DataSpec;
use crate::{csv_data, images};

/// Describes the data: picture headers only for images, one streaming pass for CSV.
/// `labels` (relative path -> label) override the folder classes of image data; CSV
/// data takes its labels from its label column and ignores them.
pub fn inspect(location: &DataLocation, labels: Option<&Labels>) -> Result<DataSpec, DatasetError> {
    match location {
        DataLocation::Images(root) => images::inspect(root, labels),
        DataLocation::Csv(path) => csv_data::inspect(path),
    }
}

/// Loads every sample (`labels` as for [`inspect`]).
pub fn load(location: &DataLocation, labels: Option<&Labels>) -> Result<Dataset, DatasetError> {
    match location {
        DataLocation::Images(root) => images::load(root, labels),
        DataLocation::Csv(path) => csv_data::load(path),
    }
}
