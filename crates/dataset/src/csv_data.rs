//! CSV data: one streaming pass gives the spec (and, when loading, the samples).

use std::collections::HashMap;
use std::collections::HashSet;
use std::fs::File;
use std::path::Path;

use codegen::Shape;
use csv::{ErrorKind, StringRecord};

use crate::classes;
use crate::error::DatasetError;
use crate::samples::Dataset;
use common::DataKind;

use crate::spec::{DataSpec, Normalization};

/// Feature values (in `feature_columns` order) -> one normalised sample, exactly as
/// training prepared its rows.
pub fn prepare_row(values: &[String], spec: &DataSpec) -> Result<Vec<f32>, DatasetError> {
    if spec.kind != DataKind::Csv {
        return Err(DatasetError::WrongKind { expected: spec.kind });
    }
    let columns = &spec.feature_columns;
    if values.len() != columns.len() {
        return Err(DatasetError::WrongFeatureCount {
            expected: columns.len(),
            found: values.len(),
            columns: columns.clone(),
        });
    }
    let mut sample = values
        .iter()
        .zip(columns)
        .map(|(value, column)| parse(value, None, column))
        .collect::<Result<Vec<f32>, _>>()?;
    if let Some(normalization) = &spec.normalization {
        if normalization.mean.len() != sample.len() || normalization.std.len() != sample.len() {
            return Err(DatasetError::BadSpec(format!(
                "{} feature columns but normalisation for {}",
                sample.len(),
                normalization.mean.len()
            )));
        }
        normalize(&mut sample, normalization);
    }
    Ok(sample)
}

pub(crate) fn inspect(path: &Path) -> Result<DataSpec, DatasetError> {
    Ok(scan(path, false)?.spec)
}

pub(crate) fn load(path: &Path) -> Result<Dataset, DatasetError> {
    let Scan {
        spec,
        mut features,
        targets,
    } = scan(path, true)?;
    if let Some(normalization) = &spec.normalization {
        for sample in features.chunks_exact_mut(spec.feature_columns.len()) {
            normalize(sample, normalization);
        }
    }
    let names = (1..=targets.len()).map(|row| format!("row {row}")).collect();
    Ok(Dataset {
        spec,
        features,
        targets,
        names,
    })
}

/// `(x - mean) / std`, in `f32`, the same for training rows and prediction inputs.
fn normalize(sample: &mut [f32], normalization: &Normalization) {
    for ((x, mean), std) in sample.iter_mut().zip(&normalization.mean).zip(&normalization.std) {
        *x = (*x - mean) / std;
    }
}

/// A finite `f32`, or an error naming the row (if any), the column and the value.
fn parse(value: &str, row: Option<usize>, column: &str) -> Result<f32, DatasetError> {
    let error = |finite_only| DatasetError::NotANumber {
        row,
        column: column.to_owned(),
        value: value.to_owned(),
        finite_only,
    };
    match value.trim().parse::<f32>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(error(true)),
        Err(_) => Err(error(false)),
    }
}

/// The spec, and when `keep` the raw (not yet normalised) features and class ids.
struct Scan {
    spec: DataSpec,
    features: Vec<f32>,
    targets: Vec<u32>,
}

