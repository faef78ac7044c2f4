//! Uploads as they arrive: a staging folder to receive into, the limit that applies,
//! then either the received file or a server-side download of a URL, unpacked (for
//! archives), named and recorded. Whatever fails, nothing half-received stays.

use std::path::PathBuf;

use common::UserId;
use datastore::{BlobStore, DataError, DataItem, FileClass, Received, UploadKind, UploadLimit};

use crate::error::{Result, WorkbenchError};
use crate::file_sink::Written;
use crate::url_fetch::FetchError;
use crate::{Store, Workbench};

/// An upload being received: its staging folder and the most bytes it may have.
#[derive(Debug)]
pub struct PendingUpload {
    owner: UserId,
    staged: PathBuf,
    limit: UploadLimit,
}

impl PendingUpload {
    /// Where the received file is to be written.
    pub fn file_path(&self) -> PathBuf {
        self.staged.join("received")
    }

    /// The most bytes the upload may have, and why that many.
    pub fn limit(&self) -> UploadLimit {
        self.limit
    }
}

/// Where an upload's bytes come from.
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// Received into [`PendingUpload::file_path`] under this name.
    File {
        /// The name the client gave.
        name: String,
        /// What was written.
        written: Written,
    },
    /// To download (already checked with [`crate::UrlFetcher::parse`]).
    Url(url::Url),
}

impl<S: Store + 'static, B: BlobStore + 'static> Workbench<S, B> {
    /// The most bytes the owner may upload now (blocking).
    pub fn upload_limit(&self, owner: UserId) -> Result<UploadLimit> {
        Ok(self.data.upload_limit(owner)?)
    }

    /// A staging folder for an upload of the owner's (blocking).
    pub fn begin_upload(&self, owner: UserId, limit: UploadLimit) -> Result<PendingUpload> {
        Ok(PendingUpload {
            owner,
            staged: self.data.stage()?,
            limit,
        })
    }

    /// Removes what a refused upload received (blocking).
    pub fn abandon_upload(&self, pending: PendingUpload) {
        self.data.discard(&pending.staged);
    }

    /// Downloads the URL when the source is one, then unpacks, names and records the
    /// upload. On any error the staged files are removed and nothing is recorded.
    pub async fn finish_upload(
        &self,
        pending: PendingUpload,
        class: FileClass,
        kind: UploadKind,
        source: UploadSource,
    ) -> Result<DataItem> {
        let received = match self.receive(&pending, source).await {
            Ok(received) => received,
            Err(error) => {
                let bench = self.clone();
                let _ = tokio::task::spawn_blocking(move || bench.abandon_upload(pending)).await;
                return Err(error);
            }
        };
        let bench = self.clone();
        let owner = pending.owner;
        tokio::task::spawn_blocking(move || bench.data.ingest(owner, class, kind, received))
            .await
            .map_err(|e| WorkbenchError::internal("recording the upload", e))?
            .map_err(WorkbenchError::from)
    }

    async fn receive(&self, pending: &PendingUpload, source: UploadSource) -> Result<Received> {
        let file = pending.file_path();
        Ok(match source {
            UploadSource::File { name, written } => Received {
                staged_dir: pending.staged.clone(),
                file,
                original_name: name,
                size: written.size,
                sha256: written.sha256,
                source_url: None,
            },
            UploadSource::Url(url) => {
                let asked = url.to_string();
                let fetched = self
                    .fetcher
                    .fetch(url, file.clone(), pending.limit.bytes())
                    .await
                    .map_err(|e| match e {
                        FetchError::TooLarge => WorkbenchError::Data(pending.limit.exceeded()),
                        FetchError::Failed(message) => WorkbenchError::Url(message),
                        FetchError::Io(e) if datastore::is_storage_full(&e) => {
                            WorkbenchError::Data(DataError::StorageFull)
                        }
                        e @ FetchError::Io(_) => WorkbenchError::internal("downloading", e),
                    })?;
                Received {
                    staged_dir: pending.staged.clone(),
                    file,
                    original_name: fetched.file_name,
                    size: fetched.written.size,
                    sha256: fetched.written.sha256,
                    source_url: Some(if fetched.final_url == asked {
                        asked
                    } else {
                        fetched.final_url
                    }),
                }
            }
        })
    }

    /// Stores `text` as a new single-file upload named `name` (blocking).
    pub fn store_text(&self, owner: UserId, class: FileClass, name: &str, text: &str) -> Result<DataItem> {
        let staged = self.data.stage()?;
        let clean = datastore::naming::clean_file_name(name);
        if let Err(e) = std::fs::write(staged.join(&clean), text) {
            self.data.discard(&staged);
            return Err(if datastore::is_storage_full(&e) {
                WorkbenchError::Data(DataError::StorageFull)
            } else {
                WorkbenchError::internal("writing the file", e)
            });
        }
        Ok(self.data.ingest_generated(owner, class, name, &staged, false)?)
    }
}
