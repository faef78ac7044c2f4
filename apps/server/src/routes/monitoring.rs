//! `GET /metrics`: the server's metrics for a monitoring system (outside the API
//! document: it is an operator's endpoint, not a client's).

use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// The token `/metrics` asks for, if any (`NETSMITH_METRICS_TOKEN`).
pub struct MetricsToken(pub Option<String>);

/// Open, or with `Authorization: Bearer <NETSMITH_METRICS_TOKEN>` when that is set.
#[get("/metrics/")]
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Data<MetricsToken>,
) -> Result<HttpResponse, ApiError> {
    if let Some(expected) = &token.0 {
        let given = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match given {
            None => return Err(ApiError::not_authenticated()),
            Some(given) if given != expected => {
                return Err(ApiError::authentication_failed("Invalid token."));
            }
            Some(_) => {}
        }
    }
    let bench = state.bench.clone();
    let overview = blocking(move || Ok(bench.training_overview()?)).await?;
    let text = crate::metrics::exposition(&overview)
        .map_err(|e| ApiError::internal(format!("encoding the metrics: {e}"), "metrics"))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, prometheus::TEXT_FORMAT))
        .body(text))
}
