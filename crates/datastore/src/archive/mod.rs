//! Uploaded zip archives: safe extraction into an upload's folder, and the folder tree
//! shown to users.
//!
//! [`extract_zip`] refuses — leaving nothing behind — archives that are broken or
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

mod names;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use zip::ZipArchive;
use zip::result::ZipError;

use names::{NameProblem, UTF8_FLAG, clean_components, decode_name};

/// Entries whose declared uncompressed size is at most this many bytes (1 MiB) are exempt
/// from the compression-ratio limit: small, highly compressible files (text, CSV, blank
/// images) legitimately compress far better than 200:1, and 1 MiB each is harmless. Above
/// it, an entry may expand to at most `compressed size × max_ratio` bytes.
pub const RATIO_EXEMPT_BYTES: u64 = 1024 * 1024;

/// Size of the read buffer over the archive file.
const ARCHIVE_BUFFER_BYTES: usize = 8 * 1024;

/// Size of the reused copy buffer.
const COPY_BUFFER_BYTES: usize = 64 * 1024;

/// `S_IFMT`: the file-type bits of a Unix mode.
const S_IFMT: u32 = 0o170_000;
/// `S_IFLNK`: a symbolic link.
const S_IFLNK: u32 = 0o120_000;
/// `S_IFDIR`: a directory.
const S_IFDIR: u32 = 0o040_000;

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
pub struct Extracted {
    /// Regular files written.
    pub files: u64,
    /// Distinct folders in the extracted tree (explicit folder entries and folders implied
    /// by file paths), not counting the destination itself.
    pub folders: u64,
    /// Bytes written to files in all.
    pub bytes: u64,
}

/// Why an archive was not extracted. Every variant but [`ArchiveError::Io`] is the
/// archive's fault (see [`ArchiveError::is_client_error`]); its message is meant for the
/// user who uploaded it.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file is not a zip archive, or it is corrupt or truncated (including entry data
    /// that does not match its checksum or declared size).
    #[error("the file is not a valid zip archive: {0}")]
    Invalid(String),
    /// More entries (files plus folders) than [`ZipLimits::max_entries`].
    #[error("the archive has more than {max} entries")]
    TooManyEntries {
        /// The limit.
        max: u64,
    },
    /// The files would hold more than [`ZipLimits::max_total_bytes`].
    #[error("the archive would expand to more than {max} bytes")]
    TooLarge {
        /// The limit.
        max: u64,
    },
    /// An entry expands more than [`ZipLimits::max_ratio`] times its compressed size.
    #[error("the archive entry {name:?} is compressed more than {max_ratio}:1 (a zip bomb?)")]
    RatioTooHigh {
        /// The entry's name as decoded.
        name: String,
        /// The limit.
        max_ratio: u64,
    },
    /// An absolute name, a drive prefix or a `..` component (zip-slip).
    #[error("the archive entry {name:?} would be written outside the upload")]
    OutsideUpload {
        /// The entry's name as decoded.
        name: String,
    },
    /// A name that cannot be a path: a NUL byte, an empty file name, or too long.
    #[error("the archive entry {name:?} has an invalid name: {reason}")]
    InvalidName {
        /// The entry's name as decoded.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A symbolic link entry (refused: it could point anywhere on the server).
    #[error("the archive entry {name:?} is a symbolic link")]
    Symlink {
        /// The entry's name as decoded.
        name: String,
    },
    /// An encrypted (password-protected) entry.
    #[error("the archive is encrypted")]
    Encrypted,
    /// A compression method other than stored or deflate.
    #[error(
        "the archive entry {name:?} uses the unsupported compression method {method}; \
         create the archive with the standard deflate compression"
    )]
    UnsupportedCompression {
        /// The entry's name as decoded.
        name: String,
        /// The method's name or number.
        method: String,
    },
    /// A file path used by two entries (after normalisation).
    #[error("the archive contains the file {name:?} more than once")]
    DuplicateEntry {
        /// The later entry's name as decoded.
        name: String,
    },
    /// Two entries with byte-for-byte the same name (the zip reader cannot tell them apart,
    /// so the name is not known).
    #[error("the archive contains two entries with the same name")]
    DuplicateNames,
    /// A path that would be both a file and a folder (`a` and `a/b.txt`).
    #[error(
        "the archive entry {name:?} clashes with another entry: a path cannot be both a file and a folder"
    )]
    PathConflict {
        /// The later entry's name as decoded.
        name: String,
    },
    /// A local disk error on the server (not the archive's fault).
    #[error("could not extract the archive on the server: {0}")]
    Io(#[from] io::Error),
}

impl ArchiveError {
    /// True for refusals caused by the archive's content (the client's fault: HTTP 400),
    /// false for local I/O failures (HTTP 500).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, ArchiveError::Io(_))
    }

    fn for_name(problem: NameProblem, name: &str) -> Self {
        match problem {
            NameProblem::Escapes => ArchiveError::OutsideUpload {
                name: name.to_owned(),
            },
            NameProblem::Nul | NameProblem::ComponentTooLong | NameProblem::TooLong => {
                ArchiveError::InvalidName {
                    name: name.to_owned(),
                    reason: problem.reason(),
                }
            }
        }
    }
}

