use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::FULL;
use crate::cluster::{recorded, recording_worker};
use crate::support::TestApp;
use crate::support::consistency::listed_ids;
use crate::support::small_disk::SmallDisk;
use crate::training::cnn;

/// How the run of a full-disk case trains, and how it must end.
struct Case<'a> {
    /// Settings beyond one trainer and a point every 10 steps.
    env: Vec<(&'a str, &'a str)>,
    /// `builtin` or `pytorch`.
    engine: &'a str,
    /// The failed run's `error`.
    error: &'a str,
    /// Everything in the run's folder afterwards: no half-written file stays.
    files: &'a [&'a str],
}

/// The reason of a run of the built-in engine, on this server or in a worker process.
const BUILTIN_ERROR: &str = "checkpoint: no space left on the server's disk";

#[test]
fn a_checkpoint_that_cannot_be_written_fails_the_run_and_keeps_the_previous_one() {
    let case = Case {
        env: Vec::new(),
        engine: "builtin",
        error: BUILTIN_ERROR,
        files: &["checkpoint.bin", "weights.bin"],
    };
    checkpoint_on_a_full_disk(&case, |_, _, _| {});
}

#[test]
fn a_worker_process_whose_checkpoint_cannot_be_stored_fails_its_run_the_same_way() {
    let workers = tempfile::tempdir().expect("folder");
    let command = recording_worker(workers.path());
    let case = Case {
        env: vec![
            ("NETSMITH_EXECUTOR", "process"),
            ("NETSMITH_WORKER_COMMAND", command.to_str().expect("a path")),
        ],
        engine: "builtin",
        error: BUILTIN_ERROR,
        files: &["checkpoint.bin", "weights.bin"],
    };
    checkpoint_on_a_full_disk(&case, |app, run, previous| {
        // What a worker sends while the disk is full is a 507, and nothing of it stays.
        let token = recorded(workers.path(), "token", run);
        let put = |what: &str, bytes: Vec<u8>| {
            app.send(
                app.request(Method::PUT, &format!("/worker/runs/{run}/{what}/"))
                    .header("Authorization", format!("Bearer {token}"))
                    .body(bytes),
            )
        };
        put("checkpoint", previous.to_vec()).assert(507, full("this checkpoint"));
        put("weights", vec![7; 4096]).assert(507, full("these weights"));
    });
}

#[test]
fn a_pytorch_run_whose_checkpoint_cannot_be_stored_fails_with_the_servers_reason() {
    let python = crate::support::test_python();
    let case = Case {
        env: vec![("NETSMITH_PYTHON", python.as_str())],
        engine: "pytorch",
        error: "There is not enough space on the server to store this checkpoint.",
        files: &["checkpoint.bin", "torchrun.log", "train.py"],
    };
    checkpoint_on_a_full_disk(&case, |_, _, _| {});
}

/// A 507's body for a worker's `what`.
fn full(what: &str) -> serde_json::Value {
    json!({"detail": format!("There is not enough space on the server to store {what}.")})
}

/// Trains to a checkpoint, pauses, fills the disk and resumes: the run must fail for
/// want of space and keep what it had. `while_full` runs once the disk is full, with
/// the run and its checkpoint's bytes.
fn checkpoint_on_a_full_disk(case: &Case, while_full: impl Fn(&TestApp, i64, &[u8])) {
    let disk = SmallDisk::mount(32);
    let mut settings = vec![("NETSMITH_TRAIN_WORKERS", "1"), ("NETSMITH_EVAL_EVERY", "10")];
    settings.extend_from_slice(&case.env);
    let app = TestApp::spawn_on(disk.path(), &settings);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(100_000));
    let data = listed_ids(&app, &key);
    let started = app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": case.engine, "workers": 1}),
    );
    assert_eq!(started.status, 202, "{}", started.text);
    let run = started.body["run_id"].as_i64().expect("run_id");
    app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(10)
    });
    // Paused, the run has just written its checkpoint; nothing writes until resumed.
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    let paused = app.wait_run(&key, run, Duration::from_secs(60), |d| d["status"] == "paused");
    let folder = app.data_dir().join(format!("runs/{run}"));
    let previous = std::fs::read(folder.join("checkpoint.bin")).expect("a checkpoint");
    assert!(previous.starts_with(b"NSMCKPT1"));

    let _filler = disk.fill();
    while_full(&app, run, &previous);
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let failed = app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["status"] != "running" && d["status"] != "paused"
    });
    assert_eq!(
        (&failed["status"], &failed["error"]),
        (&json!("failed"), &json!(case.error)),
        "{failed}"
    );
    assert_eq!(
        failed["points"], paused["points"],
        "no point without its checkpoint"
    );
    assert_eq!(
        std::fs::read(folder.join("checkpoint.bin")).expect("the checkpoint"),
        previous,
        "the previous checkpoint is kept whole"
    );
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("the run's folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, case.files, "no half-written file stays");

    // The server keeps serving reads while the disk is full.
    assert_eq!(listed_ids(&app, &key), data);
    let details = app.run_details(&key, run);
    assert_eq!(
        (&details["status"], &details["error"]),
        (&failed["status"], &failed["error"])
    );
    let models = app.get("/models/list/", Some(&key));
    assert_eq!(
        (models.status, &models.body[0]["id"], &models.body[0]["status"]),
        (200, &json!(model), &json!("failed")),
        "{}",
        models.text
    );
    app.upload_file(&key, "single", "doc", "tiny.txt", b"tiny".to_vec())
        .assert(507, json!({"detail": FULL}));
}
