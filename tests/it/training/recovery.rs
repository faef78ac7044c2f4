use std::time::Duration;

use serde_json::json;

use super::{ENV, cnn, steps};
use crate::support::TestApp;

#[test]
fn a_run_cut_off_by_a_crash_is_interrupted_and_resumes_from_its_checkpoint() {
    let mut app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let run = app.start_run(&key, "mnist");
    let before = app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(300)
    });
    let seen = steps(&before);
    app.kill();
    app.restart();

    let after = app.run_details(&key, run);
    assert_eq!(after["status"], "interrupted");
    let kept = steps(&after);
    assert!(
        kept.starts_with(&seen),
        "acknowledged points survive: {seen:?} then {kept:?}"
    );

    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "queued"}));
    let done = app.wait_finished(&key, run);
    assert_eq!(steps(&done), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());
    for point in &before["points"].as_array().expect("points")[..] {
        let step = point["step"].as_u64().expect("step") as usize / 100;
        assert_eq!(
            done["points"][step], *point,
            "a point acknowledged before the crash is unchanged"
        );
    }
    assert!(done["final_accuracy"].as_f64().expect("accuracy") > 0.9);
}

#[test]
fn checkpoints_of_runs_no_longer_recorded_are_swept_at_start() {
    let mut app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(20));
    let run = app.start_run(&key, "mnist");
    app.wait_finished(&key, run);
    let kept = app.data_dir().join(format!("runs/{run}"));
    assert!(kept.join("weights.bin").exists());
    // What a server stopped in the middle of deleting a model leaves behind.
    let orphan = app.data_dir().join("runs/999");
    std::fs::create_dir_all(&orphan).expect("folder");
    std::fs::write(orphan.join("checkpoint.bin"), b"NSMCKPT1").expect("file");
    app.restart();
    assert!(!orphan.exists(), "the orphan is swept");
    assert!(
        kept.join("weights.bin").exists(),
        "a recorded run keeps its files"
    );
    assert!(app.log_shows("removed checkpoints of runs no longer recorded"));
    // The model still predicts with its weights.
    let details = app.run_details(&key, run);
    assert_eq!(details["status"], "completed");
}
