//! Whether the configured Python can train the PyTorch engine here: it starts, it
//! imports torch, torch has gloo (and CUDA devices, for `device: cuda`). Asked once,
//! when first needed (importing torch takes seconds).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// What the Python has.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TorchInfo {
    /// torch's version.
    pub torch: String,
    /// CUDA devices torch sees.
    pub cuda: u64,
    /// Whether gloo (CPU process groups) is built in.
    pub gloo: bool,
}

const PROGRAM: &str = "import json, torch, torch.distributed as d\n\
print(json.dumps({'torch': torch.__version__, 'cuda': torch.cuda.device_count(), \
'gloo': d.is_available() and d.is_gloo_available()}))";

/// How long the probe may take (a cold import of torch is slow on a busy machine).
const PATIENCE: Duration = Duration::from_secs(120);

/// Asks `python` what it has; the error is a reason for people.
pub fn probe(python: &str) -> Result<TorchInfo, String> {
    let mut child = Command::new(python)
        .args(["-c", PROGRAM])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("The PyTorch engine needs a Python with torch (NETSMITH_PYTHON); {python} cannot be started: {e}."))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < PATIENCE => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "The PyTorch engine needs a Python with torch; {python} did not answer in time."
                ));
            }
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("The PyTorch engine's Python {python} failed: {e}."))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        return Err(format!(
            "The PyTorch engine needs a Python with torch (NETSMITH_PYTHON, e.g. the venv of `make pyenv`); {python} has none: {last}."
        ));
    }
    let info: TorchInfo = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("The PyTorch engine's Python {python} answered strangely: {e}."))?;
    if !info.gloo {
        return Err(format!(
            "torch {} of {python} has no gloo backend, which the PyTorch engine needs on the CPU.",
            info.torch
        ));
    }
    Ok(info)
}
