//! The data endpoints' request and response bodies.

use datastore::{DataItem, FileClass, UploadKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use workbench::{UploadSource, UrlFetcher};

use crate::request::{EMPTY_FILE, NO_FILE, REQUIRED, RequestBody, StreamedFile};

/// One row of `GET /data/list/`: the original service's keys first (`file_type` holds
/// the class, as it did there), then extra details.
#[derive(Serialize, ToSchema)]
pub struct DataListItem {
    pub id: i64,
    /// RFC 3339 UTC with microseconds.
    pub created_at: String,
    /// The class: doc, code, audio or picture.
    pub file_type: String,
    /// Stored name, `name_YYYYmmddHHMMSS.ext`.
    pub file_name: String,
    pub owner: i64,
    /// How it was uploaded: single, zip or url.
    pub upload_type: String,
    pub size: u64,
    pub content_type: String,
    pub sha256: String,
    pub file_count: u64,
    pub source_url: Option<String>,
}

impl From<&DataItem> for DataListItem {
    fn from(item: &DataItem) -> Self {
        DataListItem {
            id: item.id.get(),
            created_at: crate::time::rfc3339_micros(item.created_at),
            file_type: item.class.as_str().to_owned(),
            file_name: item.stored_name.clone(),
            owner: item.owner.get(),
            upload_type: item.kind.as_str().to_owned(),
            size: item.size,
            content_type: item.content_type.clone(),
            sha256: item.sha256.clone(),
            file_count: item.file_count,
            source_url: item.source_url.clone(),
        }
    }
}

/// `{"data_id": 1}`
#[derive(Serialize, ToSchema)]
pub struct DataIdBody {
    pub data_id: i64,
}

/// What an upload holds (`file_class`).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileClassName {
    Doc,
    Code,
    Audio,
    Picture,
}

impl From<FileClassName> for FileClass {
    fn from(class: FileClassName) -> Self {
        match class {
            FileClassName::Doc => FileClass::Doc,
            FileClassName::Code => FileClass::Code,
            FileClassName::Audio => FileClass::Audio,
            FileClassName::Picture => FileClass::Picture,
        }
    }
}

/// How an upload arrives (`file_type`).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadTypeName {
    Single,
    Zip,
    Url,
}

impl From<UploadTypeName> for UploadKind {
    fn from(kind: UploadTypeName) -> Self {
        match kind {
            UploadTypeName::Single => UploadKind::Single,
            UploadTypeName::Zip => UploadKind::Zip,
            UploadTypeName::Url => UploadKind::Url,
        }
    }
}

/// The multipart upload form; the file streams to disk as it arrives.
#[derive(Deserialize, ToSchema)]
pub struct UploadForm {
    #[schema(required = true, inline)]
    pub file_type: Option<UploadTypeName>,
    #[schema(required = true, inline)]
    pub file_class: Option<FileClassName>,
    /// The file (single, zip).
    pub file: Option<StreamedFile>,
    /// The address to download (url).
    #[schema(max_length = 65536)]
    pub url: Option<String>,
}

impl RequestBody for UploadForm {}

impl UploadForm {
    /// Kind, class and where the bytes come from: the file for single and zip uploads
    /// (present, not empty), the URL for url uploads (allowed by `fetcher`'s policy);
    /// else every problem, those found while reading the form (`errors`) included.
    pub fn source(
        self,
        fetcher: &UrlFetcher,
        mut errors: common::FieldErrors,
    ) -> Result<(UploadKind, FileClass, UploadSource), common::FieldErrors> {
        let kind = self.file_type.map(UploadKind::from);
        let source = match kind {
            Some(UploadKind::Single | UploadKind::Zip) => match self.file {
                None => {
                    errors.add("file", NO_FILE);
                    None
                }
                Some(file) if file.written.size == 0 => {
                    errors.add("file", EMPTY_FILE);
                    None
                }
                Some(file) => Some(UploadSource::File {
                    name: file.file_name,
                    written: file.written,
                }),
            },
            Some(UploadKind::Url) => match self.url.map(|text| fetcher.parse(&text)) {
                None => {
                    errors.add("url", REQUIRED);
                    None
                }
                Some(Err(message)) => {
                    errors.add("url", message);
                    None
                }
                Some(Ok(url)) => Some(UploadSource::Url(url)),
            },
            None => None,
        };
        match (kind, self.file_class, source) {
            (Some(kind), Some(class), Some(source)) if errors.is_empty() => Ok((kind, class.into(), source)),
            _ => Err(errors),
        }
    }
}

/// `GET /data/list/`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only uploads of this class.
    #[param(inline)]
    pub file_class: Option<FileClassName>,
    /// Rows to skip.
    pub offset: Option<u64>,
    /// Rows to return.
    pub limit: Option<u64>,
}

/// `GET /data/<id>/`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemParams {
    /// A file inside an archive upload.
    pub relative_path: Option<String>,
    /// CSV: rows to skip.
    pub offset: Option<u64>,
    /// CSV: rows to return.
    pub limit: Option<u64>,
    /// CSV: the file itself instead of JSON.
    pub raw: Option<bool>,
}
