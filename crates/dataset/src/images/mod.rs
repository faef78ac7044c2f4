//! Image-folder data: describing, loading and preparing pictures.

mod header;
mod pixels;
mod walk;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use codegen::Shape;
use preprocess::codec;

use crate::classes;
use crate::error::DatasetError;
use crate::samples::{Dataset, Labels};
use common::DataKind;

use crate::spec::DataSpec;
use pixels::Target;

/// Every picture's path relative to `root`, sorted, with `/` separators (the paths
/// that labels may name).
pub fn image_files(root: &Path) -> Result<Vec<String>, DatasetError> {
    Ok(walk::pictures(root)?.into_iter().map(|p| p.rel).collect())
}

/// Decodes `bytes` and prepares them exactly as training prepared its pictures:
/// one sample, CHW, values in `[0, 1]`.
pub fn prepare_image(bytes: &[u8], spec: &DataSpec) -> Result<Vec<f32>, DatasetError> {
    let target = target(spec)?;
    let (image, _) = codec::decode(bytes).map_err(|e| DatasetError::BadInputPicture(e.to_string()))?;
    if image.width == 0 || image.height == 0 {
        return Err(DatasetError::BadInputPicture("it has no pixels".to_owned()));
    }
    let mut sample = vec![0.0; target.len()];
    pixels::write_sample(&image, target, &mut sample);
    Ok(sample)
}

pub(crate) fn inspect(root: &Path, labels: Option<&Labels>) -> Result<DataSpec, DatasetError> {
    Ok(plan(root, labels)?.spec)
}

pub(crate) fn load(root: &Path, labels: Option<&Labels>) -> Result<Dataset, DatasetError> {
    let Plan { spec, items } = plan(root, labels)?;
    let target = target(&spec)?;
    let mut features = vec![0.0; items.len() * target.len()];
    for ((rel, _), out) in items.iter().zip(features.chunks_exact_mut(target.len())) {
        let bytes = fs::read(root.join(rel)).map_err(|source| DatasetError::Io {
            path: rel.clone(),
            source,
        })?;
        let (image, _) = codec::decode(&bytes).map_err(|e| DatasetError::BadPicture {
            path: rel.clone(),
            reason: e.to_string(),
        })?;
        pixels::write_sample(&image, target, out);
    }
    let (names, targets) = items.into_iter().unzip();
    Ok(Dataset {
        spec,
        features,
        targets,
        names,
    })
}

/// The spec and, in sorted path order, every picture used with its class id.
struct Plan {
    spec: DataSpec,
    items: Vec<(String, u32)>,
}

fn plan(root: &Path, labels: Option<&Labels>) -> Result<Plan, DatasetError> {
    let pictures = walk::pictures(root)?;
    if pictures.is_empty() {
        return Err(DatasetError::NoPictures);
    }
    let empty = Labels::new();
    let labels = labels.unwrap_or(&empty);
    check_labels(labels, &pictures)?;
    let used: Vec<(String, String)> = pictures
        .into_iter()
        .filter_map(|p| {
            let class = labels
                .get(&p.rel)
                .map(|l| l.trim().to_owned())
                .or(p.folder_class)?;
            Some((p.rel, class))
        })
        .collect();
    let classes = classes::ordered(used.iter().map(|(_, c)| c.as_str()))?;
    let ids = classes::ids(&classes);
    let items: Vec<(String, u32)> = used
        .iter()
        .map(|(rel, class)| (rel.clone(), ids.get(class.as_str()).copied().unwrap_or_default()))
        .collect();
    let input = input_shape(root, &items)?;
    let spec = DataSpec {
        kind: DataKind::Images,
        input,
        classes,
        samples: items.len(),
        label_column: None,
        feature_columns: Vec::new(),
        normalization: None,
    };
    Ok(Plan { spec, items })
}

/// Every label must name a picture of the data and be non-empty.
fn check_labels(labels: &Labels, pictures: &[walk::Picture]) -> Result<(), DatasetError> {
    let known: HashSet<&str> = pictures.iter().map(|p| p.rel.as_str()).collect();
    for (path, label) in labels {
        if !known.contains(path.as_str()) {
            return Err(DatasetError::LabelForMissingFile { path: path.clone() });
        }
        if label.trim().is_empty() {
            return Err(DatasetError::EmptyLabel { path: path.clone() });
        }
    }
    Ok(())
}

/// The most common size (ties: the first picture's) and 1 or 3 channels, from the
/// headers of the pictures used.
fn input_shape(root: &Path, items: &[(String, u32)]) -> Result<Shape, DatasetError> {
    // (height, width) -> (count, first index)
    let mut sizes: HashMap<(u32, u32), (usize, usize)> = HashMap::new();
    let mut all_gray = true;
    for (index, (rel, _)) in items.iter().enumerate() {
        let header = header::read(root, rel)?;
        all_gray &= header.gray;
        sizes.entry((header.height, header.width)).or_insert((0, index)).0 += 1;
    }
    let ((h, w), _) = sizes
        .into_iter()
        .max_by(|(_, (count_a, first_a)), (_, (count_b, first_b))| {
            count_a.cmp(count_b).then(first_b.cmp(first_a))
        })
        .unwrap_or(((0, 0), (0, 0)));
    let c = if all_gray { 1 } else { 3 };
    Ok(Shape::Image {
        h: u64::from(h),
        w: u64::from(w),
        c,
    })
}

/// The sample size an image spec asks for.
fn target(spec: &DataSpec) -> Result<Target, DatasetError> {
    if spec.kind != DataKind::Images {
        return Err(DatasetError::WrongKind { expected: spec.kind });
    }
    let Shape::Image { h, w, c } = spec.input else {
        return Err(DatasetError::BadSpec(format!(
            "pictures with an input of {}",
            spec.input
        )));
    };
    let bad = || DatasetError::BadSpec(format!("an image input of {h}x{w}x{c}"));
    let height = u32::try_from(h).map_err(|_| bad())?;
    let width = u32::try_from(w).map_err(|_| bad())?;
    if height == 0 || width == 0 || !matches!(c, 1 | 3) {
        return Err(bad());
    }
    Ok(Target {
        height,
        width,
        channels: c as usize,
    })
}
