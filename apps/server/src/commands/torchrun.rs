//! `netsmith torchrun --run <id> --server <url> --nodes N --master <address>`: one
//! node of a PyTorch run on a cluster (a pod of its Indexed Job). Fetches the run's
//! generated script with the run's token, then becomes torchrun on it (this
//! process's image has Python with torch), node rank `JOB_COMPLETION_INDEX`. The
//! script holds at a pause (the Job is suspended then), and ends with the codes of
//! `netsmith worker`: 0 ended, 78 bad configuration, 75 retryable.

use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};
use std::time::Duration;

use cluster::worker::{ClientError, WorkerClient};

use crate::cli::TorchrunArgs;

pub fn run(args: &TorchrunArgs) -> ExitCode {
    let Ok(token) = std::env::var("NETSMITH_RUN_TOKEN") else {
        tracing::error!("NETSMITH_RUN_TOKEN is not set: a worker needs its run's token");
        return ExitCode::from(78);
    };
    let rank = std::env::var("JOB_COMPLETION_INDEX").unwrap_or_else(|_| "0".to_owned());
    let client = match WorkerClient::new(&args.server, args.run, token, Duration::from_secs(120)) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot make the server's client");
            return ExitCode::from(75);
        }
    };
    let script = match client.script() {
        Ok(script) => script,
        Err(error @ ClientError::Unreachable(_)) => {
            tracing::error!(%error, "cannot fetch the run's script");
            return ExitCode::from(75);
        }
        Err(ClientError::Revoked) => return ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the server refused the run's script");
            return ExitCode::from(78);
        }
    };
    let folder = std::env::temp_dir().join(format!("netsmith-run-{}", args.run));
    let path = folder.join("train.py");
    if let Err(error) = std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, script)) {
        tracing::error!(%error, "cannot write the run's script");
        return ExitCode::from(75);
    }
    let error = Command::new(&args.python)
        .args([
            "-m",
            "torch.distributed.run",
            "--max-restarts",
            "0",
            "--nproc-per-node",
            "1",
        ])
        .arg(format!("--nnodes={}", args.nodes))
        .arg(format!("--node-rank={rank}"))
        .arg(format!("--master-addr={}", args.master))
        .arg(format!("--master-port={}", args.port))
        .arg(&path)
        .args(["--server", &args.server, "--run-id", &args.run.to_string()])
        .args(["--device", &args.device, "--hold-when-paused"])
        .exec();
    tracing::error!(%error, python = %args.python, "cannot start torchrun");
    ExitCode::from(78)
}
