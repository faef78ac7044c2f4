//! Query strings read into the request's own parameter type, checked by the rules of
//! its OpenAPI parameters with DRF's messages. An empty value counts as absent; of a
//! repeated name the last value wins.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use common::FieldErrors;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

use super::rules::{Rules, cached};
use crate::error::ApiError;

/// The query parameters, read into `T`; any field error is the answer, given when the
/// handler asks for them (after authentication).
pub struct Query<T>(Result<T, ApiError>);

impl<T> Query<T> {
    /// The parameters, or their errors.
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + IntoParams + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Query(read::<T>(req.query_string()))))
    }
}

fn read<T: DeserializeOwned + IntoParams + 'static>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| ApiError::unreadable(format!("Malformed query string - {e}"), "parse_error"))?;
    let mut map = Map::new();
    for (name, value) in pairs {
        if value.is_empty() {
            map.remove(&name);
        } else {
            map.insert(name, Value::String(value));
        }
    }
    let rules = cached::<T>(|| Rules::of_params(&T::into_params(|| Some(ParameterIn::Query))));
    let mut errors = FieldErrors::new();
    rules.apply(&mut map, &[], &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::fields(errors, "invalid"));
    }
    serde_json::from_value(Value::Object(map))
        .map_err(|e| ApiError::unreadable(format!("Malformed query string - {e}"), "parse_error"))
}
