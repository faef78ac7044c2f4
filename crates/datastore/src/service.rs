//! The data use cases over a catalogue repository and a blob store. Every method blocks
//! (files, database): callers run them off their async threads.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::archive::{ZipLimits, extract_zip, safe_relative_path, tree_of};
use crate::blob::{BlobStore, new_key};
use crate::error::DataError;
use crate::model::{DataId, DataItem, FileClass, ListQuery, NewDataItem, UploadKind, UserId};
use crate::naming::{clean_file_name, stored_name};
use crate::repository::DataRepo;
use crate::sniff::content_type;

/// Inside an archive upload's folder: the folder of the extracted files.
const FILES: &str = "files";
/// Inside an archive upload's folder: the tree of `FILES`, written once at upload so
/// showing it reads one file.
const TREE: &str = "tree.json";

/// Limits of the data service; read once at start.
#[derive(Debug, Clone)]
pub struct DataSettings {
    /// Largest single upload or download, in bytes.
    pub max_upload_bytes: u64,
    /// Bytes each user may store; `None` for no limit.
    pub quota_bytes: Option<u64>,
    /// What a zip upload may expand to.
    pub zip_limits: ZipLimits,
}

/// An upload received into a staging folder, not yet in the catalogue.
#[derive(Debug, Clone)]
pub struct Received {
    /// The folder from [`DataService::stage`] that holds the upload.
    pub staged_dir: PathBuf,
    /// The received bytes, inside `staged_dir`.
    pub file: PathBuf,
    /// The file name the client gave (or the URL's last segment), not yet cleaned.
    pub original_name: String,
    /// Bytes received.
    pub size: u64,
    /// SHA-256 of the received bytes, hex.
    pub sha256: String,
    /// Where a URL upload was downloaded from.
    pub source_url: Option<String>,
}

/// What an upload holds on local disk: its one file, or an archive's extracted folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A single upload (or a URL download): the file.
    File(PathBuf),
    /// An archive upload: the folder its files were extracted into.
    Folder(PathBuf),
}

/// How many bytes an upload may have, and why that many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadLimit {
    /// The per-upload limit, [`DataSettings::max_upload_bytes`].
    MaxUpload(u64),
    /// What is left of the owner's quota, when that is less.
    Quota(u64),
}

impl UploadLimit {
    /// The limit in bytes, whichever it is.
    pub fn bytes(self) -> u64 {
        match self {
            UploadLimit::MaxUpload(n) | UploadLimit::Quota(n) => n,
        }
    }

    /// The refusal for an upload that went past this limit.
    pub fn exceeded(self) -> DataError {
        match self {
            UploadLimit::MaxUpload(n) => {
                DataError::TooLarge(format!("The upload is larger than the limit of {n} bytes."))
            }
            UploadLimit::Quota(n) => DataError::QuotaExceeded(format!(
                "Storage quota exceeded: only {n} bytes of your quota are left."
            )),
        }
    }
}

/// The data use cases (upload, list, read, delete) over a catalogue repository `R` and a
/// blob store `B`.
pub struct DataService<R, B> {
    repo: R,
    blobs: B,
    settings: DataSettings,
    /// Held from the quota check to the recorded item, so uploads of one owner that
    /// finish together cannot each fit what is left and together pass the quota.
    committing: [std::sync::Mutex<()>; COMMIT_LOCKS],
}

/// Committed files younger than this may still be getting their row (several servers
/// can share one data folder): the sweep leaves them alone.
const UNRECORDED_GRACE: std::time::Duration = std::time::Duration::from_secs(600);

/// Owners share these locks by id (more locks, less waiting on someone else's upload).
const COMMIT_LOCKS: usize = 64;

impl<R: DataRepo, B: BlobStore> DataService<R, B> {
    /// A service over `repo` and `blobs`.
    pub fn new(repo: R, blobs: B, settings: DataSettings) -> Self {
        Self {
            repo,
            blobs,
            settings,
            committing: std::array::from_fn(|_| std::sync::Mutex::new(())),
        }
    }

