//! Shapes of the data endpoints' bodies.

use datastore::DataItem;
use serde::Serialize;
use utoipa::ToSchema;

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
            id: item.id,
            created_at: crate::time::rfc3339_micros(item.created_at),
            file_type: item.class.as_str().to_owned(),
            file_name: item.stored_name.clone(),
            owner: item.owner,
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

/// The multipart upload form.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// single, zip or url
    pub file_type: String,
    /// doc, code, audio or picture
    pub file_class: String,
    /// The file (single, zip).
    #[schema(value_type = String, format = Binary)]
    pub file: Option<Vec<u8>>,
    /// The address to download (url).
    pub url: Option<String>,
}
