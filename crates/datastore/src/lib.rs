//! The data catalogue: what users upload (single files, zip archives, downloads from a
//! URL), where the bytes live, and how they are previewed (zip trees, CSV as JSON).
//!
//! Pure domain logic and file formats; the catalogue rows and the bytes are reached
//! through the traits in `repository` and `blob`.

pub mod archive;
pub mod csv_json;
