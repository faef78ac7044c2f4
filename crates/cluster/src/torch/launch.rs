//! Starting and ending one PyTorch run on this machine: the generated script written
//! into the run's folder, torchrun started on it with the configured Python in a
//! process group of its own (so the whole group ends with the run), both torchrun
//! and the script's processes set to die with their parent (so none outlives a
//! server that was killed), and their output kept in the run's folder. The server
//! writes that log from a pipe, so a full disk loses log lines, never the run: the
//! script's own prints cannot fail.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use codegen::{DataDescription, Device, Framework, NetworkConfig};
use common::RunId;
use runs::Run;

/// Runs torchrun after asking Linux to kill this Python when its parent (the
/// server) dies; the script's processes ask the same of torchrun
/// (`--exit-with-parent`).
const BOOTSTRAP: &str = "import ctypes, runpy, signal, sys\n\
try:\n    ctypes.CDLL(None).prctl(1, signal.SIGKILL)\nexcept (OSError, AttributeError):\n    pass\n\
sys.argv[0] = 'torchrun'\n\
runpy.run_module('torch.distributed.run', run_name='__main__', alter_sys=True)\n";

/// What a launch needs to know of its run.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The run.
    pub run: RunId,
    /// Its token (handed to the script in its environment).
    pub token: String,
    /// The generated script.
    pub script: String,
    /// Processes.
    pub workers: u64,
    /// Where they compute.
    pub device: Device,
}

/// The folder of a run's script and log.
pub fn folder(root: &Path, run: RunId) -> PathBuf {
    root.join(run.to_string())
}

/// The log torchrun and the script write.
pub fn log_path(root: &Path, run: RunId) -> PathBuf {
    folder(root, run).join("torchrun.log")
}

/// The run's PyTorch script.
pub fn script_of(run: &Run) -> Result<String, String> {
    let config = NetworkConfig::from_value(&run.config).map_err(|e| e.to_string())?;
    let spec = &run.data_spec;
    let data = DataDescription {
        kind: spec.kind,
        input: spec.input,
        classes: spec.classes.clone(),
        label_column: spec.label_column.clone(),
        feature_columns: spec.feature_columns.clone(),
    };
    codegen::render(Framework::PyTorch, &format!("run-{}", run.id), &config, &data).map_err(|e| e.to_string())
}

/// The copy of a launch's output into its log.
pub struct LogCopy(mpsc::Receiver<()>);

impl LogCopy {
    /// Waits (a few seconds at most) until the log has everything the ended processes
    /// wrote, so their last words can be read from it.
    pub fn finish(self) {
        let _ = self.0.recv_timeout(Duration::from_secs(5));
    }
}

/// Starts torchrun on the run's script, reporting to `server`.
pub fn start(python: &str, root: &Path, server: &str, launch: &Launch) -> std::io::Result<(Child, LogCopy)> {
    let folder = folder(root, launch.run);
    fs::create_dir_all(&folder)?;
    let script = folder.join("train.py");
    // A resumed run's script is there already: not rewritten (the disk may be full).
    if fs::read(&script).ok().as_deref() != Some(launch.script.as_bytes()) {
        fs::write(&script, &launch.script)?;
    }
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path(root, launch.run))?;
    let (output, written) = std::io::pipe()?;
    let mut command = Command::new(python);
    command
        .args(["-c", BOOTSTRAP, "--standalone", "--max-restarts", "0"])
        .arg(format!("--nproc-per-node={}", launch.workers))
        .arg(&script)
        .args([
            "--server",
            server,
            "--run-id",
            &launch.run.to_string(),
            "--exit-with-parent",
        ])
        .args(["--device", launch.device.name()])
        .env("NETSMITH_RUN_TOKEN", &launch.token)
        .env("PYTHONUNBUFFERED", "1")
        .current_dir(&folder)
        .stdin(Stdio::null())
        .stdout(Stdio::from(written.try_clone()?))
        .stderr(Stdio::from(written))
        .process_group(0);
    let child = command.spawn()?;
    // The command holds the pipe's writing ends until dropped: the copy ends when the
    // processes' ends close.
    drop(command);
    let run = launch.run;
    let (done, copied) = mpsc::channel();
    std::thread::Builder::new()
        .name(format!("torchrun-log-{run}"))
        .spawn(move || {
            keep_log(output, log, run);
            drop(done);
        })?;
    Ok((child, LogCopy(copied)))
}

/// Copies the processes' output into the log until they end. Lines that cannot be
/// written (a full disk) are dropped, with one warning; the pipe is always drained, so
/// the processes never wait on it.
fn keep_log(mut output: impl Read, mut log: File, run: RunId) {
    let mut buffer = [0u8; 8192];
    let mut warned = false;
    loop {
        let n = match output.read(&mut buffer) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => {
                tracing::warn!(%run, %error, "cannot read the PyTorch processes' output");
                return;
            }
        };
        if let Err(error) = log.write_all(&buffer[..n])
            && !warned
        {
            tracing::warn!(%run, %error, "cannot write the PyTorch log; its lines are dropped");
            warned = true;
        }
    }
}

/// Ends every process of a launch (SIGKILL to its process group).
pub fn end(group: u32) {
    let killed = Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if let Err(error) = killed {
        tracing::warn!(group, %error, "cannot end the PyTorch processes");
    }
}

/// The last line of the log that says something (a traceback's last line,
/// torchrun's failure summary), for the run's error.
pub fn last_words(root: &Path, run: RunId) -> Option<String> {
    let text = fs::read_to_string(log_path(root, run)).ok()?;
    text.lines()
        .rev()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.chars().all(|c| matches!(c, '-' | '=' | '*' | '[' | ']')))
        .map(|line| line.chars().take(300).collect())
}
