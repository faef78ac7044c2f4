//! Stopping without losing work, and picking it up again. On SIGTERM (or Ctrl-C) the
//! server drops password work still waiting, checkpoints its running runs and hands
//! them over (recorded interrupted, marked for the next server), then stops accepting
//! and finishes the requests in flight. Every server resumes handed-over runs when it
//! starts and every few seconds after, so a rolling restart's new replica takes them.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::rt::signal::unix::{SignalKind, signal};
use actix_web::web;
use futures_util::future::{Either, select};

use crate::state::{AppState, Bench};

/// How often a running server looks for runs another one handed over.
const RESUME_POLL: Duration = Duration::from_secs(2);

/// Resumes what was handed over now, then keeps looking on a thread of its own until
/// `stop` is set.
pub fn keep_resuming(bench: Bench, stop: Arc<AtomicBool>) -> std::io::Result<()> {
    resume(&bench);
    std::thread::Builder::new()
        .name("resume-handed-over".into())
        .spawn(move || {
            while !stop.load(Ordering::Acquire) {
                std::thread::sleep(RESUME_POLL);
                if !stop.load(Ordering::Acquire) {
                    resume(&bench);
                }
            }
        })
        .map(|_| ())
}

fn resume(bench: &Bench) {
    match bench.resume_handed_over() {
        Ok(0) => {}
        Ok(runs) => tracing::info!(runs, "resumed runs handed over by a server that shut down"),
        Err(error) => tracing::warn!(%error, "cannot resume handed-over runs"),
    }
}

/// The signal that asks this server to stop: SIGTERM or SIGINT.
async fn stop_signal() -> std::io::Result<&'static str> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(match select(pin!(term.recv()), pin!(int.recv())).await {
        Either::Left(_) => "SIGTERM",
        Either::Right(_) => "SIGINT",
    })
}

/// What a shutdown needs.
pub struct Shutdown {
    pub state: web::Data<AppState>,
    pub resuming: Arc<AtomicBool>,
    /// For the runs to checkpoint, and again for the requests in flight.
    pub timeout: Duration,
}

/// Serves until the server ends by itself or a stop signal comes; then shuts down.
pub async fn serve_until_signal(server: actix_web::dev::Server, shutdown: Shutdown) -> std::io::Result<()> {
    let handle = server.handle();
    let mut serving = actix_web::rt::spawn(server);
    let signalled = match select(pin!(stop_signal()), &mut serving).await {
        Either::Left((signalled, _)) => signalled?,
        Either::Right((ended, _)) => return ended.map_err(std::io::Error::other)?,
    };
    shut_down(signalled, &handle, shutdown).await;
    serving.await.map_err(std::io::Error::other)?
}

async fn shut_down(signalled: &str, handle: &ServerHandle, shutdown: Shutdown) {
    let Shutdown {
        state,
        resuming,
        timeout,
    } = shutdown;
    tracing::info!(
        signal = signalled,
        timeout_secs = timeout.as_secs(),
        "shutting down: checkpointing running runs, then finishing requests in flight"
    );
    resuming.store(true, Ordering::Release);
    state.accounts.shut_down();
    let deadline = Instant::now() + timeout;
    let handing = {
        let state = state.clone();
        web::block(move || state.bench.shutdown(deadline))
    };
    match handing.await {
        Ok(Ok(runs)) => tracing::info!(runs, "runs checkpointed and handed over to the next server"),
        Ok(Err(error)) => {
            tracing::error!(%error, "cannot hand over every run; the next start finds them interrupted")
        }
        Err(error) => tracing::error!(%error, "cannot hand over the runs"),
    }
    handle.stop(true).await;
    tracing::info!("stopped");
}
