//! The PyTorch engine through the server: the generated script under torchrun on
//! two processes (gloo on the CPU), reporting through the worker protocol, shown,
//! paused, resumed, stopped and used exactly as runs of the built-in engine.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{TestApp, test_python};
use crate::training::runs::read_events;
use crate::training::{assert_points_kept, cnn, curve, steps};

fn torch_app() -> TestApp {
    let python = test_python();
    TestApp::spawn_with(&[
        ("NETSMITH_PYTHON", python.as_str()),
        ("NETSMITH_TRAIN_WORKERS", "1"),
    ])
}

/// Starts a run of `model` on `workers` PyTorch processes; returns its id.
fn start_pytorch(app: &TestApp, key: &str, model: &str, workers: u64) -> i64 {
    let started = app.post_auth(
        "/generation/run/basic/",
        key,
        json!({"modelName": model, "engine": "pytorch", "workers": workers}),
    );
    assert_eq!(started.status, 202, "{}", started.text);
    assert_eq!(started.body["status"], "queued");
    started.body["run_id"].as_i64().expect("run_id")
}

/// The processes of the run's script still alive (their command names its folder).
fn script_processes(app: &TestApp, run: i64) -> Vec<u32> {
    let folder = app.data_dir().join("runs").join(run.to_string());
    let needle = folder.join("train.py").display().to_string();
    std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " ").contains(&needle))
                .unwrap_or(false)
        })
        .collect()
}

fn log_of(app: &TestApp, run: i64) -> String {
    std::fs::read_to_string(
        app.data_dir()
            .join("runs")
            .join(run.to_string())
            .join("torchrun.log"),
    )
    .unwrap_or_default()
}

#[test]
fn a_two_worker_pytorch_run_learns_the_digits_and_shows_like_any_run() {
    let app = torch_app();
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(300));
    let run = start_pytorch(&app, &key, "mnist", 2);
    let events = read_events(&app, &key, &format!("/generation/run/runtime/?run_id={run}"));
    let streamed: Vec<u64> = events
        .iter()
        .filter(|(event, _)| event == "point")
        .map(|(_, data)| data["step"].as_u64().expect("step"))
        .collect();
    assert_eq!(streamed, vec![0, 100, 200, 300], "{}", log_of(&app, run));
    let details = app.wait_finished(&key, run);
    assert_eq!(
        (&details["engine"], &details["workers"], &details["device"]),
        (&json!("pytorch"), &json!(2), &json!("cpu"))
    );
    let accuracy = details["final_accuracy"].as_f64().expect("final accuracy");
    assert!(accuracy >= 0.95, "test accuracy {accuracy}");
    assert_eq!(details["confusion_matrix"].as_array().map(Vec::len), Some(10));
    // Both processes ended with the same weights.
    let log = log_of(&app, run);
    let sums: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(" checksum=").map(|(_, s)| s))
        .collect();
    assert_eq!(sums.len(), 2, "{log}");
    assert_eq!(sums[0], sums[1], "{log}");
    // Its weights answer predictions through the built-in engine.
    let predicted = crate::training::predict::send_picture(
        &app,
        &key,
        &format!("/models/{model}/predict/"),
        crate::training::predict::digit_picture(3, 3),
    );
    assert_eq!(predicted.status, 200, "{}", predicted.text);
    assert_eq!(predicted.body["label"], json!("3"));
    assert_eq!(predicted.body["run_id"], json!(run));
    wait_gone(&app, run);
}

/// Waits for the run's processes to end (they exit right after their last report).
#[track_caller]
fn wait_gone(app: &TestApp, run: i64) {
    for _ in 0..100 {
        if script_processes(app, run).is_empty() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("processes outlived their run: {:?}", script_processes(app, run));
}

#[test]
fn a_paused_and_resumed_pytorch_run_draws_the_curve_of_an_uninterrupted_one() {
    let app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(600));
    let straight = start_pytorch(&app, &key, "mnist", 2);
    let reference = app.wait_finished(&key, straight);

    let run = start_pytorch(&app, &key, "mnist", 2);
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["step"].as_u64() >= Some(250)
    });
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    wait_gone(&app, run);
    let held = app.run_details(&key, run);
    assert_eq!(held["placement"]["phase"], "paused");
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        app.run_details(&key, run)["points"],
        held["points"],
        "nothing moves while paused"
    );
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let resumed = app.wait_finished(&key, run);
    assert_eq!(
        steps(&resumed),
        vec![0, 100, 200, 300, 400, 500, 600],
        "no point lost or doubled"
    );
    assert_eq!(curve(&resumed), curve(&reference), "{}", log_of(&app, run));
}

#[test]
fn a_stopped_pytorch_run_ends_with_its_checkpoint_and_metrics() {
    let app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = start_pytorch(&app, &key, "mnist", 2);
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
    let details = app.run_details(&key, run);
    assert!(details["final_accuracy"].is_number(), "{details}");
    // The checkpoint is kept: the run can be restored from it.
    let restored = app.get(&format!("/generation/restore/{run}/"), Some(&key));
    assert_eq!(restored.status, 200, "{}", restored.text);
    wait_gone(&app, run);
}

