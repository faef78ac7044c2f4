//! The authenticated caller, as an extractor: `Authorization: Token <key>` (or `Bearer`),
//! checked against the signature and the session store on every request.

use std::future::Future;
use std::pin::Pin;

use accounts::AuthContext;
use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};

use crate::error::ApiError;
use crate::state::AppState;

pub struct Authenticated(pub AuthContext);

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = read_key(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let key = key?;
            let state = state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let context = crate::state::blocking(move || Ok(state.accounts.authenticate(&key)?)).await?;
            Ok(Authenticated(context))
        })
    }
}

/// The key from the header, with DRF's `TokenAuthentication` messages for bad headers.
fn read_key(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(ApiError::NotAuthenticated)?;
    let text = header.to_str().map_err(|_| {
        ApiError::Unauthenticated("Invalid token header. Token string should not contain invalid characters.")
    })?;
    let mut parts = text.split_whitespace();
    let scheme = parts.next().unwrap_or("");
    if !scheme.eq_ignore_ascii_case("token") && !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::NotAuthenticated);
    }
    let key = parts.next().ok_or(ApiError::Unauthenticated(
        "Invalid token header. No credentials provided.",
    ))?;
    if parts.next().is_some() {
        return Err(ApiError::Unauthenticated(
            "Invalid token header. Token string should not contain spaces.",
        ));
    }
    Ok(key.to_owned())
}
