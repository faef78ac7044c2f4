//! Every route of the service, declared once: each handler carries its path, method
//! and document (`#[utoipa::path]` on an actix route macro), and registering it here
//! puts it both in the router and in the OpenAPI document. What no route takes is a
//! 405 (with `Allow`) when the path exists, else a 404.

pub mod accounts;
pub mod configuration;
pub mod data;
pub mod generation;
pub mod health;
pub mod models;
pub mod monitoring;
pub mod points;
pub mod preprocess;
pub mod runtime;
pub mod schema;
pub mod worker;

use actix_web::dev::ResourceDef;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{HttpMethod, ParameterIn};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz);
    accounts::configure(cfg);
    data::configure(cfg);
    preprocess::configure(cfg);
    models::configure(cfg);
    generation::configure(cfg);
    runtime::configure(cfg);
    worker::configure(cfg);
}

/// The documented paths with the methods each takes, to answer 405s.
pub struct MethodTable(Vec<(ResourceDef, String)>);

fn method_name(method: &HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

impl MethodTable {
    /// From the document: integer path parameters match digits only, as the routes do.
    pub fn new(document: &OpenApi) -> Self {
        let mut table = Vec::new();
        for (path, item) in &document.paths.paths {
            let operations = [
                (HttpMethod::Get, &item.get),
                (HttpMethod::Put, &item.put),
                (HttpMethod::Post, &item.post),
                (HttpMethod::Delete, &item.delete),
                (HttpMethod::Patch, &item.patch),
            ];
            let mut pattern = path.clone();
            let mut methods = Vec::new();
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                methods.push(method_name(&method));
                for parameter in operation.parameters.iter().flatten() {
                    let RefOr::T(parameter) = parameter else { continue };
                    let integer = matches!(
                        &parameter.schema,
                        Some(RefOr::T(Schema::Object(o))) if o.schema_type == SchemaType::Type(Type::Integer)
                    );
                    if parameter.parameter_in == ParameterIn::Path && integer {
                        let name = format!("{{{}}}", parameter.name);
                        pattern = pattern.replace(&name, &format!("{{{}:[0-9]+}}", parameter.name));
                    }
                }
            }
            table.push((ResourceDef::new(pattern), methods.join(", ")));
        }
        Self(table)
    }

    fn allowed(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_str())
    }
}

/// What answers when no route takes the request.
pub async fn fallback(req: HttpRequest, table: web::Data<MethodTable>) -> HttpResponse {
    match table.allowed(req.path()) {
        Some(allow) => ApiError::method_not_allowed(req.method().as_str(), allow.to_owned()),
        None => ApiError::not_found("not_found"),
    }
    .error_response()
}
