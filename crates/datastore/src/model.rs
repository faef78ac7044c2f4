//! The catalogue's records.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

pub type DataId = i64;
pub type OwnerId = i64;

/// What kind of content an upload holds (`file_class` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileClass {
    Doc,
    Code,
    Audio,
    Picture,
}

/// How the bytes arrived (`file_type` in the upload form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UploadKind {
    Single,
    Zip,
    Url,
}

macro_rules! string_enum {
    ($ty:ty, $($variant:path => $text:literal),+ $(,)?) => {
        impl $ty {
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
    pub id: DataId,
    pub owner: OwnerId,
    pub class: FileClass,
    pub kind: UploadKind,
    /// The name the client gave (or the URL's last segment).
    pub original_name: String,
    /// `name_YYYYmmddHHMMSS.ext`, as listed.
    pub stored_name: String,
    /// Where the bytes live in the blob store.
    pub storage_key: String,
    /// Bytes stored (for archives: the extracted files).
    pub size: u64,
    pub content_type: String,
    /// SHA-256 of the uploaded bytes (for archives: of the archive), hex.
    pub sha256: String,
    pub source_url: Option<String>,
    /// Files in an extracted archive (1 otherwise).
    pub file_count: u64,
    pub created_at: DateTime<Utc>,
}

/// An upload about to be recorded; the repository assigns the id.
#[derive(Debug, Clone)]
pub struct NewDataItem {
    pub owner: OwnerId,
    pub class: FileClass,
    pub kind: UploadKind,
    pub original_name: String,
    pub stored_name: String,
    pub storage_key: String,
    pub size: u64,
    pub content_type: String,
    pub sha256: String,
    pub source_url: Option<String>,
    pub file_count: u64,
    pub created_at: DateTime<Utc>,
}

/// Which rows a listing returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery {
    pub class: Option<FileClass>,
    pub offset: u64,
    pub limit: Option<u64>,
}
