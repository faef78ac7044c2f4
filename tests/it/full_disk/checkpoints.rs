use std::time::Duration;

use serde_json::json;

use super::FULL;
use crate::support::TestApp;
use crate::support::consistency::listed_ids;
use crate::support::small_disk::SmallDisk;
use crate::training::cnn;

#[test]
fn a_checkpoint_that_cannot_be_written_fails_the_run_and_keeps_the_previous_one() {
    let disk = SmallDisk::mount(32);
    let app = TestApp::spawn_on(
        disk.path(),
        &[("NETSMITH_TRAIN_WORKERS", "1"), ("NETSMITH_EVAL_EVERY", "10")],
    );
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(100_000));
    let data = listed_ids(&app, &key);
    let run = app.start_run(&key, "mnist");
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
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "running"}));
    let failed = app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["status"] != "running" && d["status"] != "paused"
    });
    assert_eq!(
        (&failed["status"], &failed["error"]),
        (
            &json!("failed"),
            &json!("checkpoint: no space left on the server's disk")
        ),
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
    assert_eq!(
        files,
        ["checkpoint.bin", "weights.bin"],
        "no half-written file stays"
    );

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
