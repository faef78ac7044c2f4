//! Query-string parameters, checked with DRF's messages.

use std::future::{Ready, ready};
use std::str::FromStr;

use accounts::ValidationErrors;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::body::INVALID_INTEGER;
use crate::error::ApiError;

pub struct QueryParams(Vec<(String, String)>);

impl FromRequest for QueryParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            serde_urlencoded::from_str(req.query_string())
                .map(QueryParams)
                .map_err(|e| ApiError::BadRequest(format!("Malformed query string - {e}"))),
        )
    }
}

impl QueryParams {
    /// The last value given for `name`, if any and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A non-negative integer, or an error recorded under `name`.
    pub fn unsigned(&self, name: &str, errors: &mut ValidationErrors) -> Option<u64> {
        let text = self.get(name)?;
        match text.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Some(n as u64),
            Ok(_) => {
                errors.add(name, "Ensure this value is greater than or equal to 0.");
                None
            }
            Err(_) => {
                errors.add(name, INVALID_INTEGER);
                None
            }
        }
    }

    /// One of an enumeration's values, or an error recorded under `name`.
    pub fn choice<T: FromStr<Err = String>>(&self, name: &str, errors: &mut ValidationErrors) -> Option<T> {
        let text = self.get(name)?;
        match text.parse() {
            Ok(value) => Some(value),
            Err(message) => {
                errors.add(name, message);
                None
            }
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| matches!(v, "1" | "true" | "yes"))
    }
}
