//! `netsmith worker --run <id> --server <url>`: train one run for a server elsewhere,
//! with the run's token from `NETSMITH_RUN_TOKEN`. The exit code says how it ended:
//! 0 finished, 78 the run cannot train (do not retry), 75 the server was unreachable
//! (start it again: it continues from the run's checkpoint).

use std::time::Duration;

use cluster::worker::{WorkerSettings, run_worker};
use common::RunId;

use crate::cli::WorkerArgs;

pub fn run(args: &WorkerArgs) -> std::process::ExitCode {
    if args.exit_with_parent && !crate::parent::die_with_parent() {
        tracing::error!("the worker's parent is gone");
        return std::process::ExitCode::from(75);
    }
    let Ok(token) = std::env::var("NETSMITH_RUN_TOKEN") else {
        tracing::error!("NETSMITH_RUN_TOKEN is not set: a worker needs its run's token");
        return std::process::ExitCode::from(78);
    };
    let settings = WorkerSettings {
        server: args.server.clone(),
        run: RunId(args.run),
        token,
        patience: Duration::from_secs(args.patience_secs),
        poll: Duration::from_millis(500),
    };
    let exit = run_worker(&settings, &trainer::NativeEngine);
    std::process::ExitCode::from(exit.code())
}
