//! The OpenAPI 3 document, generated from the handlers' annotations, and the docs page
//! (Swagger UI, vendored from its registry package, so it works offline).

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::routes::{accounts, data, generation, health, models, preprocess, runtime};

/// `{"detail": "..."}`
#[derive(Serialize, ToSchema)]
pub struct DetailBody {
    pub detail: String,
}

/// DRF validation errors: each field (or `non_field_errors`) with its messages.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody(pub BTreeMap<String, Vec<String>>);

#[derive(Serialize, ToSchema)]
pub struct StatusBody {
    pub status: String,
}

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`Token <key>` (or `Bearer <key>`), the key from /rest-auth/login/",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "netsmith", description = "Self-hosted deep-learning workbench: the HTTP API."),
    paths(
        health::healthz,
        accounts::login::login,
        accounts::login::logout,
        accounts::password::reset,
        accounts::password::reset_confirm,
        accounts::password::change,
        accounts::user::get_user,
        accounts::user::put_user,
        accounts::user::patch_user,
        accounts::registration::register,
        accounts::registration::verify_email,
        accounts::registration::resend_email,
        data::upload::upload,
        data::upload::upload_at_list,
        data::list::list,
        data::item::get_item,
        data::item::delete_item,
        preprocess::list::list,
        preprocess::run::run,
        models::create::create,
        models::tag::tag,
        models::config::names,
        models::config::save,
        models::config::detail,
        models::list::list,
        models::item::get_model,
        models::item::delete_model,
        models::compare::compare,
        generation::options::list,
        generation::options::next,
        generation::generate::generate,
        generation::runs::start,
        generation::runs::details,
        generation::runs::runtime,
        generation::runs::pause,
        generation::runs::resume,
        generation::runs::stop,
        generation::runs::restore,
        models::predict::use_model,
        models::predict::predict_model,
        runtime::train::latest,
        runtime::nodes::nodes,
    ),
    components(schemas(DetailBody, ErrorBody, StatusBody)),
    modifiers(&TokenAuth)
)]
pub struct ApiDoc;
