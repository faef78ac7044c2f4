//! Checkpoints and weights on disk, one folder per run, always written atomically
//! (a temporary file, flushed, then renamed over the old one), so a crash or a full
//! disk leaves the previous checkpoint or the new one, never half of one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use common::RunId;

const MAGIC: &[u8; 8] = b"NSMCKPT1";

/// The driver's own state saved beside the engine's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Steps done.
    pub step: u64,
    /// Seconds spent in training steps so far.
    pub training_seconds: f64,
}

/// A saved checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// Where the run was.
    pub progress: Progress,
    /// The engine's state (weights, optimiser, RNG).
    pub engine: Vec<u8>,
}

/// A checkpoint that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// Reading or writing failed.
    #[error("checkpoint file: {0}")]
    Io(#[source] io::Error),
    /// The disk is full (or the server's file-system quota used up): the new file
    /// could not be written; the previous one is kept.
    #[error("no space left on the server's disk")]
    StorageFull,
    /// The file is not a checkpoint.
    #[error("checkpoint file is damaged")]
    Damaged,
}

impl From<io::Error> for CheckpointError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Self::StorageFull,
            _ => Self::Io(error),
        }
    }
}

impl common::ErrorCode for CheckpointError {
    fn code(&self) -> &'static str {
        match self {
            Self::Io(_) => "checkpoint_io",
            Self::StorageFull => "checkpoint_storage_full",
            Self::Damaged => "checkpoint_damaged",
        }
    }
}

impl Checkpoint {
    /// The checkpoint as bytes: a magic, the progress as JSON with its length, then the
    /// engine's bytes (the file format, and what remote workers send).
    pub fn encode(&self) -> Result<Vec<u8>, CheckpointError> {
        let header = serde_json::to_vec(&self.progress).map_err(|_| CheckpointError::Damaged)?;
        let mut bytes = Vec::with_capacity(16 + header.len() + self.engine.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&header);
        bytes.extend_from_slice(&self.engine);
        Ok(bytes)
    }

    /// Reads [`Checkpoint::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, CheckpointError> {
        let rest = bytes
            .strip_prefix(MAGIC.as_slice())
            .ok_or(CheckpointError::Damaged)?;
        let (length, rest) = rest.split_first_chunk::<8>().ok_or(CheckpointError::Damaged)?;
        let length = usize::try_from(u64::from_le_bytes(*length)).map_err(|_| CheckpointError::Damaged)?;
        if length > rest.len() {
            return Err(CheckpointError::Damaged);
        }
        let (header, engine) = rest.split_at(length);
        let progress = serde_json::from_slice(header).map_err(|_| CheckpointError::Damaged)?;
        Ok(Self {
            progress,
            engine: engine.to_vec(),
        })
    }
}

/// Where a run's checkpoint and weights are kept while it trains: files on this
/// machine ([`CheckpointStore`]), or the server a remote worker reports to.
pub trait Checkpoints: Send + Sync {
    /// Saves the checkpoint of `run`, replacing the previous one, atomically.
    fn save(&self, run: RunId, checkpoint: &Checkpoint) -> Result<(), CheckpointError>;
    /// The last checkpoint of `run`, if any.
    fn load(&self, run: RunId) -> Result<Option<Checkpoint>, CheckpointError>;
    /// Saves the trained weights of `run` (for prediction and warm starts).
    fn save_weights(&self, run: RunId, weights: &[u8]) -> Result<(), CheckpointError>;
    /// The saved weights of `run`, if any.
    fn weights(&self, run: RunId) -> Result<Option<Vec<u8>>, CheckpointError>;
}

impl Checkpoints for CheckpointStore {
    fn save(&self, run: RunId, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
        CheckpointStore::save(self, run, checkpoint)
    }

    fn load(&self, run: RunId) -> Result<Option<Checkpoint>, CheckpointError> {
        CheckpointStore::load(self, run)
    }

    fn save_weights(&self, run: RunId, weights: &[u8]) -> Result<(), CheckpointError> {
        CheckpointStore::save_weights(self, run, weights)
    }

    fn weights(&self, run: RunId) -> Result<Option<Vec<u8>>, CheckpointError> {
        CheckpointStore::weights(self, run)
    }
}

/// The folder holding every run's files.
#[derive(Debug, Clone)]
pub struct CheckpointStore {
    root: PathBuf,
}

