//! Errors of the data catalogue.

use std::io;

use common::ErrorCode;

use crate::archive::ArchiveError;
use crate::blob::BlobError;
use crate::repository::CatalogueError;

/// What [`DataError::StorageFull`] tells the user.
pub const STORAGE_FULL: &str = "There is not enough space on the server to store this upload.";

/// Whether a file-system error says the disk (or the server's file-system quota) is
/// full: no fault of the request, and nothing a retry of it now would change.
pub fn is_storage_full(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

/// Everything a data operation can answer besides success. The messages of
/// `TooLarge`, `QuotaExceeded`, `StorageFull` and client-caused `Archive` errors are
/// meant for the user. A full disk met anywhere (receiving, extracting, moving) becomes
/// `StorageFull`, whichever layer met it.
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
    /// The server's disk is full: the upload (or a result made from one) does not fit.
    #[error("{STORAGE_FULL}")]
    StorageFull,
    /// A zip upload was refused or could not be extracted.
    #[error("{0}")]
    Archive(#[source] ArchiveError),
    /// The catalogue rows could not be read or written.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// The upload bytes could not be stored, moved or removed.
    #[error(transparent)]
    Blob(BlobError),
    /// Another local file-system failure (reading an upload, writing its tree).
    #[error("file system: {0}")]
    Io(#[source] io::Error),
    /// Converting a CSV upload to JSON rows failed.
    #[error("{0}")]
    Csv(#[from] crate::csv_json::CsvError),
}

impl From<io::Error> for DataError {
    fn from(error: io::Error) -> Self {
        if is_storage_full(&error) {
            Self::StorageFull
        } else {
            Self::Io(error)
        }
    }
}

impl From<BlobError> for DataError {
    fn from(error: BlobError) -> Self {
        if is_storage_full(&error.0) {
            Self::StorageFull
        } else {
            Self::Blob(error)
        }
    }
}

impl From<ArchiveError> for DataError {
    fn from(error: ArchiveError) -> Self {
        match error {
            ArchiveError::Io(e) if is_storage_full(&e) => Self::StorageFull,
            error => Self::Archive(error),
        }
    }
}

impl ErrorCode for DataError {
    fn code(&self) -> &'static str {
        match self {
            Self::OutsideUpload => "path_outside_upload",
            Self::NotFound => "data_not_found",
            Self::TooLarge(_) => "upload_too_large",
            Self::QuotaExceeded(_) => "quota_exceeded",
            Self::StorageFull => "insufficient_storage",
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
            DataError::StorageFull.code(),
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

    #[test]
    fn a_full_disk_is_storage_full_whichever_layer_met_it() {
        let full = || io::Error::from(io::ErrorKind::StorageFull);
        assert!(matches!(DataError::from(full()), DataError::StorageFull));
        assert!(matches!(
            DataError::from(BlobError(full())),
            DataError::StorageFull
        ));
        assert!(matches!(
            DataError::from(ArchiveError::Io(full())),
            DataError::StorageFull
        ));
        assert!(matches!(
            DataError::from(io::Error::from(io::ErrorKind::QuotaExceeded)),
            DataError::StorageFull
        ));
        // Other disk failures stay what they were.
        assert!(matches!(
            DataError::from(io::Error::other("disk")),
            DataError::Io(_)
        ));
        assert!(matches!(
            DataError::from(ArchiveError::Io(io::Error::other("disk"))),
            DataError::Archive(_)
        ));
        assert_eq!(DataError::StorageFull.to_string(), STORAGE_FULL);
    }
}
