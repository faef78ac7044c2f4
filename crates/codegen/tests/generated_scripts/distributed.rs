//! The PyTorch script on several processes (`torchrun`, gloo on the CPU): every
//! process ends with the same weights, two processes with half the batch each take
//! the same first step as one process with the whole batch, and a checkpoint
//! resumes to the curve of an uninterrupted run.

use std::fs;
use std::path::Path;

use codegen::{Framework, render};
use serde_json::json;

use crate::python::run_python;
use crate::{TestResult, config, default_cnn, digits_csv, digits_zip, fixture};

/// Runs the script under `torchrun --standalone --nproc-per-node N` in `dir`.
fn torchrun(
    dir: &Path,
    processes: u32,
    args: &[&str],
) -> Result<crate::python::Output, Box<dyn std::error::Error>> {
    let nproc = processes.to_string();
    let mut all = vec![
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc-per-node",
        &nproc,
        "train.py",
    ];
    all.extend_from_slice(args);
    run_python(dir, &all)
}

fn checksums(stdout: &str) -> Vec<String> {
    let mut sums: Vec<String> = stdout
        .lines()
        .filter_map(|line| line.split_once(" checksum=").map(|(_, sum)| sum.to_owned()))
        .collect();
    sums.sort();
    sums
}

fn metric_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.starts_with("step="))
        .map(|l| {
            // The duration differs from run to run; step, accuracy and loss must not.
            l.rsplit_once(" duration=").map_or(l, |(kept, _)| kept).to_owned()
        })
        .collect()
}

#[test]
fn two_processes_learn_the_digits_and_end_with_the_same_weights() -> TestResult {
    let dir = tempfile::tempdir()?;
    let script = render(
        Framework::PyTorch,
        "digits",
        &default_cnn("adam", 0.001, "entropy", 300),
        &digits_zip(),
    )?;
    fs::write(dir.path().join("train.py"), script)?;
    let data = fixture("digits.zip");
    let run = torchrun(
        dir.path(),
        2,
        &[data.to_str().ok_or("path")?, "--out", "model.pt"],
    )?;
    let context = format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.status.success(), "{context}");
    let sums = checksums(&run.stdout);
    assert_eq!(sums.len(), 2, "each process says its checksum\n{context}");
    assert_eq!(sums[0], sums[1], "the same weights on every process\n{context}");
    let lines = metric_lines(&run.stdout);
    assert_eq!(
        lines.len(),
        3,
        "one metric line per 100 steps, printed once\n{context}"
    );
    let accuracy: f64 = lines[2]
        .split(' ')
        .find_map(|f| f.strip_prefix("accuracy="))
        .ok_or("an accuracy")?
        .parse()?;
    assert!(accuracy >= 0.9, "accuracy {accuracy}\n{context}");
    assert!(dir.path().join("model.pt").exists());
    Ok(())
}

/// A DNN without batch norm or dropout (their statistics and masks are each
/// process's own) trained by plain SGD: after one step the weights differ from the
/// first ones by the learning rate times the gradient.
#[test]
fn two_processes_with_half_the_batch_take_the_same_first_step_as_one() -> TestResult {
    let network = config(
        &json!({"iter": 1, "learning_rate": 0.5, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "sgd", "net_type": "DNN", "batch_size": 32,
        "net_config": {"middle_layer": [{"layer": "connect", "units": 32}, {"layer": "active"}]}}),
    );
    let half = config(
        &json!({"iter": 1, "learning_rate": 0.5, "ratio": 0.8, "loss_name": "entropy",
        "optimizer_name": "sgd", "net_type": "DNN", "batch_size": 16,
        "net_config": {"middle_layer": [{"layer": "connect", "units": 32}, {"layer": "active"}]}}),
    );
    let data = fixture("digits.csv");
    let data = data.to_str().ok_or("path")?;
    let mut weights = Vec::new();
    let mut evaluations = Vec::new();
    for (processes, network) in [(1, &network), (2, &half)] {
        let dir = tempfile::tempdir()?;
        fs::write(
            dir.path().join("train.py"),
            render(Framework::PyTorch, "digits", network, &digits_csv())?,
        )?;
        let run = torchrun(dir.path(), processes, &[data, "--checkpoint", "step1.ckpt"])?;
        assert!(
            run.status.success(),
            "stdout:\n{}\nstderr:\n{}",
            run.stdout,
            run.stderr
        );
        evaluations.push(metric_lines(&run.stdout));
        // The checkpoint's weights, as text with full precision.
        let dump = run_python(
            dir.path(),
            &[
                "-c",
                "import train, json\n\
            step, seconds, state = train.decode_checkpoint(open('step1.ckpt', 'rb').read())\n\
            print(json.dumps({k: v.flatten().tolist() for k, v in state['model'].items()}))",
            ],
        )?;
        assert!(dump.status.success(), "{}", dump.stderr);
        let values: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&dump.stdout)?;
        weights.push(values);
    }
    assert_eq!(evaluations[0].len(), 1);
    let number = |line: &str, key: &str| -> f64 {
        line.split(' ')
            .find_map(|f| f.strip_prefix(key))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let (one, two) = (&evaluations[0][0], &evaluations[1][0]);
    assert!(
        (number(one, "loss=") - number(two, "loss=")).abs() < 1e-5,
        "{one} / {two}"
    );
    assert_eq!(
        weights[0].keys().collect::<Vec<_>>(),
        weights[1].keys().collect::<Vec<_>>()
    );
    let mut largest = 0.0_f64;
    for (name, values) in &weights[0] {
        let (a, b) = (
            values.as_array().ok_or("values")?,
            weights[1][name].as_array().ok_or("values")?,
        );
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            largest = largest.max((x.as_f64().unwrap_or(0.0) - y.as_f64().unwrap_or(0.0)).abs());
        }
    }
    // Same initial weights, so the difference is 0.5 x the gradients' difference.
    assert!(largest / 0.5 < 1e-5, "the gradients differ by {}", largest / 0.5);
    Ok(())
}

#[test]
fn a_checkpoint_resumes_to_the_curve_of_an_uninterrupted_run() -> TestResult {
    let network = default_cnn("adam", 0.001, "entropy", 300);
    let script = render(Framework::PyTorch, "digits", &network, &digits_zip())?;
    let data = fixture("digits.zip");
    let data = data.to_str().ok_or("path")?;
    let whole = tempfile::tempdir()?;
    fs::write(whole.path().join("train.py"), &script)?;
    let straight = torchrun(whole.path(), 2, &[data])?;
    assert!(straight.status.success(), "{}", straight.stderr);

    let parts = tempfile::tempdir()?;
    fs::write(parts.path().join("train.py"), &script)?;
    let first = torchrun(
        parts.path(),
        2,
        &[data, "--steps", "200", "--checkpoint", "run.ckpt"],
    )?;
    assert!(first.status.success(), "{}", first.stderr);
    let rest = torchrun(parts.path(), 2, &[data, "--resume", "run.ckpt"])?;
    assert!(rest.status.success(), "{}", rest.stderr);
    let mut resumed = metric_lines(&first.stdout);
    resumed.extend(metric_lines(&rest.stdout));
    assert_eq!(resumed, metric_lines(&straight.stdout));
    Ok(())
}
