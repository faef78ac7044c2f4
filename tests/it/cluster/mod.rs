//! Contract sections 4 and 5 beyond one process: with `NETSMITH_EXECUTOR=process`
//! runs train in `netsmith worker` subprocesses that report to the server over HTTP
//! with a run-scoped token, and show exactly as local runs do; with
//! `NETSMITH_EXECUTOR=kubernetes` they train as Jobs (against a Kubernetes API test
//! double); several server replicas share one database and data folder.

mod kubernetes;
mod process;
mod pytorch;
mod replicas;
mod tokens;

use std::path::{Path, PathBuf};

use crate::support::TestApp;

/// A worker command that records its token, arguments and PID in `folder` before it
/// becomes `netsmith worker` (same PID), so a test can use the token or kill it.
pub fn recording_worker(folder: &Path) -> PathBuf {
    let script = folder.join("record-worker.sh");
    let body = format!(
        "#!/bin/sh\nprintf '%s' \"$NETSMITH_RUN_TOKEN\" > {dir}/token.$3\necho $$ > {dir}/pid.$3\nexec {bin} \"$@\"\n",
        dir = folder.display(),
        bin = env!("CARGO_BIN_EXE_netsmith"),
    );
    std::fs::write(&script, body).expect("write the worker script");
    let mut permissions = std::fs::metadata(&script).expect("script").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).expect("make it executable");
    script
}

/// A server whose runs train in recording workers, one at a time.
pub fn process_app(folder: &Path) -> TestApp {
    let script = recording_worker(folder);
    TestApp::spawn_with(&[
        ("NETSMITH_EXECUTOR", "process"),
        ("NETSMITH_TRAIN_WORKERS", "1"),
        ("NETSMITH_WORKER_COMMAND", script.to_str().expect("a path")),
    ])
}

/// What the recording worker of `run` wrote, once it has.
pub fn recorded(folder: &Path, what: &str, run: i64) -> String {
    let path = folder.join(format!("{what}.{run}"));
    for _ in 0..600 {
        if let Ok(text) = std::fs::read_to_string(&path)
            && !text.trim().is_empty()
        {
            return text.trim().to_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the worker of run {run} recorded no {what}");
}
