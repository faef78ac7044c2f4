//! The data catalogue: what users upload (single files, zip archives, downloads from a
//! URL), where the bytes live, and how they are previewed (zip trees, CSV as JSON).
//!
//! Pure domain logic and file formats; the catalogue rows and the bytes are reached
//! through the traits in [`repository`] and [`blob`].

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
pub use error::DataError;
pub use model::{DataId, DataItem, FileClass, ListQuery, NewDataItem, OwnerId, UploadKind};
pub use repository::{CatalogueError, DataRepo};
pub use service::{DataService, DataSettings, Received, Source, UploadLimit};
