//! The checks made on the central directory before anything is written: names, entry
//! types, encryption, compression, declared sizes and duplicate paths.

use std::collections::HashMap;
use std::io::{Read, Seek};

use zip::ZipArchive;

use super::error::invalid;
use super::names::{UTF8_FLAG, clean_components, decode_name};
use super::{ArchiveError, RATIO_EXEMPT_BYTES, ZipLimits};

/// `S_IFMT`: the file-type bits of a Unix mode.
const S_IFMT: u32 = 0o170_000;
/// `S_IFLNK`: a symbolic link.
const S_IFLNK: u32 = 0o120_000;
/// `S_IFDIR`: a directory.
const S_IFDIR: u32 = 0o040_000;

/// One thing to create, in archive order.
#[derive(Debug)]
pub(super) struct Item {
    /// The entry's decoded name, for error messages.
    pub(super) name: String,
    /// The normalised relative path: components joined with `/`.
    pub(super) path: String,
    /// A folder, or a file and where to find it.
    pub(super) kind: ItemKind,
}

/// What an [`Item`] creates.
#[derive(Debug, Clone, Copy)]
pub(super) enum ItemKind {
    Folder,
    File { index: usize, compressed: u64 },
}

/// What a path in the archive has been claimed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    File,
    Folder,
}

/// Checks everything the central directory tells (names, types, encryption, compression,
/// declared sizes, duplicates) and returns what to create. A compressed size is believed
/// up to the archive's length `archive_len`.
pub(super) fn plan<R: Read + Seek>(
    zip: &ZipArchive<R>,
    archive_len: u64,
    limits: &ZipLimits,
) -> Result<Vec<Item>, ArchiveError> {
    let too_many = ArchiveError::TooManyEntries {
        max: limits.max_entries,
    };
    if u64::try_from(zip.len()).unwrap_or(u64::MAX) > limits.max_entries {
        return Err(too_many);
    }
    if zip.has_duplicate_names() {
        return Err(ArchiveError::DuplicateNames);
    }
    let metadata = zip.metadata();
    let mut claims: HashMap<String, Claim> = HashMap::with_capacity(zip.len());
    let mut items = Vec::with_capacity(zip.len());
    let mut declared_total = 0u64;
    for index in 0..zip.len() {
        let entry = metadata.entry(index).map_err(invalid)?;
        let name = decode_name(entry.name_raw(), entry.flags().as_u16() & UTF8_FLAG != 0);
        let normalised = name.replace('\\', "/");
        let components =
            clean_components(&normalised).map_err(|problem| ArchiveError::for_name(problem, &name))?;
        let mode = entry.unix_mode().map(|mode| mode & S_IFMT);
        let is_folder = normalised.ends_with('/') || mode == Some(S_IFDIR);
        if is_macos_junk(&components, is_folder) {
            continue;
        }
        if entry.encrypted() {
            return Err(ArchiveError::Encrypted);
        }
        if mode == Some(S_IFLNK) {
            return Err(ArchiveError::Symlink { name });
        }
        if components.is_empty() {
            if is_folder {
                continue; // "./": the destination itself
            }
            return Err(ArchiveError::InvalidName {
                name,
                reason: "it has no file name",
            });
        }
        let path = components.join("/");
        let kind = if is_folder {
            claim_folder(&mut claims, &path, &name)?;
            ItemKind::Folder
        } else {
            let method = entry.compression();
            if !zip::SUPPORTED_COMPRESSION_METHODS.contains(&method) {
                return Err(ArchiveError::UnsupportedCompression {
                    name,
                    method: method.to_string(),
                });
            }
            let size = entry.size();
            // No entry can hold more compressed bytes than the whole archive.
            let compressed = entry.compressed_size().min(archive_len);
            if size > RATIO_EXEMPT_BYTES && size > compressed.saturating_mul(limits.max_ratio) {
                return Err(ArchiveError::RatioTooHigh {
                    name,
                    max_ratio: limits.max_ratio,
                });
            }
            declared_total = declared_total.saturating_add(size);
            if declared_total > limits.max_total_bytes {
                return Err(ArchiveError::TooLarge {
                    max: limits.max_total_bytes,
                });
            }
            claim_file(&mut claims, &path, &name)?;
            ItemKind::File { index, compressed }
        };
        if u64::try_from(claims.len()).unwrap_or(u64::MAX) > limits.max_entries {
            return Err(too_many);
        }
        items.push(Item { name, path, kind });
    }
    Ok(items)
}

/// `__MACOSX` anywhere in the path, or a file named `._*` (AppleDouble resource fork).
fn is_macos_junk(components: &[&str], is_folder: bool) -> bool {
    components.contains(&"__MACOSX")
        || (!is_folder && components.last().is_some_and(|last| last.starts_with("._")))
}

/// Claims `path` as a file: refused if any entry already claimed it, or claimed one of its
/// folders as a file.
fn claim_file(claims: &mut HashMap<String, Claim>, path: &str, name: &str) -> Result<(), ArchiveError> {
    match claims.get(path) {
        Some(Claim::File) => {
            return Err(ArchiveError::DuplicateEntry {
                name: name.to_owned(),
            });
        }
        Some(Claim::Folder) => {
            return Err(ArchiveError::PathConflict {
                name: name.to_owned(),
            });
        }
        None => {}
    }
    if let Some((parent, _)) = path.rsplit_once('/') {
        claim_folder(claims, parent, name)?;
    }
    claims.insert(path.to_owned(), Claim::File);
    Ok(())
}

/// Claims `path` and all its ancestors as folders. A folder is only ever claimed after all
/// its ancestors, so the walk up stops at the first folder already claimed.
fn claim_folder(claims: &mut HashMap<String, Claim>, path: &str, name: &str) -> Result<(), ArchiveError> {
    let conflict = || ArchiveError::PathConflict {
        name: name.to_owned(),
    };
    // Ends of the prefixes to claim, deepest first.
    let mut missing = Vec::new();
    let mut end = path.len();
    loop {
        match claims.get(&path[..end]) {
            Some(Claim::Folder) => break,
            Some(Claim::File) => return Err(conflict()),
            None => missing.push(end),
        }
        match path[..end].rfind('/') {
            Some(slash) => end = slash,
            None => break,
        }
    }
    for &end in missing.iter().rev() {
        claims.insert(path[..end].to_owned(), Claim::Folder);
    }
    Ok(())
}
