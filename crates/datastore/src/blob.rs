//! Where upload bytes live. The trait is narrow (stage, commit, read, remove) so that an
//! object store can stand in for the local folder later without touching handlers.
//!
//! Local layout under the data folder: `blobs/<owner>/<key>/...` for committed uploads,
//! `blobs/.staging/<server>/<random>/` while an upload is received,
//! `blobs/.trash/<server>/<random>/` while one is deleted, where `<server>` names the
//! store of one server process, which holds `blobs/.servers/<server>.lock` locked while
//! it runs. Readers never see a half-written upload: a staged folder is renamed into
//! place whole. Several servers may share the data folder: the sweep at start removes
//! only what servers that are gone left behind (their lock is free), never an upload
//! another server is receiving.

use std::fs::File;
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

const STAGING: &str = ".staging";
const TRASH: &str = ".trash";
const SERVERS: &str = ".servers";

/// Blobs in a folder on local disk, laid out as described above.
pub struct LocalBlobStore {
    root: PathBuf,
    /// This store's folder name under `.staging` and `.trash`.
    server: String,
    /// Locked for as long as the store exists: its staging and trash are in use. (On a
    /// network file system the lock needs its locking, as NFS and CephFS have.)
    _alive: File,
}

impl LocalBlobStore {
    /// The store under `root`, creating it and its own staging and trash folders.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, BlobError> {
        let root = root.into();
        std::fs::create_dir_all(root.join(SERVERS))?;
        let server = random_name();
        // Locked before its folders exist, so that no sweep takes them for leftovers.
        let alive = File::create(lock_path(&root, &server))?;
        alive.lock()?;
        std::fs::create_dir_all(root.join(STAGING).join(&server))?;
        std::fs::create_dir_all(root.join(TRASH).join(&server))?;
        Ok(Self {
            root,
            server,
            _alive: alive,
        })
    }

    fn key_dir(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// A new folder of this store's under `.staging` or `.trash`.
    fn own(&self, folder: &str) -> PathBuf {
        self.root.join(folder).join(&self.server).join(random_name())
    }

    /// Whether the server named `server` still runs (holds its lock). Unsure is alive:
    /// a sweep must never take what a running server uses.
    fn runs(&self, server: &str) -> bool {
        if server == self.server {
            return true;
        }
        let lock = match File::open(lock_path(&self.root, server)) {
            Ok(lock) => lock,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return false,
            Err(error) => {
                tracing::warn!(%error, server, "cannot tell whether a server runs; its files are kept");
                return true;
            }
        };
        match lock.try_lock() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(error)) => {
                tracing::warn!(%error, server, "cannot tell whether a server runs; its files are kept");
                true
            }
        }
    }
}

fn lock_path(root: &Path, server: &str) -> PathBuf {
    root.join(SERVERS).join(format!("{server}.lock"))
}

/// Removes a file or folder; whether it went (a failure is logged).
fn remove_entry(path: &Path) -> bool {
    let result = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match result {
        Ok(()) => true,
        // Another server's sweep took it first.
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "sweep failed");
            false
        }
    }
}

/// How many uploads a gone server's folder held (a stray file counts as one).
fn leftovers_in(path: &Path) -> usize {
    if path.is_dir() {
        std::fs::read_dir(path).map_or(0, Iterator::count)
    } else {
        1
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
        let dir = self.own(STAGING);
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
        let trash = self.own(TRASH);
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
        for folder in [STAGING, TRASH] {
            for entry in std::fs::read_dir(self.root.join(folder))? {
                let entry = entry?;
                if self.runs(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let path = entry.path();
                let leftovers = leftovers_in(&path);
                if remove_entry(&path) {
                    removed += leftovers;
                }
            }
        }
        // The locks of servers that are gone, once their folders are.
        for entry in std::fs::read_dir(self.root.join(SERVERS))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(server) = name.strip_suffix(".lock")
                && !self.runs(server)
            {
                remove_entry(&lock_path(&self.root, server));
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
                continue; // `.staging`, `.trash`, `.servers`: not uploads
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
    fn sweep_removes_what_a_gone_server_left_and_nothing_of_one_that_runs()
    -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let gone = LocalBlobStore::open(root.path())?;
        let interrupted = gone.stage()?;
        std::fs::write(interrupted.join("partial"), b"...")?;
        drop(gone); // as a crash would: its lock is free
        let running = LocalBlobStore::open(root.path())?;
        let receiving = running.stage()?;
        std::fs::write(receiving.join("partial"), b"...")?;

        let starting = LocalBlobStore::open(root.path())?;
        assert_eq!(starting.sweep()?, 1);
        assert!(!interrupted.exists());
        assert!(receiving.exists(), "another server's upload in progress is kept");
        // The gone server's folders and lock are gone too; the two running ones remain.
        for folder in [STAGING, TRASH] {
            assert_eq!(std::fs::read_dir(root.path().join(folder))?.count(), 2);
        }
        assert_eq!(std::fs::read_dir(root.path().join(SERVERS))?.count(), 2);
        assert_eq!(starting.sweep()?, 0);
        Ok(())
    }

    #[test]
    fn sweep_removes_staged_uploads_of_the_earlier_flat_layout() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let store = LocalBlobStore::open(root.path())?;
        let flat = root.path().join(STAGING).join("0123456789abcdef01234567");
        std::fs::create_dir(&flat)?;
        std::fs::write(flat.join("partial"), b"...")?;
        assert_eq!(store.sweep()?, 1);
        assert!(!flat.exists());
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
