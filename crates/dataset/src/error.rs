//! Why data could not be described, loaded or prepared. Messages are shown to API
//! users as they are: they name the picture (relative path), or the row and column.

use std::io;

use common::{DataKind, ErrorCode};

/// Everything that can go wrong; see [`DatasetError::is_client_error`].
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The data folder or CSV file itself could not be opened or listed.
    #[error("the data could not be read: {0}")]
    Unreadable(#[source] io::Error),
    /// A file or folder inside the data could not be read.
    #[error("{path}: could not be read: {source}")]
    Io {
        /// Relative path inside the data.
        path: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A path inside the data is not valid UTF-8.
    #[error("{path}: the name is not valid UTF-8")]
    NonUtf8Path {
        /// The path, with invalid bytes replaced.
        path: String,
    },
    /// A picture of the data could not be read as a picture.
    #[error("{path}: {reason}")]
    BadPicture {
        /// Relative path inside the data.
        path: String,
        /// What was wrong with it.
        reason: String,
    },
    /// A picture sent for prediction could not be read as a picture.
    #[error("the picture could not be read: {0}")]
    BadInputPicture(String),
    /// The folder holds no pictures at all.
    #[error(
        "no pictures found in the data (looked for .png, .jpg, .jpeg, .bmp, .gif, .tif, .tiff and .webp files)"
    )]
    NoPictures,
    /// Labels name a path that is not a picture of the data.
    #[error("the labels name \"{path}\", which is not a picture in this data")]
    LabelForMissingFile {
        /// The label's key.
        path: String,
    },
    /// A label is empty (after trimming).
    #[error("the label for \"{path}\" is empty")]
    EmptyLabel {
        /// The label's key.
        path: String,
    },
    /// Fewer than 2 classes in use.
    #[error("{}", too_few_classes(.classes))]
    TooFewClasses {
        /// The classes found (0 or 1).
        classes: Vec<String>,
    },
    /// The CSV file is empty (not even a header).
    #[error("the CSV file is empty: it needs a header row and data rows")]
    CsvEmpty,
    /// The CSV header has fewer than 2 columns.
    #[error(
        "the CSV file needs at least 2 columns (features and a label), found {}: {}",
        .columns.len(), quoted(.columns)
    )]
    CsvTooFewColumns {
        /// The header's columns.
        columns: Vec<String>,
    },
    /// A column name appears twice in the header.
    #[error("the CSV header names column \"{0}\" more than once")]
    CsvDuplicateColumn(String),
    /// The CSV file has a header but no data rows.
    #[error("the CSV file has a header but no data rows")]
    CsvNoRows,
    /// A data row has the wrong number of fields.
    #[error("row {row} has {found} fields, the header has {expected}")]
    CsvRowLength {
        /// 1-based data row.
        row: usize,
        /// Fields in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// Some other malformed CSV (invalid UTF-8, ...).
    #[error("{}: {message}", match .row {
        Some(row) => format!("the CSV file could not be read at row {row}"),
        None => "the CSV header could not be read".to_owned(),
    })]
    CsvMalformed {
        /// 1-based data row, when known (`None`: the header).
        row: Option<usize>,
        /// What the CSV reader said.
        message: String,
    },
    /// A feature value is not a number, or not a finite one.
    #[error("{}column \"{column}\": \"{value}\" is not {}", at_row(*.row), if *.finite_only { "a finite number" } else { "a number" })]
    NotANumber {
        /// 1-based data row (`None` for a prediction input).
        row: Option<usize>,
        /// The column's name.
        column: String,
        /// The value as written.
        value: String,
        /// It parsed, but as infinity or NaN.
        finite_only: bool,
    },
    /// A row's label is empty.
    #[error("row {row}: the label (column \"{column}\") is empty")]
    EmptyCsvLabel {
        /// 1-based data row.
        row: usize,
        /// The label column's name.
        column: String,
    },
    /// A prediction input has the wrong number of feature values.
    #[error("expected {expected} feature values ({}), got {found}", quoted(.columns))]
    WrongFeatureCount {
        /// Features the model takes.
        expected: usize,
        /// Values given.
        found: usize,
        /// The feature columns, in order.
        columns: Vec<String>,
    },
    /// A stored [`DataSpec`](crate::DataSpec) that this crate could not have made.
    #[error("the stored data description is invalid: {0}")]
    BadSpec(String),
    /// A prediction input of the wrong kind for the model's data.
    #[error("{}", wrong_kind(*.expected))]
    WrongKind {
        /// The kind of data the model was trained on.
        expected: DataKind,
    },
    /// A data set received from another machine that cannot be read.
    #[error("{0}")]
    Transfer(String),
}

