//! The authenticated caller, as an extractor: `Authorization: Token <key>` (or `Bearer`),
//! checked against the signature and the session store on every request.

use std::future::Future;
use std::pin::Pin;

use accounts::AuthContext;
use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use common::UserId;

use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// Who the request is from.
pub struct Authenticated(pub AuthContext);

impl Authenticated {
    /// The user's id, which scopes everything the request touches.
    pub fn user(&self) -> UserId {
        self.0.user.id
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = read_key(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let key = key?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing", "state"))?;
            let context = blocking(move || Ok(state.accounts.authenticate(&key)?)).await?;
            Ok(Authenticated(context))
        })
    }
}

/// The key from the header, with DRF's `TokenAuthentication` messages for bad headers.
fn read_key(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or_else(ApiError::not_authenticated)?;
    let text = header.to_str().map_err(|_| {
        ApiError::authentication_failed(
            "Invalid token header. Token string should not contain invalid characters.",
        )
    })?;
    let mut parts = text.split_whitespace();
    let scheme = parts.next().unwrap_or("");
    if !scheme.eq_ignore_ascii_case("token") && !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::not_authenticated());
    }
    let key = parts
        .next()
        .ok_or_else(|| ApiError::authentication_failed("Invalid token header. No credentials provided."))?;
    if parts.next().is_some() {
        return Err(ApiError::authentication_failed(
            "Invalid token header. Token string should not contain spaces.",
        ));
    }
    Ok(key.to_owned())
}