    /// Removes what interrupted uploads and deletions left behind: staging and trash,
    /// and committed files whose row was never written (a stop between the two);
    /// returns how many.
    pub fn sweep(&self) -> Result<usize, DataError> {
        let mut removed = self.blobs.sweep()?;
        let mut recorded: HashMap<UserId, HashSet<String>> = HashMap::new();
        for (owner, key) in self.blobs.settled_keys(UNRECORDED_GRACE)? {
            let keys = match recorded.entry(owner) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(new) => new.insert(self.repo.storage_keys(owner)?.into_iter().collect()),
            };
            if !keys.contains(&key) {
                self.blobs.remove(&key)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// A new staging folder for an upload.
    pub fn stage(&self) -> Result<PathBuf, DataError> {
        Ok(self.blobs.stage()?)
    }

    /// Drops a staging folder whose upload was abandoned (errors are only logged).
    pub fn discard(&self, staged_dir: &Path) {
        self.blobs.discard(staged_dir);
    }

    /// The most bytes the owner may upload now.
    pub fn upload_limit(&self, owner: UserId) -> Result<UploadLimit, DataError> {
        let max = UploadLimit::MaxUpload(self.settings.max_upload_bytes);
        let Some(quota) = self.settings.quota_bytes else {
            return Ok(max);
        };
        let left = quota.saturating_sub(self.repo.used_bytes(owner)?);
        Ok(if left < max.bytes() {
            UploadLimit::Quota(left)
        } else {
            max
        })
    }

    /// Unpacks (archives), names and records a received upload. On any error the
    /// staged files are removed and nothing is recorded.
    pub fn ingest(
        &self,
        owner: UserId,
        class: FileClass,
        kind: UploadKind,
        received: Received,
    ) -> Result<DataItem, DataError> {
        let staged_dir = received.staged_dir.clone();
        self.discard_on_error(&staged_dir, self.ingest_staged(owner, class, kind, received))
    }

    fn discard_on_error(
        &self,
        staged_dir: &Path,
        result: Result<DataItem, DataError>,
    ) -> Result<DataItem, DataError> {
        if result.is_err() {
            self.blobs.discard(staged_dir);
        }
        result
    }

    /// Checks the quota, moves the staged folder into place and records the item; an
    /// item that cannot be recorded takes its files with it.
    fn commit_and_record(&self, staged_dir: &Path, mut item: NewDataItem) -> Result<DataItem, DataError> {
        let lock = &self.committing[(item.owner.get().unsigned_abs() % COMMIT_LOCKS as u64) as usize];
        // A panic elsewhere while holding it leaves nothing half-done that the lock guards.
        let _committing = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let limit = self.upload_limit(item.owner)?;
        if item.size > limit.bytes() {
            return Err(limit.exceeded());
        }
        let key = new_key(item.owner);
        self.blobs.commit(staged_dir, &key)?;
        item.storage_key = key.clone();
        self.repo.insert_item(&item).map_err(|e| {
            // Not recorded: the committed files must not linger unseen.
            if let Err(error) = self.blobs.remove(&key) {
                tracing::error!(%error, key, "could not remove files of an unrecorded upload");
            }
            DataError::from(e)
        })
    }

    fn ingest_staged(
        &self,
        owner: UserId,
        class: FileClass,
        kind: UploadKind,
        received: Received,
    ) -> Result<DataItem, DataError> {
        let now = Utc::now();
        let original_name = clean_file_name(&received.original_name);
        let stored = stored_name(&original_name, now);
        let (size, file_count, content_type) = match kind {
            UploadKind::Zip => {
                let files = received.staged_dir.join(FILES);
                std::fs::create_dir(&files)?;
                let extracted = extract_zip(&received.file, &files, &self.settings.zip_limits)?;
                std::fs::remove_file(&received.file)?;
                write_tree(&received.staged_dir)?;
                (extracted.bytes, extracted.files, "application/zip".to_owned())
            }
            UploadKind::Single | UploadKind::Url => {
                let head = read_head(&received.file)?;
                std::fs::rename(&received.file, received.staged_dir.join(&stored))?;
                (received.size, 1, content_type(&original_name, &head))
            }
        };
        let item = NewDataItem {
            owner,
            class,
            kind,
            original_name,
            stored_name: stored,
            storage_key: String::new(),
            size,
            content_type,
            sha256: received.sha256,
            source_url: received.source_url,
            file_count,
            created_at: now,
        };
        self.commit_and_record(&received.staged_dir, item)
    }

    /// Records files produced on the server (e.g. preprocessing results) as a new
    /// upload: one file at `staged_dir/<name>`, or a folder at `staged_dir/files/`
    /// recorded like an extracted archive named `name`. On error the staged files go.
    pub fn ingest_generated(
        &self,
        owner: UserId,
        class: FileClass,
        name: &str,
        staged_dir: &Path,
        folder: bool,
    ) -> Result<DataItem, DataError> {
        self.discard_on_error(
            staged_dir,
            self.record_generated(owner, class, name, staged_dir, folder),
        )
    }

    fn record_generated(
        &self,
        owner: UserId,
        class: FileClass,
        name: &str,
        staged_dir: &Path,
        folder: bool,
    ) -> Result<DataItem, DataError> {
        let now = Utc::now();
        let original_name = clean_file_name(name);
        let stored = stored_name(&original_name, now);
        let (kind, size, file_count, content_type, sha256) = if folder {
            write_tree(staged_dir)?;
            let (size, count, sha256) = folder_digest(&staged_dir.join(FILES))?;
            (UploadKind::Zip, size, count, "application/zip".to_owned(), sha256)
        } else {
            let file = staged_dir.join(&stored);
            std::fs::rename(staged_dir.join(&original_name), &file)?;
            let bytes = std::fs::read(&file)?;
            let digest = format!("{:x}", Sha256::digest(&bytes));
            let head = &bytes[..bytes.len().min(512)];
            (
                UploadKind::Single,
                bytes.len() as u64,
                1,
                content_type(&original_name, head),
                digest,
            )
        };
        let item = NewDataItem {
            owner,
            class,
            kind,
            original_name,
            stored_name: stored,
            storage_key: String::new(),
            size,
            content_type,
            sha256,
            source_url: None,
            file_count,
            created_at: now,
        };
        self.commit_and_record(staged_dir, item)
    }

    /// Where an upload's content is read from: its one file, or an archive's folder.
    pub fn content(&self, item: &DataItem) -> Result<Content, DataError> {
        Ok(match item.kind {
            UploadKind::Zip => Content::Folder(self.blobs.path(&item.storage_key, Path::new(FILES))),
            UploadKind::Single | UploadKind::Url => Content::File(self.file(item, None)?),
        })
    }

    /// The owner's upload with this id; [`DataError::NotFound`] otherwise.
    pub fn item(&self, owner: UserId, id: DataId) -> Result<DataItem, DataError> {
        self.repo.item(owner, id)?.ok_or(DataError::NotFound)
    }

    /// The owner's uploads, newest first, filtered and paged by `query`.
    pub fn list(&self, owner: UserId, query: &ListQuery) -> Result<Vec<DataItem>, DataError> {
        Ok(self.repo.items(owner, query)?)
    }

    /// Deletes the row and the files; `false` when the owner has no such item.
    pub fn delete(&self, owner: UserId, id: DataId) -> Result<bool, DataError> {
        let Some(item) = self.repo.delete_item(owner, id)? else {
            return Ok(false);
        };
        self.blobs.remove(&item.storage_key)?;
        Ok(true)
    }

    /// The nested folder tree of an archive upload.
    pub fn tree(&self, item: &DataItem) -> Result<serde_json::Value, DataError> {
        let bytes = std::fs::read(self.blobs.path(&item.storage_key, Path::new(TREE)))?;
        serde_json::from_slice(&bytes).map_err(|e| DataError::Io(std::io::Error::other(e)))
    }

    /// The local path of an upload's file: the file itself, or for archives the file at
    /// `relative_path` inside it.
    pub fn file(&self, item: &DataItem, relative_path: Option<&str>) -> Result<PathBuf, DataError> {
        let path = match (item.kind, relative_path) {
            (UploadKind::Zip, Some(relative)) => {
                let safe = safe_relative_path(relative).ok_or(DataError::OutsideUpload)?;
                self.blobs.path(&item.storage_key, &Path::new(FILES).join(safe))
            }
            (UploadKind::Zip, None) => return Err(DataError::NotFound),
            (_, _) => self.blobs.path(&item.storage_key, Path::new(&item.stored_name)),
        };
        // Only regular files are served, never folders or links.
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => Ok(path),
            _ => Err(DataError::NotFound),
        }
    }
}

/// Writes the folder tree of `staged_dir/files` to `staged_dir/tree.json`.
fn write_tree(staged_dir: &Path) -> Result<(), DataError> {
    let tree = tree_of(&staged_dir.join(FILES))?;
    std::fs::write(
        staged_dir.join(TREE),
        serde_json::to_vec(&tree).unwrap_or_default(),
    )?;
    Ok(())
}

/// Total size, file count and a SHA-256 over every file's path and bytes, in path order.
fn folder_digest(folder: &Path) -> Result<(u64, u64, String), DataError> {
    let mut hasher = Sha256::new();
    let (mut size, mut count) = (0u64, 0u64);
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.map_err(|e| DataError::Io(std::io::Error::other(e)))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        let mut file = std::fs::File::open(entry.path())?;
        size += std::io::copy(&mut file, &mut hasher)?;
        count += 1;
    }
    Ok((size, count, format!("{:x}", hasher.finalize())))
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    std::fs::File::open(path)?.take(512).read_to_end(&mut head)?;
    Ok(head)
}