impl CheckpointStore {
    /// Files under `root` (created when needed).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn folder(&self, run: RunId) -> PathBuf {
        self.root.join(run.to_string())
    }

    /// Saves the checkpoint of `run`, replacing the previous one.
    pub fn save(&self, run: RunId, checkpoint: &Checkpoint) -> Result<(), CheckpointError> {
        write_atomically(&self.folder(run), "checkpoint.bin", &checkpoint.encode()?)
    }

    /// The last checkpoint of `run`, if any.
    pub fn load(&self, run: RunId) -> Result<Option<Checkpoint>, CheckpointError> {
        match fs::read(self.folder(run).join("checkpoint.bin")) {
            Ok(bytes) => Checkpoint::decode(&bytes).map(Some),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Saves the trained weights of `run` (for prediction and warm starts).
    pub fn save_weights(&self, run: RunId, weights: &[u8]) -> Result<(), CheckpointError> {
        write_atomically(&self.folder(run), "weights.bin", weights)
    }

    /// Whether `run` has saved weights (without reading them).
    pub fn has_weights(&self, run: RunId) -> Result<bool, CheckpointError> {
        Ok(self.folder(run).join("weights.bin").try_exists()?)
    }

    /// The saved weights of `run`, if any.
    pub fn weights(&self, run: RunId) -> Result<Option<Vec<u8>>, CheckpointError> {
        match fs::read(self.folder(run).join("weights.bin")) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The runs that have files here (folders named by a run id; anything else is
    /// not this store's).
    pub fn runs(&self) -> Result<Vec<RunId>, CheckpointError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut runs = Vec::new();
        for entry in entries {
            let entry = entry?;
            if !entry.file_type()?.is_dir() {
                continue;
            }
            if let Some(id) = entry.file_name().to_str().and_then(|n| n.parse::<i64>().ok()) {
                runs.push(RunId(id));
            }
        }
        runs.sort();
        Ok(runs)
    }

    /// Removes every file of `run`.
    pub fn remove(&self, run: RunId) -> Result<(), CheckpointError> {
        match fs::remove_dir_all(self.folder(run)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), CheckpointError> {
    fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(".{name}.partial"));
    let written = File::create(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(error) = written.and_then(|()| fs::rename(&temporary, folder.join(name))) {
        // Half a file helps nobody and, on a full disk, holds the space others need.
        let _ = fs::remove_file(&temporary);
        return Err(error.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_round_trip_and_replace_each_other() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = CheckpointStore::new(dir.path());
        assert_eq!(store.load(RunId(3))?, None);
        let first = Checkpoint {
            progress: Progress {
                step: 100,
                training_seconds: 1.5,
            },
            engine: vec![1, 2, 3],
        };
        store.save(RunId(3), &first)?;
        assert_eq!(store.load(RunId(3))?, Some(first));
        let second = Checkpoint {
            progress: Progress {
                step: 200,
                training_seconds: 3.0,
            },
            engine: vec![9; 1000],
        };
        store.save(RunId(3), &second)?;
        assert_eq!(store.load(RunId(3))?, Some(second));
        assert!(!store.has_weights(RunId(3))?);
        store.save_weights(RunId(3), b"w")?;
        assert!(store.has_weights(RunId(3))?);
        assert_eq!(store.weights(RunId(3))?, Some(b"w".to_vec()));
        fs::write(dir.path().join("3/checkpoint.bin"), b"NSMCKPT1\xff")?;
        assert!(matches!(store.load(RunId(3)), Err(CheckpointError::Damaged)));
        fs::create_dir_all(dir.path().join("not-a-run"))?;
        assert_eq!(store.runs()?, vec![RunId(3)]);
        store.remove(RunId(3))?;
        assert_eq!(store.weights(RunId(3))?, None);
        assert_eq!(store.runs()?, Vec::<RunId>::new());
        Ok(())
    }

    #[test]
    fn a_write_that_fails_leaves_no_partial_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let store = CheckpointStore::new(dir.path());
        // A folder in the file's place makes the final rename fail.
        fs::create_dir_all(dir.path().join("4/weights.bin/inside"))?;
        assert!(store.save_weights(RunId(4), b"after").is_err());
        assert!(!dir.path().join("4/.weights.bin.partial").exists());
        Ok(())
    }

    #[test]
    fn a_full_disk_is_named_as_such() {
        let full = CheckpointError::from(io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(full.to_string(), "no space left on the server's disk");
        assert_eq!(common::ErrorCode::code(&full), "checkpoint_storage_full");
        assert!(matches!(
            CheckpointError::from(io::Error::other("x")),
            CheckpointError::Io(_)
        ));
    }
}
