//! The OpenAPI 3.1 document: collected from the routes as they are registered, then
//! finished here (title, the token scheme, the body types every endpoint reads). The
//! docs page (Swagger UI) is vendored from its registry package, so it works offline.

use actix_web::App;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{OneOf, Schema, SchemaType, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, RefOr};
use utoipa_actix_web::AppExt;

use crate::routes;

/// The content types every body endpoint reads besides JSON, as DRF's parsers do.
const FORM_TYPES: [&str; 2] = ["application/x-www-form-urlencoded", "multipart/form-data"];

/// The document of every route.
pub fn document() -> OpenApi {
    let (_, collected) = App::new()
        .into_utoipa_app()
        .configure(routes::configure)
        .split_for_parts();
    finish(collected)
}

/// Adds what the routes do not say themselves.
fn finish(mut api: OpenApi) -> OpenApi {
    api.info = InfoBuilder::new()
        .title("netsmith")
        .description(Some("Self-hosted deep-learning workbench: the HTTP API."))
        .version(env!("CARGO_PKG_VERSION"))
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Authorization",
            "`Token <key>` (or `Bearer <key>`), the key from /rest-auth/login/",
        ))),
    );
    components.add_security_scheme(
        "run_token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A run's worker token `nsr_<run>_<secret>`, given to its worker by the executor",
                ))
                .build(),
        ),
    );
    let mut body_schemas = Vec::new();
    for item in api.paths.paths.values_mut() {
        for operation in [&mut item.post, &mut item.put, &mut item.patch]
            .into_iter()
            .flatten()
        {
            if let Some(name) = accept_forms(operation) {
                body_schemas.push(name);
            }
        }
    }
    if let Some(components) = api.components.as_mut() {
        for name in body_schemas {
            if let Some(schema) = components.schemas.get_mut(&name) {
                strip_top_level_null(schema);
            }
        }
    }
    api
}

/// A JSON body is read from forms too: the same schema under their content types.
/// Returns the body's schema name.
fn accept_forms(operation: &mut Operation) -> Option<String> {
    let RefOr::T(body) = operation.request_body.as_mut()? else {
        return None;
    };
    let name = body.content.values().find_map(|content| match content {
        RefOr::T(content) => match &content.schema {
            Some(RefOr::Ref(reference)) => reference.ref_location.rsplit('/').next().map(str::to_owned),
            _ => None,
        },
        RefOr::Ref(_) => None,
    });
    if let Some(json) = body.content.get("application/json").cloned() {
        for content_type in FORM_TYPES {
            body.content
                .entry(content_type.to_owned())
                .or_insert_with(|| json.clone());
        }
    }
    name
}

/// Top-level request fields never take `null` (an absent field is left out); the
/// request rules read them the same way.
fn strip_top_level_null(schema: &mut RefOr<Schema>) {
    let objects: Vec<&mut utoipa::openapi::schema::Object> = match schema {
        RefOr::T(Schema::Object(object)) => vec![object],
        RefOr::T(Schema::AllOf(all)) => all
            .items
            .iter_mut()
            .filter_map(|item| match item {
                RefOr::T(Schema::Object(object)) => Some(object),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for object in objects {
        for property in object.properties.values_mut() {
            match property {
                RefOr::T(Schema::Object(field)) => {
                    if let SchemaType::Array(types) = &field.schema_type {
                        let kept: Vec<Type> = types.iter().filter(|t| **t != Type::Null).cloned().collect();
                        field.schema_type = match <[Type; 1]>::try_from(kept.clone()) {
                            Ok([only]) => SchemaType::Type(only),
                            Err(_) => SchemaType::Array(kept),
                        };
                    }
                }
                RefOr::T(Schema::Array(array)) => {
                    if let SchemaType::Array(types) = &array.schema_type
                        && types.contains(&Type::Null)
                    {
                        array.schema_type = SchemaType::Type(Type::Array);
                    }
                }
                RefOr::T(Schema::OneOf(OneOf { items, .. })) => {
                    let kept: Vec<RefOr<Schema>> =
                        items.iter().filter(|item| !is_null(item)).cloned().collect();
                    if let Ok([only]) = <[RefOr<Schema>; 1]>::try_from(kept) {
                        *property = only;
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_null(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}