fn scan(path: &Path, keep: bool) -> Result<Scan, DatasetError> {
    let file = File::open(path).map_err(DatasetError::Unreadable)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(file);
    let header = reader.headers().map_err(|e| csv_error(e, None))?.clone();
    let (columns, label) = columns(&header)?;
    let features: Vec<usize> = (0..columns.len()).filter(|&i| i != label).collect();
    let mut moments = vec![Moments::default(); features.len()];
    let mut values = Vec::new();
    // Class ids in order of first appearance; renumbered once the classes are known.
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut first_seen: Vec<String> = Vec::new();
    let mut targets = Vec::new();
    let mut record = StringRecord::new();
    let mut rows = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => rows += 1,
            Ok(false) => break,
            Err(e) => return Err(csv_error(e, Some(rows + 1))),
        }
        for (&i, moments) in features.iter().zip(&mut moments) {
            let x = parse(record.get(i).unwrap_or_default(), Some(rows), &columns[i])?;
            moments.push(x);
            if keep {
                values.push(x);
            }
        }
        let name = record.get(label).unwrap_or_default().trim();
        if name.is_empty() {
            return Err(DatasetError::EmptyCsvLabel {
                row: rows,
                column: columns[label].clone(),
            });
        }
        let id = match seen.get(name) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(first_seen.len()).unwrap_or(u32::MAX);
                seen.insert(name.to_owned(), id);
                first_seen.push(name.to_owned());
                id
            }
        };
        if keep {
            targets.push(id);
        }
    }
    if rows == 0 {
        return Err(DatasetError::CsvNoRows);
    }
    let classes = classes::ordered(first_seen.iter().map(String::as_str))?;
    let ids = classes::ids(&classes);
    let renumber: Vec<u32> = first_seen
        .iter()
        .map(|name| ids.get(name.as_str()).copied().unwrap_or_default())
        .collect();
    for id in &mut targets {
        *id = renumber[*id as usize];
    }
    let spec = DataSpec {
        kind: DataKind::Csv,
        input: Shape::Vector(features.len() as u64),
        classes,
        samples: rows,
        label_column: Some(columns[label].clone()),
        feature_columns: features.iter().map(|&i| columns[i].clone()).collect(),
        normalization: Some(Normalization {
            mean: moments.iter().map(|m| m.mean as f32).collect(),
            std: moments.iter().map(Moments::std).collect(),
        }),
    };
    Ok(Scan {
        spec,
        features: values,
        targets,
    })
}

/// The trimmed column names and the label column's index.
fn columns(header: &StringRecord) -> Result<(Vec<String>, usize), DatasetError> {
    let columns: Vec<String> = header.iter().map(|name| name.trim().to_owned()).collect();
    // An empty file reads as a header of no columns (a blank line as one empty column).
    if columns.iter().all(String::is_empty) && columns.len() <= 1 {
        return Err(DatasetError::CsvEmpty);
    }
    if columns.len() < 2 {
        return Err(DatasetError::CsvTooFewColumns { columns });
    }
    let mut names = HashSet::new();
    if let Some(twice) = columns.iter().find(|name| !names.insert(name.as_str())) {
        return Err(DatasetError::CsvDuplicateColumn(twice.clone()));
    }
    let label = columns
        .iter()
        .position(|name| name.eq_ignore_ascii_case("label"))
        .unwrap_or(columns.len() - 1);
    Ok((columns, label))
}

/// A reader error as the user should read it; `row` is the 1-based data row being read.
fn csv_error(error: csv::Error, row: Option<usize>) -> DatasetError {
    match error.kind() {
        ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            return DatasetError::CsvRowLength {
                row: row.unwrap_or(0),
                found: *len as usize,
                expected: *expected_len as usize,
            };
        }
        ErrorKind::Utf8 { .. } => {
            return DatasetError::CsvMalformed {
                row,
                message: "the text is not valid UTF-8".to_owned(),
            };
        }
        _ => {}
    }
    let message = error.to_string();
    match error.into_kind() {
        ErrorKind::Io(source) => DatasetError::Unreadable(source),
        _ => DatasetError::CsvMalformed { row, message },
    }
}

/// Running mean and variance (Welford, in `f64`): one pass, no catastrophic
/// cancellation.
#[derive(Debug, Clone, Default)]
struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f32) {
        let x = f64::from(x);
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Population standard deviation as stored: 0 (or anything unusable) becomes 1.
    fn std(&self) -> f32 {
        let std = (self.m2 / self.n.max(1) as f64).sqrt() as f32;
        if std > 0.0 && std.is_finite() { std } else { 1.0 }
    }
}
