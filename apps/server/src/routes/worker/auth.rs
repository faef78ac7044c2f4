//! The run-scoped token of a remote worker, as an extractor: `Authorization: Bearer
//! nsr_<run>_<secret>` on `/worker/runs/<run>/...`, checked against the run (its own,
//! not ended). User keys open nothing here, and run tokens nothing elsewhere.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use runs::Run;

use crate::error::{ApiError, INVALID_TOKEN};
use crate::state::{AppState, blocking};

/// The run whose worker is calling.
pub struct WorkerRun(pub Run);

impl FromRequest for WorkerRun {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.trim()
                    .strip_prefix("Bearer ")
                    .unwrap_or(v.trim())
                    .trim()
                    .to_owned()
            });
        let path_run = req.match_info().get("id").and_then(|id| id.parse::<i64>().ok());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token.ok_or_else(ApiError::not_authenticated)?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing", "state"))?;
            let run = blocking(move || Ok(state.bench.worker_run(&token)?)).await?;
            if path_run != Some(run.id.get()) {
                return Err(ApiError::authentication_failed(INVALID_TOKEN));
            }
            Ok(WorkerRun(run))
        })
    }
}
