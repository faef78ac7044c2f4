//! The catalogue's records.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

pub use common::{DataId, UserId};

/// What kind of content an upload holds (`file_class` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileClass {
    /// Documents and data files (CSV included).
    Doc,
    /// Source code (generated training scripts are stored as this).
    Code,
    /// Sound recordings.
    Audio,
    /// Pictures, single or zipped image folders.
    Picture,
}

/// How the bytes arrived (`file_type` in the upload form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UploadKind {
    /// One file, stored as it came.
    Single,
    /// A zip archive, extracted on arrival; the archive itself is not kept.
    Zip,
    /// One file downloaded from a URL the client gave.
    Url,
}

macro_rules! string_enum {
    ($ty:ty, $($variant:path => $text:literal),+ $(,)?) => {
        impl $ty {
            /// The name in the API (and the database); [`FromStr`] reads it back.
            pub fn as_str(self) -> &'static str {
                match self { $($variant => $text),+ }
            }
        }

        impl FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($variant),)+
                    other => Err(format!("\"{other}\" is not a valid choice.")),
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(FileClass,
    FileClass::Doc => "doc", FileClass::Code => "code", FileClass::Audio => "audio", FileClass::Picture => "picture");
string_enum!(UploadKind,
    UploadKind::Single => "single", UploadKind::Zip => "zip", UploadKind::Url => "url");

/// One upload in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataItem {
    /// Assigned by the repository.
    pub id: DataId,
    /// The user who uploaded it; no one else can see it.
    pub owner: UserId,
    /// What the user said it holds.
    pub class: FileClass,
    /// How it arrived.
    pub kind: UploadKind,
    /// The name the client gave (or the URL's last segment).
    pub original_name: String,
    /// `name_YYYYmmddHHMMSS.ext`, as listed.
    pub stored_name: String,
    /// Where the bytes live in the blob store.
    pub storage_key: String,
    /// Bytes stored (for archives: the extracted files).
    pub size: u64,
    /// MIME type sniffed from the first bytes or the name; `application/zip` for archives.
    pub content_type: String,
    /// SHA-256 of the uploaded bytes (for archives: of the archive), hex.
    pub sha256: String,
    /// Where a URL upload was downloaded from.
    pub source_url: Option<String>,
    /// Files in an extracted archive (1 otherwise).
    pub file_count: u64,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// An upload about to be recorded; the repository assigns the id. The fields mean what
/// they mean on [`DataItem`].
#[derive(Debug, Clone)]
pub struct NewDataItem {
    /// See [`DataItem::owner`].
    pub owner: UserId,
    /// See [`DataItem::class`].
    pub class: FileClass,
    /// See [`DataItem::kind`].
    pub kind: UploadKind,
    /// See [`DataItem::original_name`].
    pub original_name: String,
    /// See [`DataItem::stored_name`].
    pub stored_name: String,
    /// See [`DataItem::storage_key`]; the service fills it in when it commits the files.
    pub storage_key: String,
    /// See [`DataItem::size`].
    pub size: u64,
    /// See [`DataItem::content_type`].
    pub content_type: String,
    /// See [`DataItem::sha256`].
    pub sha256: String,
    /// See [`DataItem::source_url`].
    pub source_url: Option<String>,
    /// See [`DataItem::file_count`].
    pub file_count: u64,
    /// See [`DataItem::created_at`].
    pub created_at: DateTime<Utc>,
}

/// Which rows a listing returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery {
    /// Only uploads of this class; `None` for all.
    pub class: Option<FileClass>,
    /// How many of the newest rows to skip.
    pub offset: u64,
    /// The most rows to return; `None` for all.
    pub limit: Option<u64>,
}
