//! Streams bytes to a file on a blocking thread, hashing as it goes. The async side
//! hands over chunks through a small bounded channel, so memory stays flat whatever the
//! size and no file I/O runs on the async workers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

/// What was written: byte count and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Bytes written.
    pub size: u64,
    /// SHA-256 of them, lowercase hex.
    pub sha256: String,
}

/// A file being written from async code. Call [`FileSink::finish`] in every case,
/// also after a failure, so the file is closed before its folder is cleaned up.
pub struct FileSink {
    sender: Option<mpsc::Sender<Bytes>>,
    writer: tokio::task::JoinHandle<std::io::Result<Written>>,
}

impl FileSink {
    /// Creates `path` and starts its writer (on tokio's blocking pool).
    pub fn create(path: PathBuf) -> Self {
        let (sender, mut receiver) = mpsc::channel::<Bytes>(16);
        let writer = tokio::task::spawn_blocking(move || {
            let mut file = BufWriter::with_capacity(256 * 1024, File::create(&path)?);
            let mut hasher = Sha256::new();
            let mut size = 0u64;
            while let Some(chunk) = receiver.blocking_recv() {
                hasher.update(&chunk);
                file.write_all(&chunk)?;
                size += chunk.len() as u64;
            }
            let file = file.into_inner().map_err(|e| e.into_error())?;
            // Acknowledged uploads must survive a crash.
            file.sync_data()?;
            Ok(Written {
                size,
                sha256: format!("{:x}", hasher.finalize()),
            })
        });
        Self {
            sender: Some(sender),
            writer,
        }
    }

    /// Hands a chunk to the writer, waiting while it is behind. After the writer
    /// stopped early the chunk is dropped: its error comes from [`FileSink::finish`].
    pub async fn write(&mut self, chunk: Bytes) {
        if let Some(sender) = &self.sender
            && sender.send(chunk).await.is_err()
        {
            self.sender = None;
        }
    }

    /// Closes the file (flushed to disk) and says what was written.
    pub async fn finish(mut self) -> std::io::Result<Written> {
        self.sender = None;
        self.writer
            .await
            .map_err(|e| std::io::Error::other(format!("upload writer failed: {e}")))?
    }
}
