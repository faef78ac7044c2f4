//! The data catalogue: what users upload (single files, zip archives, downloads from a
//! URL), where the bytes live, and how they are previewed (zip trees, CSV as JSON).
//!
//! Pure domain logic and file formats; the catalogue rows and the bytes are reached
//! through the traits in [`repository`] and [`blob`]. [`DataService`] ties them
//! together: it stages, checks, extracts, names and records uploads.
//!
//! The formats are usable on their own, e.g. a CSV upload as the JSON rows the API
//! serves, one page at a time:
//!
//! ```
//! use datastore::csv_json::{CsvSummary, Page, csv_to_json};
//!
//! let csv = "id,name,price\n1,Java,9\n2,Python,9.8\n3,Rust,12\n";
//! let mut json = Vec::new();
//! let page = Page { offset: 1, limit: Some(1) };
//! let summary = csv_to_json(csv.as_bytes(), &mut json, page)?;
//! assert_eq!(String::from_utf8(json)?, r#"[{"id":"2","name":"Python","price":"9.8"}]"#);
//! assert_eq!(summary, CsvSummary { rows_written: 1, rows_skipped: 1 });
//!
//! assert_eq!(datastore::sniff::content_type("data.csv", b"id,name\n"), "text/csv");
//! assert_eq!(datastore::naming::clean_file_name("../../etc/passwd"), "passwd");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod archive;
pub mod blob;
pub mod csv_json;
pub mod error;
pub mod model;
pub mod naming;
pub mod repository;
pub mod service;
pub mod sniff;

pub use blob::{BlobStore, LocalBlobStore};
pub use error::{DataError, is_storage_full};
pub use model::{DataItem, FileClass, ListQuery, NewDataItem, UploadKind};
pub use repository::{CatalogueError, DataRepo};
pub use service::{Content, DataService, DataSettings, Received, UploadLimit};
