//! Why an archive was refused, with messages meant for the user who uploaded it.

use std::io;

use zip::result::ZipError;

use super::names::NameProblem;

/// Why an archive was not extracted. Every variant but [`ArchiveError::Io`] is the
/// archive's fault (see [`ArchiveError::is_client_error`]); its message is meant for the
/// user who uploaded it.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file is not a zip archive, or it is corrupt or truncated (including entry data
    /// that does not match its checksum or declared size).
    #[error("the file is not a valid zip archive: {0}")]
    Invalid(String),
    /// More entries (files plus folders) than
    /// [`ZipLimits::max_entries`](super::ZipLimits::max_entries).
    #[error("the archive has more than {max} entries")]
    TooManyEntries {
        /// The limit.
        max: u64,
    },
    /// The files would hold more than
    /// [`ZipLimits::max_total_bytes`](super::ZipLimits::max_total_bytes).
    #[error("the archive would expand to more than {max} bytes")]
    TooLarge {
        /// The limit.
        max: u64,
    },
    /// An entry expands more than [`ZipLimits::max_ratio`](super::ZipLimits::max_ratio) times its
    /// compressed size.
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

impl common::ErrorCode for ArchiveError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "archive_invalid",
            Self::TooManyEntries { .. } => "archive_too_many_entries",
            Self::TooLarge { .. } => "archive_too_large",
            Self::RatioTooHigh { .. } => "archive_ratio_too_high",
            Self::OutsideUpload { .. } => "archive_entry_outside",
            Self::InvalidName { .. } => "archive_entry_name",
            Self::Symlink { .. } => "archive_symlink",
            Self::Encrypted => "archive_encrypted",
            Self::UnsupportedCompression { .. } => "archive_compression",
            Self::DuplicateEntry { .. } | Self::DuplicateNames => "archive_duplicate_entry",
            Self::PathConflict { .. } => "archive_path_conflict",
            Self::Io(_) => "archive_io",
        }
    }
}

impl ArchiveError {
    /// True for refusals caused by the archive's content (the client's fault: HTTP 400),
    /// false for local I/O failures (HTTP 500).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, ArchiveError::Io(_))
    }

    /// The refusal for an entry `name` whose path has `problem`.
    pub(super) fn for_name(problem: NameProblem, name: &str) -> Self {
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
pub(super) fn invalid(error: ZipError) -> ArchiveError {
    ArchiveError::Invalid(error.to_string())
}
