//! Streams bytes to a file on a blocking thread, hashing as it goes. The async side
//! hands over chunks through a small bounded channel, so memory stays flat whatever the
//! size and no file I/O runs on the async workers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use actix_web::web::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use crate::error::ApiError;

/// What was written: byte count and SHA-256 (hex).
pub struct Written {
    pub size: u64,
    pub sha256: String,
}

pub struct FileSink {
    sender: Option<mpsc::Sender<Bytes>>,
    writer: tokio::task::JoinHandle<std::io::Result<Written>>,
}

impl FileSink {
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

    pub async fn write(&mut self, chunk: Bytes) -> Result<(), ApiError> {
        let sender = self
            .sender
            .as_ref()
            .ok_or_else(|| ApiError::Internal("sink already closed".into()))?;
        if sender.send(chunk).await.is_err() {
            // The writer stopped early: its error is reported by `finish`.
            self.sender = None;
        }
        Ok(())
    }

    pub async fn finish(mut self) -> Result<Written, ApiError> {
        self.sender = None;
        self.writer
            .await
            .map_err(|e| ApiError::Internal(format!("upload writer failed: {e}")))?
            .map_err(|e| ApiError::Internal(format!("cannot write the upload: {e}")))
    }
}
