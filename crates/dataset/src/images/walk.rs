//! Finding the pictures of an image folder and their folder classes.

use std::fs;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::error::DatasetError;

/// Extensions (lower case) of the files counted as pictures.
const EXTENSIONS: [&str; 8] = ["png", "jpg", "jpeg", "bmp", "gif", "tiff", "tif", "webp"];

/// One picture of the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picture {
    /// Path relative to the original root, `/`-separated.
    pub rel: String,
    /// The top-level folder (below the descended root) it lies in, if any.
    pub folder_class: Option<String>,
}

fn is_picture(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Every picture under `root`, sorted by relative path. Symbolic links are not
/// followed (nor counted).
pub(crate) fn pictures(root: &Path) -> Result<Vec<Picture>, DatasetError> {
    let (base, prefix) = descend(root)?;
    let mut out = Vec::new();
    for entry in WalkDir::new(&base).follow_links(false).min_depth(1) {
        let entry = entry.map_err(|e| walk_error(root, e))?;
        if !entry.file_type().is_file() || !is_picture(entry.path()) {
            continue;
        }
        let parts = components(entry.path().strip_prefix(&base).unwrap_or(entry.path()))?;
        let folder_class = (parts.len() > 1).then(|| parts[0].clone());
        out.push(Picture {
            rel: format!("{prefix}{}", parts.join("/")),
            folder_class,
        });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// While a folder holds exactly one folder and no pictures, goes down into it.
/// Returns the folder reached and its path relative to `root` (`""` or ending in `/`).
fn descend(root: &Path) -> Result<(PathBuf, String), DatasetError> {
    let mut base = root.to_path_buf();
    let mut prefix = String::new();
    loop {
        let io_error = |source| {
            if prefix.is_empty() {
                DatasetError::Unreadable(source)
            } else {
                DatasetError::Io {
                    path: prefix.trim_end_matches('/').to_owned(),
                    source,
                }
            }
        };
        let mut folders = Vec::new();
        let mut has_pictures = false;
        for entry in fs::read_dir(&base).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            // `file_type` does not follow symbolic links, so linked folders are not folders.
            let kind = entry.file_type().map_err(io_error)?;
            if kind.is_dir() {
                folders.push(entry.file_name());
            } else if kind.is_file() && is_picture(Path::new(&entry.file_name())) {
                has_pictures = true;
            }
        }
        match folders.as_slice() {
            [only] if !has_pictures => {
                let name = only.to_str().ok_or_else(|| DatasetError::NonUtf8Path {
                    path: format!("{prefix}{}", only.to_string_lossy()),
                })?;
                prefix = format!("{prefix}{name}/");
                base.push(only);
            }
            _ => return Ok((base, prefix)),
        }
    }
}

/// A relative path's components as UTF-8 strings.
fn components(relative: &Path) -> Result<Vec<String>, DatasetError> {
    relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .map(|name| {
            name.to_str()
                .map(str::to_owned)
                .ok_or_else(|| DatasetError::NonUtf8Path {
                    path: relative.to_string_lossy().into_owned(),
                })
        })
        .collect()
}

fn walk_error(root: &Path, error: walkdir::Error) -> DatasetError {
    let path = error
        .path()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let source = std::io::Error::from(error);
    if path.is_empty() {
        DatasetError::Unreadable(source)
    } else {
        DatasetError::Io { path, source }
    }
}
