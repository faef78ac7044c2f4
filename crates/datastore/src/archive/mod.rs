//! Uploaded zip archives: safe extraction into an upload's folder, and the folder tree
//! shown to users.
//!
//! Extraction (run by [`DataService::ingest`](crate::DataService::ingest) on zip uploads)
//! refuses — leaving nothing behind — archives that are broken or
//! dangerous: entries that would land outside the upload (zip-slip), symbolic links,
//! encrypted entries, unsupported compression methods, duplicate paths, and archive bombs
//! (too many entries, too many bytes, an implausible compression ratio; see [`ZipLimits`]).
//!
//! Decisions worth knowing:
//!
//! - **Names** are decoded from the raw bytes: UTF-8 when the entry's UTF-8 flag (general
//!   purpose bit 11) is set or the bytes are valid UTF-8; otherwise GBK when the bytes are
//!   shaped like GBK text and decode cleanly (zips made on Chinese Windows); otherwise CP437,
//!   the zip format's legacy default. An Info-ZIP Unicode Path extra field (0x7075) whose
//!   CRC matches the stored name wins: the `zip` crate substitutes its UTF-8 name into
//!   `name_raw()` and sets the UTF-8 flag.
//! - **Paths**: `\` counts as `/`; empty and `.` components are dropped; absolute names,
//!   drive prefixes (`C:`), `..` components and NUL bytes are refused outright (never
//!   "sanitised" into a different path).
//! - **Duplicates**: an entry whose path was already used by an earlier file entry (after
//!   decoding and normalising, e.g. `a.txt` and `./a.txt`), or a path that would be both a
//!   file and a folder, refuses the whole archive: which copy the user meant is unknowable.
//!   Repeated folder entries are harmless and merged.
//! - **macOS junk**: entries with a `__MACOSX` component and files whose name starts with
//!   `._` (AppleDouble resource forks) are skipped silently; they are not counted.
//! - **Permissions** and timestamps stored in the archive are ignored: files are created
//!   with the process's default mode.

mod error;
mod names;
mod plan;
mod seek_buffer;
#[cfg(test)]
mod tests;
mod tree;
mod write;

use std::fs::{self, File};
use std::io;
use std::path::Path;

use zip::ZipArchive;

pub use error::ArchiveError;
pub(crate) use names::safe_relative_path;
pub(crate) use tree::tree_of;

use error::invalid;
use plan::plan;
use seek_buffer::SeekBuffer;
use write::{Written, write_plan};

/// Entries whose declared uncompressed size is at most this many bytes (1 MiB) are exempt
/// from the compression-ratio limit: small, highly compressible files (text, CSV, blank
/// images) legitimately compress far better than 200:1, and 1 MiB each is harmless. Above
/// it, an entry may expand to at most `compressed size × max_ratio` bytes.
pub const RATIO_EXEMPT_BYTES: u64 = 1024 * 1024;

/// Limits against archive bombs.
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    /// Most paths an archive may create: its file entries plus every distinct folder,
    /// including folders only implied by a file's path (`a/b/c.txt` counts 3). The raw
    /// number of entries in the central directory is held to the same limit.
    pub max_entries: u64,
    /// Most bytes all extracted files may hold together, declared and actual.
    pub max_total_bytes: u64,
    /// Highest uncompressed/compressed ratio of one entry larger than
    /// [`RATIO_EXEMPT_BYTES`].
    pub max_ratio: u64,
}

impl Default for ZipLimits {
    /// 100 000 entries, 8 GiB uncompressed in all, a ratio of 200:1.
    fn default() -> Self {
        ZipLimits {
            max_entries: 100_000,
            max_total_bytes: 8 * 1024 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// What an extraction produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Extracted {
    /// Regular files written.
    pub(crate) files: u64,
    /// Distinct folders in the extracted tree (explicit folder entries and folders implied
    /// by file paths), not counting the destination itself.
    pub(crate) folders: u64,
    /// Bytes written to files in all.
    pub(crate) bytes: u64,
}

/// Extracts `archive` (a zip file on disk) into the existing empty folder `dest`.
///
/// All checks that the central directory allows run BEFORE anything is written; sizes are
/// then enforced again while writing (declared sizes can lie). On any error, everything
/// written under `dest` is removed again (dest itself stays, empty).
///
/// Files are created with `create_new` (never overwriting, never following a symbolic
/// link); folders are created one component at a time, and an existing path in their place
/// must be a real folder. Anything already in `dest` is left alone, also on failure.
///
/// # Errors
///
/// An [`ArchiveError`] naming the first refusal; [`ArchiveError::Io`] for local disk errors
/// (including `dest` not being a folder).
pub(crate) fn extract_zip(
    archive: &Path,
    dest: &Path,
    limits: &ZipLimits,
) -> Result<Extracted, ArchiveError> {
    if !fs::symlink_metadata(dest)?.is_dir() {
        return Err(ArchiveError::Io(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("{} is not a folder", dest.display()),
        )));
    }
    let file = File::open(archive)?;
    let archive_len = file.metadata()?.len();
    let mut zip = ZipArchive::new(SeekBuffer::new(file)).map_err(invalid)?;
    let plan = plan(&zip, archive_len, limits)?;

    let mut written = Written::default();
    match write_plan(&mut zip, &plan, dest, limits, &mut written) {
        Ok(extracted) => {
            tracing::debug!(
                archive = %archive.display(),
                files = extracted.files,
                folders = extracted.folders,
                bytes = extracted.bytes,
                "extracted zip archive"
            );
            Ok(extracted)
        }
        Err(error) => {
            tracing::debug!(archive = %archive.display(), %error, "zip extraction failed, removing its output");
            written.remove();
            Err(error)
        }
    }
}
