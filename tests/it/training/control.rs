use std::time::Duration;

use serde_json::json;

use super::{ENV, cnn, curve};
use crate::support::TestApp;

#[test]
fn a_paused_run_resumes_where_it_was_and_draws_the_same_curve() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(400));

    let straight = app.start_run(&key, "mnist");
    let reference = app.wait_finished(&key, straight);

    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(100)
    });
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));
    let paused = app.run_details(&key, run);
    std::thread::sleep(Duration::from_millis(700));
    let still = app.run_details(&key, run);
    assert_eq!(still["status"], "paused");
    assert_eq!(still["points"], paused["points"], "nothing moves while paused");
    assert_eq!(
        still["placement"],
        json!({"executor": "local", "phase": "paused", "detail": null, "pod": null, "node": null})
    );
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "paused"}));

    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let resumed = app.wait_finished(&key, run);
    assert_eq!(resumed["placement"], json!(null), "an ended run is nowhere");
    assert_eq!(curve(&resumed), curve(&reference));
    assert_eq!(resumed["final_accuracy"], reference["final_accuracy"]);

    // A finished run can be neither paused nor resumed nor stopped.
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}))
        .assert(
            400,
            json!({"run_id": ["Only a queued or running run can be paused; this run is completed."]}),
        );
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(
            400,
            json!({"run_id": ["Only a paused or interrupted run can be resumed; this run is completed."]}),
        );
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(
            400,
            json!({"run_id": ["This run has already ended; it is completed."]}),
        );
}

#[test]
fn a_stopped_run_can_be_restored_and_the_next_run_starts_from_it() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(20_000));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(200)
    });
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
    let stopped = app.run_details(&key, run);
    let step = stopped["step"].as_u64().expect("step");
    assert!((200..20_000).contains(&step), "{stopped}");
    let accuracy = stopped["final_accuracy"]
        .as_f64()
        .expect("final accuracy of a stopped run");
    assert_eq!(
        stopped["points"]
            .as_array()
            .and_then(|p| p.last())
            .map(|p| p["step"].clone()),
        Some(json!(step)),
        "the stop leaves a point where it stopped"
    );

    app.get(&format!("/generation/restore/{run}/"), Some(&key))
        .assert(200, json!({"run_id": run, "model_id": model, "step": step}));
    let detail = app.get(&format!("/models/{model}/"), Some(&key));
    assert_eq!(detail.body["weights_run"], json!(run));

    // Warm start: the next run's first evaluation is the stopped run's final one.
    let saved = app.post_auth(
        "/construct/config/",
        &key,
        crate::models::with(cnn(100), json!({"modelName": "mnist"})),
    );
    assert_eq!(saved.status, 200);
    let next = app.start_run(&key, "mnist");
    let warm = app.wait_finished(&key, next);
    assert_eq!(warm["warm_from"], json!(run));
    assert_eq!(warm["points"][0]["step"], json!(0));
    assert_eq!(warm["points"][0]["accuracy"].as_f64(), Some(accuracy));
}

#[test]
fn deleting_a_model_removes_its_runs_and_checkpoints() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(100));
    let run = app.start_run(&key, "mnist");
    app.wait_finished(&key, run);
    let files = app.data_dir().join("runs").join(run.to_string());
    assert!(files.join("checkpoint.bin").is_file());
    assert!(files.join("weights.bin").is_file());

    app.send_json(
        reqwest::Method::DELETE,
        &format!("/models/{model}/"),
        Some(&key),
        json!({}),
    )
    .assert(200, json!({"message": "success"}));
    app.get(&format!("/generation/run/details/?run_id={run}"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    assert!(!files.exists(), "checkpoints go with the model");
}
