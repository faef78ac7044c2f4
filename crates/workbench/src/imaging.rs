//! Running a preprocessing pipeline over an upload: one picture, or every picture of an
//! archive's folder in parallel (rayon), each read, processed and written on its own so
//! that memory holds a few pictures at a time whatever the dataset's size.

use std::path::{Path, PathBuf};

use preprocess::codec::{self, CodecError};
use preprocess::{Image, Pipeline, PipelineOutput};
use rayon::prelude::*;
use serde::Serialize;

/// A picture of an archive that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Its path inside the archive, with `/`.
    pub path: String,
    /// Why it could not be processed (it could not be decoded).
    pub reason: String,
}

/// What processing a folder did.
pub(crate) struct JobOutcome {
    /// Pictures written.
    pub images: u64,
    pub skipped: Vec<Skipped>,
}

const PICTURE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp"];

fn is_picture(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PICTURE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The pictures a pipeline makes from one input: `(file name, bytes)` for the main
/// result (named like the input, with the output format's extension) and each copy.
fn render(name: &str, bytes: &[u8], pipeline: &Pipeline) -> Result<Vec<(String, Vec<u8>)>, CodecError> {
    let (image, format): (Image, _) = codec::decode(bytes)?;
    let PipelineOutput { main, extras } = pipeline.run(&image);
    let format = codec::output_format(format);
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let same_extension = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| format.extensions_str().contains(&e.to_ascii_lowercase().as_str()))
        .map(str::to_owned);
    let extension = same_extension.unwrap_or_else(|| codec::extension(format).to_owned());
    let mut out = vec![(format!("{stem}.{extension}"), codec::encode(&main, format)?)];
    for (index, step, image) in extras {
        out.push((
            format!("{stem}_{}_{step}.{extension}", index + 1),
            codec::encode(&image, format)?,
        ));
    }
    Ok(out)
}

/// Processes one picture file into `out_dir`, naming the results after `name`; returns
/// how many pictures it wrote and their file names.
pub(crate) fn process_picture(
    input: &Path,
    name: &str,
    out_dir: &Path,
    pipeline: &Pipeline,
) -> Result<(u64, Vec<String>), JobError> {
    let bytes = std::fs::read(input)?;
    let rendered = render(name, &bytes, pipeline).map_err(JobError::Picture)?;
    let names = rendered.iter().map(|(n, _)| n.clone()).collect();
    for (file, data) in &rendered {
        std::fs::write(out_dir.join(file), data)?;
    }
    Ok((rendered.len() as u64, names))
}

/// Processes every picture under `input` into the same layout under `output`; other
/// files are copied unchanged, pictures that cannot be decoded are skipped and listed.
pub(crate) fn process_folder(
    input: &Path,
    output: &Path,
    pipeline: &Pipeline,
) -> Result<JobOutcome, JobError> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
        let entry = entry.map_err(|e| JobError::Io(std::io::Error::other(e)))?;
        let relative = entry
            .path()
            .strip_prefix(input)
            .unwrap_or(entry.path())
            .to_owned();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(output.join(&relative))?;
        } else if entry.file_type().is_file() {
            files.push(relative);
        }
    }
    let results: Vec<Result<Result<u64, Skipped>, JobError>> = files
        .par_iter()
        .map(|relative| {
            let source = input.join(relative);
            let target_dir = output.join(relative.parent().unwrap_or(Path::new("")));
            if !is_picture(relative) {
                std::fs::copy(&source, output.join(relative))?;
                return Ok(Ok(0));
            }
            let name = relative
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match process_picture(&source, &name, &target_dir, pipeline) {
                Ok((count, _)) => Ok(Ok(count)),
                Err(JobError::Picture(e)) => Ok(Err(Skipped {
                    path: relative.to_string_lossy().replace('\\', "/"),
                    reason: e.to_string(),
                })),
                Err(e) => Err(e),
            }
        })
        .collect();
    let mut outcome = JobOutcome {
        images: 0,
        skipped: Vec::new(),
    };
    for result in results {
        match result? {
            Ok(count) => outcome.images += count,
            Err(skipped) => outcome.skipped.push(skipped),
        }
    }
    Ok(outcome)
}

/// Why processing stopped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JobError {
    /// A picture that cannot be decoded or encoded.
    #[error("{0}")]
    Picture(CodecError),
    /// Reading or writing files failed.
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
}
