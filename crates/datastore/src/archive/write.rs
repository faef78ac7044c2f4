//! Writing a checked plan to disk, with the size limits enforced again on the bytes
//! actually decompressed, and removing what was written when anything fails.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::error::invalid;
use super::plan::{Item, ItemKind};
use super::{ArchiveError, Extracted, RATIO_EXEMPT_BYTES, ZipLimits};

/// Size of the reused copy buffer.
const COPY_BUFFER_BYTES: usize = 64 * 1024;

/// What this extraction created, to remove it again on failure.
#[derive(Debug, Default)]
pub(super) struct Written {
    files: Vec<PathBuf>,
    /// In creation order: parents before children.
    folders: Vec<PathBuf>,
}

impl Written {
    /// Removes every file and then every folder created, children first.
    pub(super) fn remove(&mut self) {
        for file in self.files.drain(..) {
            if let Err(error) = fs::remove_file(&file) {
                tracing::warn!(path = %file.display(), %error, "could not remove a partly extracted file");
            }
        }
        for folder in self.folders.drain(..).rev() {
            if let Err(error) = fs::remove_dir(&folder) {
                tracing::warn!(path = %folder.display(), %error, "could not remove a partly extracted folder");
            }
        }
    }
}

/// Creates the planned folders and files under `dest`, enforcing the size limits on the
/// bytes actually decompressed.
pub(super) fn write_plan<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    plan: &[Item],
    dest: &Path,
    limits: &ZipLimits,
    written: &mut Written,
) -> Result<Extracted, ArchiveError> {
    let mut folders: HashSet<String> = HashSet::new();
    let mut buffer = vec![0u8; COPY_BUFFER_BYTES];
    let mut files = 0u64;
    let mut total = 0u64;
    for item in plan {
        let (index, compressed) = match item.kind {
            ItemKind::Folder => {
                ensure_folder(dest, &item.path, &mut folders, written)?;
                continue;
            }
            ItemKind::File { index, compressed } => (index, compressed),
        };
        if let Some((parent, _)) = item.path.rsplit_once('/') {
            ensure_folder(dest, parent, &mut folders, written)?;
        }
        let mut entry = zip.by_index(index).map_err(invalid)?;
        let target = dest.join(&item.path);
        let mut out = OpenOptions::new().write(true).create_new(true).open(&target)?;
        written.files.push(target);
        // The decompressed bytes may not exceed the ratio limit (above the exempt size) nor
        // the remaining total budget, whatever the entry declares.
        let entry_cap = RATIO_EXEMPT_BYTES.max(compressed.saturating_mul(limits.max_ratio));
        let mut entry_bytes = 0u64;
        loop {
            let read = match entry.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    return Err(ArchiveError::Invalid(format!(
                        "the entry {:?} cannot be read: {error}",
                        item.name
                    )));
                }
            };
            entry_bytes = entry_bytes.saturating_add(read as u64);
            total = total.saturating_add(read as u64);
            if entry_bytes > entry_cap {
                return Err(ArchiveError::RatioTooHigh {
                    name: item.name.clone(),
                    max_ratio: limits.max_ratio,
                });
            }
            if total > limits.max_total_bytes {
                return Err(ArchiveError::TooLarge {
                    max: limits.max_total_bytes,
                });
            }
            out.write_all(&buffer[..read])?;
        }
        files += 1;
    }
    Ok(Extracted {
        files,
        folders: folders.len() as u64,
        bytes: total,
    })
}

/// Makes sure the folder `path` (relative, `/`-separated) and its ancestors exist under
/// `dest`, creating each missing one (recorded in `written`) once per extraction.
fn ensure_folder(
    dest: &Path,
    path: &str,
    folders: &mut HashSet<String>,
    written: &mut Written,
) -> io::Result<()> {
    if folders.contains(path) {
        return Ok(());
    }
    let ends = path
        .match_indices('/')
        .map(|(slash, _)| slash)
        .chain(std::iter::once(path.len()));
    for end in ends {
        let prefix = &path[..end];
        if folders.contains(prefix) {
            continue;
        }
        let target = dest.join(prefix);
        match fs::create_dir(&target) {
            Ok(()) => written.folders.push(target),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                // Only a real folder will do; never follow a symbolic link.
                if !fs::symlink_metadata(&target)?.is_dir() {
                    return Err(io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        format!("{} exists and is not a folder", target.display()),
                    ));
                }
            }
            Err(error) => return Err(error),
        }
        folders.insert(prefix.to_owned());
    }
    Ok(())
}