/// A zip reader error: the archive's fault. (Once the archive file is open, read errors
/// come from truncated or corrupt content.)
fn invalid(error: ZipError) -> ArchiveError {
    ArchiveError::Invalid(error.to_string())
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
pub fn extract_zip(archive: &Path, dest: &Path, limits: &ZipLimits) -> Result<Extracted, ArchiveError> {
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

/// One thing to create, in archive order.
#[derive(Debug)]
struct Item {
    /// The entry's decoded name, for error messages.
    name: String,
    /// The normalised relative path: components joined with `/`.
    path: String,
    kind: ItemKind,
}

#[derive(Debug, Clone, Copy)]
enum ItemKind {
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
fn plan<R: Read + Seek>(
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

/// What this extraction created, to remove it again on failure.
#[derive(Debug, Default)]
struct Written {
    files: Vec<PathBuf>,
    /// In creation order: parents before children.
    folders: Vec<PathBuf>,
}

impl Written {
    /// Removes every file and then every folder created, children first.
    fn remove(&mut self) {
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
fn write_plan<R: Read + Seek>(
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

/// A buffered reader that keeps its buffer across seeks that land inside it.
///
/// The zip reader seeks to every entry's local header and then to its data; for an archive
/// of many small files these targets are usually already buffered, and
/// [`std::io::BufReader`] would discard its buffer (and make a system call) on every seek.
#[derive(Debug)]
struct SeekBuffer<R> {
    inner: R,
    buffer: Box<[u8]>,
    /// Offset in `inner` of `buffer[0]`.
    start: u64,
    /// Bytes of `buffer` holding data; `inner` is positioned at `start + filled`.
    filled: usize,
    /// Read position within `buffer`, at most `filled`.
    cursor: usize,
}

impl<R: Read + Seek> SeekBuffer<R> {
    fn new(inner: R) -> Self {
        SeekBuffer {
            inner,
            buffer: vec![0; ARCHIVE_BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            filled: 0,
            cursor: 0,
        }
    }

    fn position(&self) -> u64 {
        self.start + self.cursor as u64
    }

    /// Moves to `target`, within the buffer if it is there.
    fn seek_to(&mut self, target: u64) -> io::Result<u64> {
        if let Some(offset) = target.checked_sub(self.start)
            && offset <= self.filled as u64
        {
            self.cursor = offset as usize;
            return Ok(target);
        }
        let target = self.inner.seek(SeekFrom::Start(target))?;
        self.start = target;
        self.filled = 0;
        self.cursor = 0;
        Ok(target)
    }
}

impl<R: Read + Seek> Read for SeekBuffer<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.cursor == self.filled {
            let end = self.start + self.filled as u64;
            if out.len() >= self.buffer.len() {
                // A large read: straight into the caller's buffer.
                let read = self.inner.read(out)?;
                self.start = end + read as u64;
                self.filled = 0;
                self.cursor = 0;
                return Ok(read);
            }
            let read = self.inner.read(&mut self.buffer)?;
            self.start = end;
            self.filled = read;
            self.cursor = 0;
        }
        let available = &self.buffer[self.cursor..self.filled];
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.cursor += count;
        Ok(count)
    }
}

impl<R: Read + Seek> Seek for SeekBuffer<R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        match position {
            SeekFrom::Start(target) => self.seek_to(target),
            SeekFrom::Current(delta) => {
                let target = self.position().checked_add_signed(delta).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the file")
                })?;
                self.seek_to(target)
            }
            SeekFrom::End(_) => {
                let target = self.inner.seek(position)?;
                self.start = target;
                self.filled = 0;
                self.cursor = 0;
                Ok(target)
            }
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.position())
    }
}

/// The nested tree of a folder as shown to users: files map to their own name, folders to
/// an object of their contents, e.g. `{"a.py": "a.py", "mnist": {"train.py": "train.py"}}`.
/// Keys sorted by name. Symbolic links are skipped (as is anything that is neither a file
/// nor a folder); names that are not UTF-8 are shown lossily.
///
/// # Errors
///
/// Any error reading `dir` or a folder below it.
pub fn tree_of(dir: &Path) -> io::Result<serde_json::Value> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file_type = entry.file_type()?; // does not follow symbolic links
        let name = entry.file_name().to_string_lossy().into_owned();
        let value = if file_type.is_dir() {
            tree_of(&entry.path())?
        } else if file_type.is_file() {
            serde_json::Value::String(name.clone())
        } else {
            continue;
        };
        entries.insert(name, value);
    }
    Ok(serde_json::Value::Object(entries.into_iter().collect()))
}

/// The safe relative path inside an upload for a client-given `relative_path`
/// (e.g. `"mnist/train.py"`): `None` for anything that could escape (`..` components,
/// absolute paths, backslashes or drive prefixes like `C:`, NUL bytes, empty). Pure
/// string check, no disk access.
///
/// Empty and `.` components are dropped (`"a/./b"` is `a/b`); a path with no component
/// left (`"."`) is `None`, as are components over 255 bytes and paths over 3072 bytes.
pub fn safe_relative_path(relative: &str) -> Option<PathBuf> {
    if relative.contains('\\') {
        return None;
    }
    let components = clean_components(relative).ok()?;
    if components.is_empty() {
        return None;
    }
    Some(components.iter().collect())
}
