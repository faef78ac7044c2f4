//! The OpenAPI 3.1 document: collected from the routes as they are registered, then
//! finished here (title, the token scheme, the body types every endpoint reads). The
//! docs page (Swagger UI) is vendored from its registry package, so it works offline.

use actix_web::App;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOf, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, Required, ResponseBuilder};
use utoipa::openapi::{InfoBuilder, OpenApi, RefOr};
use utoipa_actix_web::AppExt;

use crate::routes;

mod multipart;

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
    let mut multipart_schemas = Vec::new();
    for (path, item) in &mut api.paths.paths {
        for operation in [&mut item.post, &mut item.put, &mut item.patch]
            .into_iter()
            .flatten()
        {
            if let Some(name) = accept_forms(operation) {
                body_schemas.push(name);
            }
            multipart_schemas.extend(multipart::use_copy(operation));
        }
        let patch = item.patch.as_mut().and_then(|o| o.request_body.as_mut());
        if let Some(RefOr::T(body)) = patch {
            // DRF's partial update: no body changes nothing.
            body.required = Some(Required::False);
        }
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            complete_responses(path, operation);
        }
    }
    if let Some(components) = api.components.as_mut() {
        for name in body_schemas {
            if let Some(schema) = components.schemas.get_mut(&name) {
                strip_top_level_null(schema);
            }
        }
        multipart_schemas.sort();
        multipart_schemas.dedup();
        multipart::add_copies(components, &multipart_schemas);
    }
    api
}

/// The operations that hash a password, refused with 503 while the server shuts down.
const PASSWORD_HASHING: [&str; 4] = [
    "/rest-auth/registration/",
    "/rest-auth/login/",
    "/rest-auth/password/change/",
    "/rest-auth/password/reset/confirm/",
];

/// What every operation may answer besides what its route says: a path naming no
/// object is a 404 (an id past i64 too), a body may be unreadable (400, either form
/// of [`ErrorBody`](crate::error::ErrorBody)) or of a type no parser reads (415); a
/// path parameter the route reads itself is documented as the id it is.
fn complete_responses(path: &str, operation: &mut Operation) {
    let names: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split('}').next())
        .collect();
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    for name in &names {
        let declared = parameters
            .iter()
            .any(|p| matches!(p, RefOr::T(p) if p.name == *name && p.parameter_in == ParameterIn::Path));
        if !declared {
            parameters.push(RefOr::T(
                ParameterBuilder::new()
                    .name(*name)
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                    ))
                    .build(),
            ));
        }
    }
    if parameters.is_empty() {
        operation.parameters = None;
    }
    let responses = &mut operation.responses.responses;
    let mut add = |status: &str, body: &str, description: &str| {
        responses.entry(status.to_owned()).or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(body)))
                            .build(),
                    )
                    .build(),
            )
        });
    };
    if !names.is_empty() {
        add("404", "DetailBody", "No such object (of this user)");
    }
    if operation.request_body.is_some() {
        add("400", "ErrorBody", "Invalid or unreadable body");
        add("415", "DetailBody", "A body in a type no parser reads");
    }
    if PASSWORD_HASHING.contains(&path) {
        add(
            "503",
            "DetailBody",
            "The server is shutting down (password work not yet begun is dropped); retry after Retry-After",
        );
    }
    // A 400's body is either of DRF's forms, whichever the route names.
    if let Some(RefOr::T(response)) = responses.get_mut("400")
        && let Some(RefOr::T(content)) = response.content.get_mut("application/json")
        && matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/DetailBody"))
    {
        content.schema = Some(RefOr::Ref(Ref::from_schema_name("ErrorBody")));
    }
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
