//! Issue #15: the server killed (SIGKILL) in the middle of slow work, then started
//! again. What a client sees afterwards must be whole: only complete items listed,
//! every listed file readable, no files without their row, leftovers swept and counted.

mod extraction;
mod model_delete;
mod preprocessing;
mod unrecorded_upload;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::support::TestApp;

/// Calls `probe` every few milliseconds until it returns something (a minute at most):
/// the moment the work is under way, without guessing it with a sleep.
#[track_caller]
pub fn poll<T>(what: &str, probe: impl Fn() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "never saw {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A staging folder (`blobs/.staging/<server>/<upload>/`) whose output folder
/// (`files/`, an extraction's or a preprocessing job's) has begun to fill.
pub fn staging_with_output(app: &TestApp) -> Option<PathBuf> {
    let staging = app.data_dir().join("blobs/.staging");
    let servers = std::fs::read_dir(staging).ok()?.flatten();
    let uploads = servers.flat_map(|server| std::fs::read_dir(server.path()).into_iter().flatten().flatten());
    uploads.into_iter().find_map(|entry| {
        let mut output = std::fs::read_dir(entry.path().join("files")).ok()?;
        output.next().map(|_| entry.path())
    })
}
