//! Files in multipart forms. A form type names a file field with [`FilePart`] (read
//! into memory) or [`StreamedFile`] (written to disk as it arrived); while the form is
//! deserialized, the received files wait here, keyed by field name, and each field
//! takes its own (the value the deserializer sees is only the name).

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use workbench::Written;

/// Received files by field name ([`FilePart`]s or [`StreamedFile`]s).
pub type Parts = HashMap<String, Box<dyn Any>>;

thread_local! {
    static PARTS: RefCell<Parts> = RefCell::new(HashMap::new());
}

/// A file sent in a multipart form, read into memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// The file name from the part's Content-Disposition, if any.
    pub file_name: Option<String>,
    /// The bytes.
    pub content: Vec<u8>,
}

/// A file sent in a multipart form, streamed to disk while it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamedFile {
    /// The file name from the part's Content-Disposition.
    pub file_name: String,
    /// What was written.
    pub written: Written,
}

/// The received file of the field named by the deserializer's string.
fn take<'de, D: Deserializer<'de>, T: 'static>(deserializer: D) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    PARTS
        .with(|parts| parts.borrow_mut().remove(&name))
        .and_then(|part| part.downcast::<T>().ok())
        .map(|part| *part)
        .ok_or_else(|| serde::de::Error::custom(crate::messages::NOT_A_FILE))
}

fn binary() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .into()
}

macro_rules! file_field {
    ($type:ty) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                take(deserializer)
            }
        }

        impl PartialSchema for $type {
            fn schema() -> RefOr<Schema> {
                binary()
            }
        }

        impl ToSchema for $type {}
    };
}

file_field!(FilePart);
file_field!(StreamedFile);

/// Runs `deserialize` with `parts` available to the file fields it meets.
pub fn with_parts<T>(parts: Parts, deserialize: impl FnOnce() -> T) -> T {
    PARTS.with(|cell| *cell.borrow_mut() = parts);
    let result = deserialize();
    PARTS.with(|cell| cell.borrow_mut().clear());
    result
}