#[test]
fn a_killed_worker_process_fails_the_run_with_the_reason() {
    let app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = start_pytorch(&app, &key, "mnist", 2);
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| !p.is_empty())
    });
    // The script's processes: torchrun's bootstrap and its two workers.
    let processes = script_processes(&app, run);
    let worker = processes
        .iter()
        .copied()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| !String::from_utf8_lossy(&c).contains("torch.distributed.run"))
                .unwrap_or(false)
        })
        .max()
        .expect("a worker process");
    std::process::Command::new("kill")
        .args(["-9", &worker.to_string()])
        .status()
        .expect("kill");
    let details = app.wait_run(&key, run, Duration::from_secs(60), |d| d["status"] == "failed");
    let error = details["error"].as_str().unwrap_or_default();
    assert!(
        error.starts_with("The PyTorch workers ended before the run did"),
        "{error}"
    );
    wait_gone(&app, run);
}

#[test]
fn a_killed_server_leaves_no_pytorch_process_and_the_run_resumable() {
    let mut app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(500));
    let run = start_pytorch(&app, &key, "mnist", 2);
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    app.kill();
    wait_gone(&app, run);
    app.restart();
    app.wait_run(&key, run, Duration::from_secs(30), |d| {
        d["status"] == "interrupted"
    });
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "queued"}));
    let details = app.wait_finished(&key, run);
    assert_eq!(steps(&details), vec![0, 100, 200, 300, 400, 500]);
}

#[test]
fn sigterm_hands_a_pytorch_run_over_and_the_next_server_resumes_it() {
    let mut app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let run = start_pytorch(&app, &key, "mnist", 2);
    let before = app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["step"].as_u64() >= Some(200)
    });
    let exit = app.terminate();
    assert!(exit.success(), "a SIGTERM is a clean exit: {exit}");
    assert!(app.log_shows("runs checkpointed and handed over to the next server"));
    assert!(
        script_processes(&app, run).is_empty(),
        "torchrun ended with its server"
    );
    // The script was asked, kept a checkpoint where it was and said so.
    let log = log_of(&app, run);
    assert!(log.contains("interrupted; the checkpoint is kept"), "{log}");
    let cut = app.stored_run(run);
    assert_eq!(
        (cut.status.as_str(), cut.resume_on_start),
        ("interrupted", true),
        "{log}"
    );
    let last_point = before["step"].as_i64().expect("step");
    assert!(cut.step >= last_point, "{} < {last_point}", cut.step);

    app.restart();
    let done = app.wait_finished(&key, run);
    assert_eq!(done["status"], "completed", "{}", log_of(&app, run));
    assert_eq!(steps(&done), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());
    assert_points_kept(&before, &done);
    wait_gone(&app, run);
}

#[test]
fn an_engine_this_server_cannot_run_is_a_400_naming_the_field() {
    let missing = TestApp::spawn_with(&[("NETSMITH_PYTHON", "/nonexistent/python3")]);
    let key = missing.signed_in_user("zqh");
    let model = missing.configured_digits(&key, "mnist", cnn(100));
    let refused = missing.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": "pytorch", "workers": 2}),
    );
    refused.assert(400, json!({"engine": [
        "The PyTorch engine needs a Python with torch (NETSMITH_PYTHON); /nonexistent/python3 cannot be started: No such file or directory (os error 2)."
    ]}));
    let options = missing.get("/generation/options/list/", Some(&key));
    assert_eq!(options.status, 200);
    let engines: Vec<Value> = options.body["engines"].as_array().cloned().expect("engines");
    assert_eq!(
        engines[0],
        json!({"name": "builtin", "available": true, "reason": null,
        "devices": ["cpu"], "max_workers": 1})
    );
    assert_eq!(
        (&engines[1]["name"], &engines[1]["available"]),
        (&json!("pytorch"), &json!(false))
    );
    // Nothing was recorded for the refused run.
    let detail = missing.get(&format!("/models/{model}/"), Some(&key)).body;
    assert_eq!(detail["runs"], json!([]), "{detail}");

    let app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(100));
    let cuda = app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": "pytorch", "device": "cuda"}),
    );
    assert_eq!(cuda.status, 400, "{}", cuda.text);
    let reason = cuda.body["device"][0].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("This server has 0 CUDA device(s) for PyTorch"),
        "{reason}"
    );
    app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "workers": 2}),
    )
    .assert(
        400,
        json!({"workers": [
            "The built-in engine trains on one worker; choose \"engine\": \"pytorch\" for more."
        ]}),
    );
    app.post_auth(
        "/generation/run/basic/",
        &key,
        json!({"modelName": "mnist", "engine": "tensorflow"}),
    )
    .assert(400, json!({"engine": ["\"tensorflow\" is not a valid choice."]}));
    let options = app.get("/generation/options/list/", Some(&key));
    assert_eq!(
        options.body["engines"][1]["available"],
        json!(true),
        "{}",
        options.text
    );
    assert_eq!(options.body["engines"][1]["max_workers"], json!(16));
}

#[test]
fn runs_of_both_engines_share_the_machines_training_limit() {
    // One training slot: a PyTorch run waits while a built-in run trains.
    let app = torch_app();
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let builtin = app.start_run(&key, "mnist");
    app.wait_run(&key, builtin, Duration::from_secs(60), |d| {
        d["status"] == "running"
    });
    let run = start_pytorch(&app, &key, "mnist", 2);
    std::thread::sleep(Duration::from_millis(1500));
    let waiting = app.run_details(&key, run);
    assert_eq!(
        (&waiting["status"], &waiting["placement"]["phase"]),
        (&json!("queued"), &json!("queued")),
        "{waiting}"
    );
    assert!(
        script_processes(&app, run).is_empty(),
        "not started while the slot is taken"
    );
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": builtin}))
        .assert(200, json!({"run_id": builtin, "status": "stopped"}));
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| !p.is_empty())
    });
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
}
