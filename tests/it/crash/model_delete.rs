use std::time::Duration;

use serde_json::json;

use super::poll;
use crate::support::TestApp;
use crate::support::consistency::{assert_data_consistent, entries, listed_ids};
use crate::training::{ENV, cnn};

#[test]
fn a_crash_while_deleting_a_model_leaves_no_row_and_its_files_are_swept() {
    let mut app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(20));
    let run = app.start_run(&key, "mnist");
    app.wait_finished(&key, run);
    let data = listed_ids(&app, &key);
    let folder = app.data_dir().join(format!("runs/{run}"));
    // A run folder with many files (a long run's logs, say) takes a while to remove.
    for i in 0..30_000 {
        std::fs::write(folder.join(format!("log-{i}.txt")), b"a line").expect("write");
    }
    let delete = app
        .request(reqwest::Method::DELETE, &format!("/models/{model}/"))
        .header("Authorization", format!("Token {key}"));
    let deleting = std::thread::spawn(move || delete.send());

    // The row goes first: once the list is empty, the files are being removed.
    poll("the model gone from the list", || {
        let models = app.get("/models/list/", Some(&key));
        (models.status == 200 && models.body == json!([])).then_some(())
    });
    app.kill();
    let _ = deleting.join().expect("delete thread");
    assert!(
        folder.exists(),
        "killed after the row was deleted, before its files were gone"
    );

    app.restart();
    assert!(app.log_shows("removed checkpoints of runs no longer recorded swept=1"));
    assert!(!folder.exists(), "the orphaned run folder is swept");
    assert_eq!(entries(&app.data_dir().join("runs")), 0);
    app.get("/models/list/", Some(&key)).assert(200, json!([]));
    app.get(&format!("/models/{model}/"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get(&format!("/generation/run/details/?run_id={run}"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    // Its data stays, whole.
    assert_data_consistent(&app, &key, &data);
}

#[test]
fn deleting_a_model_while_its_run_trains_leaves_no_files_behind() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(100_000));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(100)
    });
    app.send_json(
        reqwest::Method::DELETE,
        &format!("/models/{model}/"),
        Some(&key),
        json!({}),
    )
    .assert(200, json!({"message": "success"}));
    // The run stops at its next step and writes its last checkpoint: that goes too.
    poll("the run's end noticed", || {
        app.log()
            .contains("removed the files of a run deleted while it trained")
            .then_some(())
    });
    assert!(!app.data_dir().join(format!("runs/{run}")).exists());
    app.get(&format!("/generation/run/details/?run_id={run}"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
}
