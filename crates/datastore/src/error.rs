//! Errors of the data catalogue.

use common::ErrorCode;

use crate::archive::ArchiveError;
use crate::blob::BlobError;
use crate::repository::CatalogueError;

/// Everything a data operation can answer besides success. The messages of
/// `TooLarge`, `QuotaExceeded` and client-caused `Archive` errors are meant for the user.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A path inside an archive upload that would lead outside it.
    #[error("This path is not inside the upload.")]
    OutsideUpload,
    /// The owner has no such upload, or no such file inside it (also for another
    /// user's uploads: existence is not revealed).
    #[error("not found")]
    NotFound,
    /// The upload is larger than the per-upload limit; the message names the limit.
    #[error("{0}")]
    TooLarge(String),
    /// The upload does not fit into what is left of the owner's quota.
    #[error("{0}")]
    QuotaExceeded(String),
    /// A zip upload was refused or could not be extracted.
    #[error("{0}")]
    Archive(#[from] ArchiveError),
    /// The catalogue rows could not be read or written.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// The upload bytes could not be stored, moved or removed.
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// Another local file-system failure (reading an upload, writing its tree).
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// Converting a CSV upload to JSON rows failed.
    #[error("{0}")]
    Csv(#[from] crate::csv_json::CsvError),
}

impl ErrorCode for DataError {
    fn code(&self) -> &'static str {
        match self {
            Self::OutsideUpload => "path_outside_upload",
            Self::NotFound => "data_not_found",
            Self::TooLarge(_) => "upload_too_large",
            Self::QuotaExceeded(_) => "quota_exceeded",
            Self::Archive(e) => e.code(),
            Self::Catalogue(e) => e.code(),
            Self::Blob(e) => e.code(),
            Self::Io(_) => "data_file_system",
            Self::Csv(_) => "csv_conversion",
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::io;

    use super::*;
    use crate::csv_json::CsvError;

    #[test]
    fn every_failure_has_its_own_code() {
        let archive = [
            ArchiveError::Invalid(String::new()),
            ArchiveError::TooManyEntries { max: 1 },
            ArchiveError::TooLarge { max: 1 },
            ArchiveError::RatioTooHigh {
                name: String::new(),
                max_ratio: 1,
            },
            ArchiveError::OutsideUpload { name: String::new() },
            ArchiveError::InvalidName {
                name: String::new(),
                reason: "",
            },
            ArchiveError::Symlink { name: String::new() },
            ArchiveError::Encrypted,
            ArchiveError::UnsupportedCompression {
                name: String::new(),
                method: String::new(),
            },
            // Both duplicates are one failure to the user: `archive_duplicate_entry`.
            ArchiveError::DuplicateEntry { name: String::new() },
            ArchiveError::PathConflict { name: String::new() },
            ArchiveError::Io(io::Error::other("disk")),
        ];
        let mut codes: Vec<&str> = archive.iter().map(ErrorCode::code).collect();
        codes.extend([
            DataError::OutsideUpload.code(),
            DataError::NotFound.code(),
            DataError::TooLarge(String::new()).code(),
            DataError::QuotaExceeded(String::new()).code(),
            DataError::Io(io::Error::other("disk")).code(),
            DataError::Csv(CsvError::Write(io::Error::other("disk"))).code(),
            CatalogueError("db".into()).code(),
            BlobError(io::Error::other("disk")).code(),
            CsvError::Read(csv::Error::from(io::Error::other("disk"))).code(),
            CsvError::Write(io::Error::other("disk")).code(),
        ]);
        let distinct: HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(distinct.len(), codes.len(), "{codes:?}");
        assert!(codes.iter().all(|c| {
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }));
        assert_eq!(
            ArchiveError::DuplicateNames.code(),
            ArchiveError::DuplicateEntry { name: String::new() }.code()
        );
    }

    #[test]
    fn wrapped_errors_keep_their_code() {
        assert_eq!(
            DataError::from(ArchiveError::Encrypted).code(),
            "archive_encrypted"
        );
        assert_eq!(
            DataError::from(CatalogueError("db".into())).code(),
            "catalogue_storage"
        );
        assert_eq!(
            DataError::from(BlobError(io::Error::other("disk"))).code(),
            "blob_storage"
        );
    }
}
