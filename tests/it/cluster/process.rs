//! Runs in worker processes: learning, live metrics, control, and a worker killed
//! mid-run that is started again and continues from its checkpoint.

use std::time::Duration;

use serde_json::json;

use super::{process_app, recorded};
use crate::support::TestApp;
use crate::training::runs::read_events;
use crate::training::{ENV, cnn, curve, steps};

#[test]
fn a_worker_process_trains_the_digits_and_the_server_shows_it_like_a_local_run() {
    let folder = tempfile::tempdir().expect("folder");
    let app = process_app(folder.path());
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(300));
    let run = app.start_run(&key, "mnist");
    // Live, as for a local run: every point as an event, then the end.
    let events = read_events(&app, &key, &format!("/generation/run/runtime/?run_id={run}"));
    let streamed: Vec<u64> = events
        .iter()
        .filter(|(event, _)| event == "point")
        .map(|(_, data)| data["step"].as_u64().expect("step"))
        .collect();
    assert_eq!(streamed, vec![0, 100, 200, 300]);
    let (event, end) = events.last().expect("an end event");
    assert_eq!((event.as_str(), &end["status"]), ("end", &json!("completed")));
    let details = app.wait_finished(&key, run);
    assert_eq!(steps(&details), vec![0, 100, 200, 300]);
    let accuracy = details["final_accuracy"].as_f64().expect("final accuracy");
    // The local run's bar for this network and budget (one seed's 300 steps land
    // a few test pictures either side of 0.95 with any change of rounding).
    assert!(accuracy > 0.9, "test accuracy {accuracy}");
    assert_eq!(details["confusion_matrix"].as_array().map(Vec::len), Some(10));
    assert!(details["started_at"].is_string() && details["finished_at"].is_string());
    // It really trained in another process.
    let pid: u32 = recorded(folder.path(), "pid", run).parse().expect("a pid");
    assert_ne!(pid, std::process::id());
    // The trained parameters answer predictions, as a local run's do.
    let train = app.get("/runtime/train/mnist/", Some(&key));
    assert_eq!(train.body["final_accuracy"].as_f64(), Some(accuracy));
    let picture = crate::training::predict::digit_picture(3, 3);
    let predicted = crate::training::predict::send_picture(&app, &key, "/construct/detail/mnist/", picture);
    assert_eq!(predicted.status, 200, "{}", predicted.text);
    assert_eq!(predicted.body["result"], "success");
    assert_eq!(predicted.body["message"], json!(3));
}

#[test]
fn the_same_run_gives_the_same_curve_in_a_worker_as_in_the_server() {
    let folder = tempfile::tempdir().expect("folder");
    let remote = process_app(folder.path());
    let local = TestApp::spawn_with(&ENV);
    let mut curves = Vec::new();
    for app in [&local, &remote] {
        let key = app.signed_in_user("zqh");
        app.configured_digits(&key, "mnist", cnn(200));
        let run = app.start_run(&key, "mnist");
        curves.push(curve(&app.wait_finished(&key, run)));
    }
    assert_eq!(
        curves[0], curves[1],
        "same seed, same data, same engine: the same curve"
    );
}

#[test]
fn pause_resume_and_stop_reach_the_worker() {
    let folder = tempfile::tempdir().expect("folder");
    let app = process_app(folder.path());
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    let paused = app.post_auth("/generation/run/pause/", &key, json!({"run_id": run}));
    assert_eq!(paused.status, 200, "{}", paused.text);
    assert_eq!(paused.body["status"], "paused");
    let held = steps(&app.run_details(&key, run));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        steps(&app.run_details(&key, run)),
        held,
        "no new points while paused"
    );
    let resumed = app.post_auth("/generation/run/resume/", &key, json!({"run_id": run}));
    assert_eq!(resumed.body["status"], "running", "{}", resumed.text);
    let before = held.len();
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() > before)
    });
    let stopped = app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
    assert_eq!(stopped.status, 200, "{}", stopped.text);
    assert_eq!(stopped.body["status"], "stopped");
    let details = app.run_details(&key, run);
    assert!(details["final_accuracy"].is_number());
    // The worker is gone once the run ended.
    let pid = recorded(folder.path(), "pid", run);
    for _ in 0..100 {
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the worker {pid} still runs after its run stopped");
}

#[test]
fn a_killed_worker_is_started_again_and_continues_without_losing_or_doubling_a_point() {
    let folder = tempfile::tempdir().expect("folder");
    let app = process_app(folder.path());
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() >= 3)
    });
    let first = recorded(folder.path(), "pid", run);
    std::fs::remove_file(folder.path().join(format!("pid.{run}"))).expect("forget the pid");
    let killed = std::process::Command::new("kill")
        .args(["-9", &first])
        .status()
        .expect("kill");
    assert!(killed.success());
    let second = recorded(folder.path(), "pid", run);
    assert_ne!(first, second, "a new worker took over");
    let details = app.wait_finished(&key, run);
    let expected: Vec<u64> = (0..=1500).step_by(100).collect();
    assert_eq!(steps(&details), expected, "every point once, in order");
}
