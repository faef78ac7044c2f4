//! Multipart bodies name their fields in part headers, where control characters cannot
//! go (the server answers such a body 400, as an unreadable form). Each multipart
//! body refers to a copy of its schema that says so with `propertyNames`, so clients
//! generated from the document, and conformance testers, know it.

use std::collections::BTreeMap;

use serde_json::json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Components, Ref, RefOr};

const MULTIPART: &str = "multipart/form-data";

/// Points the operation's multipart body at its schema's multipart copy; returns the
/// schema's name (`None` without such a body).
pub fn use_copy(operation: &mut Operation) -> Option<String> {
    let RefOr::T(body) = operation.request_body.as_mut()? else {
        return None;
    };
    let RefOr::T(content) = body.content.get_mut(MULTIPART)? else {
        return None;
    };
    let Some(RefOr::Ref(reference)) = &content.schema else {
        return None;
    };
    let name = reference.ref_location.rsplit('/').next()?.to_owned();
    content.schema = Some(RefOr::Ref(Ref::from_schema_name(copy_name(&name))));
    Some(name)
}

fn copy_name(name: &str) -> String {
    format!("{name}Multipart")
}

/// Adds the multipart copy of each named schema.
pub fn add_copies(components: &mut Components, names: &[String]) {
    let copies: BTreeMap<String, RefOr<Schema>> = names
        .iter()
        .filter_map(|name| {
            let mut copy = components.schemas.get(name)?.clone();
            // utoipa has no field for `propertyNames`; its extensions serialize as
            // written, so the keyword goes there.
            let extensions = match &mut copy {
                RefOr::T(Schema::Object(object)) => object.extensions.get_or_insert_with(Default::default),
                RefOr::T(Schema::AllOf(all)) => all.extensions.get_or_insert_with(Default::default),
                _ => return None,
            };
            extensions.insert(
                "propertyNames".to_owned(),
                json!({"pattern": "^[^\\u0000-\\u001F\\u007F]*$"}),
            );
            Some((copy_name(name), copy))
        })
        .collect();
    components.schemas.extend(copies);
}
