//! The Python of `make pyenv`, run in a folder with a time limit.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above the ~20 s a run takes; only a hung script gets here.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// `NETSMITH_TEST_PYTHON`, which must exist.
fn python() -> PathBuf {
    let python = std::env::var_os("NETSMITH_TEST_PYTHON").filter(|p| !p.is_empty());
    let Some(python) = python else {
        panic!(
            "NETSMITH_TEST_PYTHON is not set. Run `make test` (it builds the environment), or \
             `make pyenv` and set NETSMITH_TEST_PYTHON=$HOME/.cache/netsmith/py-<hash>/bin/python"
        );
    };
    let python = PathBuf::from(python);
    assert!(
        python.exists(),
        "NETSMITH_TEST_PYTHON={} does not exist; run `make pyenv`",
        python.display()
    );
    python
}

/// What a finished run printed, and how it ended.
pub(crate) struct Output {
    pub(crate) status: std::process::ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Runs `python args...` in `dir`, killing it after [`RUN_TIMEOUT`].
pub(crate) fn run_python(dir: &Path, args: &[&str]) -> Result<Output, Box<dyn std::error::Error>> {
    let (out_path, err_path) = (dir.join("stdout.txt"), dir.join("stderr.txt"));
    let mut child = Command::new(python())
        .args(args)
        .current_dir(dir)
        // The test machine has 2 shared cores: OpenMP threads spinning against a
        // busy neighbour make these small models ~20x slower than one thread.
        .env("OMP_NUM_THREADS", "1")
        .env("TF_CPP_MIN_LOG_LEVEL", "3")
        .stdin(Stdio::null())
        .stdout(File::create(&out_path)?)
        .stderr(File::create(&err_path)?)
        .spawn()?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > RUN_TIMEOUT {
            child.kill()?;
            child.wait()?;
            return Err(format!("python {args:?} ran past {RUN_TIMEOUT:?}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Ok(Output {
        status,
        stdout: fs::read_to_string(out_path)?,
        stderr: fs::read_to_string(err_path)?,
    })
}

/// Calls the data functions of a generated script with a Python snippet.
pub(crate) fn probe(script: &str, dir: &Path, snippet: &str) -> Result<Output, Box<dyn std::error::Error>> {
    fs::write(dir.join("train.py"), script)?;
    let code = format!("import json, sys\nimport train\n{snippet}");
    run_python(dir, &["-c", &code])
}