impl DatasetError {
    /// True when the problem is in the user's data or input (a 400), false when the
    /// server could not read its own files (a 500).
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            Self::Unreadable(_) | Self::Io { .. } | Self::BadSpec(_) | Self::Transfer(_)
        )
    }
}

impl ErrorCode for DatasetError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "data_unreadable",
            Self::Io { .. } => "data_file_unreadable",
            Self::NonUtf8Path { .. } => "data_path_not_utf8",
            Self::BadPicture { .. } => "picture_invalid",
            Self::BadInputPicture(_) => "input_picture_invalid",
            Self::NoPictures => "no_pictures",
            Self::LabelForMissingFile { .. } => "label_for_missing_picture",
            Self::EmptyLabel { .. } => "label_empty",
            Self::TooFewClasses { .. } => "too_few_classes",
            Self::CsvEmpty => "csv_empty",
            Self::CsvTooFewColumns { .. } => "csv_too_few_columns",
            Self::CsvDuplicateColumn(_) => "csv_duplicate_column",
            Self::CsvNoRows => "csv_no_rows",
            Self::CsvRowLength { .. } => "csv_row_length",
            Self::CsvMalformed { .. } => "csv_malformed",
            Self::NotANumber { .. } => "value_not_a_number",
            Self::EmptyCsvLabel { .. } => "csv_label_empty",
            Self::WrongFeatureCount { .. } => "feature_count_mismatch",
            Self::BadSpec(_) => "data_spec_invalid",
            Self::WrongKind { .. } => "input_kind_mismatch",
            Self::Transfer(_) => "data_transfer",
        }
    }
}

fn at_row(row: Option<usize>) -> String {
    row.map(|r| format!("row {r}, ")).unwrap_or_default()
}

fn quoted(names: &[String]) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    list.join(", ")
}

fn too_few_classes(classes: &[String]) -> String {
    match classes {
        [] => "no picture has a class: put the pictures in one folder per class, or label them".to_owned(),
        _ => format!(
            "training needs at least 2 classes, found {}: {}",
            classes.len(),
            quoted(classes)
        ),
    }
}

fn wrong_kind(expected: DataKind) -> String {
    match expected {
        DataKind::Images => "this model was trained on pictures: send a picture".to_owned(),
        DataKind::Csv => "this model was trained on CSV rows: send feature values".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_variant_has_its_own_code() {
        let io = || io::Error::other("disk");
        let path = String::new;
        let errors = [
            DatasetError::Unreadable(io()),
            DatasetError::Io {
                path: path(),
                source: io(),
            },
            DatasetError::NonUtf8Path { path: path() },
            DatasetError::BadPicture {
                path: path(),
                reason: String::new(),
            },
            DatasetError::BadInputPicture(String::new()),
            DatasetError::NoPictures,
            DatasetError::LabelForMissingFile { path: path() },
            DatasetError::EmptyLabel { path: path() },
            DatasetError::TooFewClasses { classes: Vec::new() },
            DatasetError::CsvEmpty,
            DatasetError::CsvTooFewColumns { columns: Vec::new() },
            DatasetError::CsvDuplicateColumn(String::new()),
            DatasetError::CsvNoRows,
            DatasetError::CsvRowLength {
                row: 1,
                found: 1,
                expected: 2,
            },
            DatasetError::CsvMalformed {
                row: None,
                message: String::new(),
            },
            DatasetError::NotANumber {
                row: None,
                column: String::new(),
                value: String::new(),
                finite_only: false,
            },
            DatasetError::EmptyCsvLabel {
                row: 1,
                column: String::new(),
            },
            DatasetError::WrongFeatureCount {
                expected: 2,
                found: 1,
                columns: Vec::new(),
            },
            DatasetError::BadSpec(String::new()),
            DatasetError::WrongKind {
                expected: DataKind::Csv,
            },
            DatasetError::Transfer(String::new()),
        ];
        let codes: Vec<&str> = errors.iter().map(ErrorCode::code).collect();
        let distinct: HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(distinct.len(), codes.len(), "{codes:?}");
        assert!(codes.iter().all(|c| {
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }));
    }
}
