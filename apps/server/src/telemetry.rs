//! Logging: tracing to stdout, filtered by `RUST_LOG`, and one line per request with
//! its id, which is also returned in `X-Request-Id`.

use std::time::Instant;

use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use rand::Rng;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

/// Logs as text, or as one JSON object per line with `NETSMITH_LOG_FORMAT=json` (read
/// before the settings, so that their own errors are logged in the chosen format).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match std::env::var("NETSMITH_LOG_FORMAT").as_deref() {
        Ok("json") => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        _ => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .try_init(),
    };
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps each request in a span named by its id and logs its outcome when done.
pub fn log_request<S, B>(
    req: ServiceRequest,
    service: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{:016x}", rand::rng().random::<u64>()));
    let span = tracing::info_span!("request", id = %id);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let started = Instant::now();
    let response = span.in_scope(|| service.call(req));
    async move {
        let mut response = response.await?;
        let route = crate::metrics::route_label(response.request().match_pattern());
        crate::metrics::observe_request(
            method.as_str(),
            &route,
            response.status().as_u16(),
            started.elapsed(),
        );
        tracing::info!(
            %method,
            %path,
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "request"
        );
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        Ok(response)
    }
    .instrument(span)
}
