//! Where upload bytes live. The trait is narrow (stage, commit, read, remove) so that an
//! object store can stand in for the local folder later without touching handlers.
//!
//! Local layout under the data folder: `blobs/<owner>/<key>/...` for committed uploads,
//! `blobs/.staging/<random>/` while an upload is received, `blobs/.trash/<random>/` while
//! one is deleted. Readers never see a half-written upload: a staged folder is renamed
//! into place whole.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{ErrorCode, UserId};
use rand::Rng;

/// The blob store's storage failed.
#[derive(Debug, thiserror::Error)]
#[error("blob storage failure: {0}")]
pub struct BlobError(#[from] pub io::Error);

impl ErrorCode for BlobError {
    fn code(&self) -> &'static str {
        "blob_storage"
    }
}

/// Where upload bytes live, by storage key (`<owner>/<random>`).
pub trait BlobStore: Send + Sync + 'static {
    /// A new private folder on local disk to receive an upload.
    fn stage(&self) -> Result<PathBuf, BlobError>;
    /// Moves a staged folder under `key`, whole.
    fn commit(&self, staged: &Path, key: &str) -> Result<(), BlobError>;
    /// A local path to read `relative` of the upload under `key` (not checked to exist).
    fn path(&self, key: &str, relative: &Path) -> PathBuf;
    /// Deletes everything under `key`.
    fn remove(&self, key: &str) -> Result<(), BlobError>;
    /// Drops a staged folder that will not be committed.
    fn discard(&self, staged: &Path);
    /// Removes leftovers of interrupted uploads and deletions; returns how many.
    fn sweep(&self) -> Result<usize, BlobError>;
    /// Every committed upload's owner and key whose files have not changed for
    /// `settled`: one being recorded right now (by this or another server) is younger.
    fn settled_keys(&self, settled: Duration) -> Result<Vec<(UserId, String)>, BlobError>;
}

/// Blobs in a folder on local disk, laid out as described above.
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    /// The store under `root`, creating it and its staging and trash folders as needed.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, BlobError> {
        let root = root.into();
        std::fs::create_dir_all(root.join(".staging"))?;
        std::fs::create_dir_all(root.join(".trash"))?;
        Ok(Self { root })
    }

    fn key_dir(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }
}

fn random_name() -> String {
    format!(
        "{:016x}{:08x}",
        rand::rng().random::<u64>(),
        rand::rng().random::<u32>()
    )
}

/// A fresh storage key for an owner's upload.
pub(crate) fn new_key(owner: UserId) -> String {
    format!("{owner}/{}", random_name())
}

impl BlobStore for LocalBlobStore {
    fn stage(&self) -> Result<PathBuf, BlobError> {
        let dir = self.root.join(".staging").join(random_name());
        std::fs::create_dir(&dir)?;
        Ok(dir)
    }

    fn commit(&self, staged: &Path, key: &str) -> Result<(), BlobError> {
        let target = self.key_dir(key);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(staged, target)?;
        Ok(())
    }

    fn path(&self, key: &str, relative: &Path) -> PathBuf {
        self.key_dir(key).join(relative)
    }

    fn remove(&self, key: &str) -> Result<(), BlobError> {
        // Renamed away first, so the upload vanishes at once; a crash during the slow
        // recursive delete leaves only trash, which the next sweep removes.
        let trash = self.root.join(".trash").join(random_name());
        match std::fs::rename(self.key_dir(key), &trash) {
            Ok(()) => Ok(std::fs::remove_dir_all(trash)?),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn discard(&self, staged: &Path) {
        if let Err(error) = std::fs::remove_dir_all(staged) {
            tracing::warn!(%error, path = %staged.display(), "could not remove a staged upload");
        }
    }

    fn sweep(&self) -> Result<usize, BlobError> {
        let mut removed = 0;
        for folder in [".staging", ".trash"] {
            for entry in std::fs::read_dir(self.root.join(folder))? {
                let path = entry?.path();
                let result = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                match result {
                    Ok(()) => removed += 1,
                    Err(error) => tracing::warn!(%error, path = %path.display(), "sweep failed"),
                }
            }
        }
        Ok(removed)
    }

    fn settled_keys(&self, settled: Duration) -> Result<Vec<(UserId, String)>, BlobError> {
        let now = SystemTime::now();
        let mut keys = Vec::new();
        for owner in std::fs::read_dir(&self.root)? {
            let owner = owner?;
            let Some(id) = owner.file_name().to_str().and_then(|n| n.parse::<i64>().ok()) else {
                continue; // `.staging`, `.trash`: not uploads
            };
            for upload in std::fs::read_dir(owner.path())? {
                let upload = upload?;
                let changed = upload.metadata()?.modified()?;
                if now.duration_since(changed).is_ok_and(|age| age >= settled) {
                    let key = format!("{id}/{}", upload.file_name().to_string_lossy());
                    keys.push((UserId(id), key));
                }
            }
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_folders_commit_whole_and_remove_cleanly() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let store = LocalBlobStore::open(root.path())?;
        let staged = store.stage()?;
        std::fs::write(staged.join("a.txt"), b"hello")?;
        store.commit(&staged, "7/abc")?;
        assert!(!staged.exists());
        assert_eq!(std::fs::read(store.path("7/abc", Path::new("a.txt")))?, b"hello");
        store.remove("7/abc")?;
        assert!(!store.path("7/abc", Path::new("")).exists());
        store.remove("7/abc")?;
        Ok(())
    }

    #[test]
    fn sweep_removes_interrupted_uploads() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let store = LocalBlobStore::open(root.path())?;
        let staged = store.stage()?;
        std::fs::write(staged.join("partial"), b"...")?;
        assert_eq!(store.sweep()?, 1);
        assert!(!staged.exists());
        Ok(())
    }

    #[test]
    fn settled_keys_are_the_committed_uploads_not_changed_lately() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let store = LocalBlobStore::open(root.path())?;
        let staged = store.stage()?;
        std::fs::write(staged.join("a.txt"), b"a")?;
        store.commit(&staged, "7/abc")?;
        assert_eq!(
            store.settled_keys(Duration::ZERO)?,
            vec![(UserId(7), "7/abc".to_owned())]
        );
        assert_eq!(store.settled_keys(Duration::from_secs(3600))?, Vec::new());
        Ok(())
    }
}
