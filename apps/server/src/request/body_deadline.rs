//! A client that stops sending its body, or trickles it, cannot hold a connection and
//! its buffers for ever: the body must begin within the body timeout, and after that
//! every byte buys `1 / min_rate` seconds more (Apache's mod_reqtimeout rule). Past
//! the deadline the body ends with a timed-out error, which the readers answer 408.

use std::io;
use std::pin::Pin;
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, HeaderMap, TRANSFER_ENCODING};
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::time::Instant;

/// The body timeout and minimum rate of the settings.
#[derive(Debug, Clone, Copy)]
pub struct BodyDeadline {
    /// Seconds before the first bytes must come.
    pub timeout: Duration,
    /// Bytes per second that extend the deadline (0: no extension, a fixed deadline).
    pub min_rate: u64,
}

/// What a body that came too slowly ends with.
const TOO_SLOW: &str = "the client sent the request body too slowly";

impl BodyDeadline {
    /// Wraps the request's body in the deadline.
    pub fn apply(self, req: &mut ServiceRequest) {
        if !announces_body(req.headers()) {
            return;
        }
        let payload = req.take_payload();
        let started = Instant::now();
        let state = Some((payload, 0u64));
        let body = futures_util::stream::unfold(state, move |state| async move {
            let (mut payload, received) = state?;
            let allowed = self.timeout + self.extension(received);
            match tokio::time::timeout_at(started + allowed, payload.next()).await {
                Ok(Some(Ok(chunk))) => {
                    let received = received + chunk.len() as u64;
                    Some((Ok(chunk), Some((payload, received))))
                }
                Ok(Some(Err(error))) => Some((Err(error), None)),
                Ok(None) => None,
                Err(_) => Some((
                    Err(PayloadError::Io(io::Error::new(
                        io::ErrorKind::TimedOut,
                        TOO_SLOW,
                    ))),
                    None,
                )),
            }
        });
        // Fused: readers (multipart) may poll again after the end.
        let body: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(body.fuse());
        req.set_payload(Payload::from(body));
    }

    fn extension(self, received: u64) -> Duration {
        if self.min_rate == 0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(received as f64 / self.min_rate as f64)
    }
}

/// Whether a request with these headers announces a body (a length above zero, or
/// chunks); most requests, the GETs, have none.
pub fn announces_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

/// Whether a body error is the deadline's.
pub fn timed_out(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(e) if e.kind() == io::ErrorKind::TimedOut)
}

/// Whether a multipart form's error is the deadline's.
pub fn form_timed_out(error: &actix_multipart::MultipartError) -> bool {
    matches!(error, actix_multipart::MultipartError::Payload(e) if timed_out(e))
}
