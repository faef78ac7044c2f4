//! A server stopped with SIGTERM (a rolling restart) loses no training: running runs
//! are checkpointed where they are and handed over, the next server resumes them by
//! itself, runs that had not begun start there, paused runs wait for their users, and
//! password work still queued is dropped rather than drained.

use std::time::Duration;

use serde_json::json;

use super::{assert_points_kept, cnn, steps};
use crate::support::{GOOD_PASSWORD, TestApp};

#[test]
fn sigterm_checkpoints_running_runs_and_the_next_server_resumes_them() {
    // Two trainers: one run holds paused, one trains, one waits for a slot.
    let mut app = TestApp::spawn_with(&[
        ("NETSMITH_TRAIN_WORKERS", "2"),
        ("NETSMITH_CHECKPOINT_EVERY", "100000"),
    ]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let paused = app.start_run(&key, "mnist");
    app.wait_run(&key, paused, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(100)
    });
    app.post_auth("/generation/run/pause/", &key, json!({"run_id": paused}))
        .assert(200, json!({"run_id": paused, "status": "paused"}));
    let running = app.start_run(&key, "mnist");
    let waiting = app.start_run(&key, "mnist");
    let before = app.wait_run(&key, running, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(300)
    });
    assert_eq!(app.run_details(&key, waiting)["status"], "queued");

    let exit = app.terminate();
    assert!(exit.success(), "a SIGTERM is a clean exit: {exit}");
    assert!(app.log_shows("runs checkpointed and handed over to the next server"));

    // Checkpointed at the step it reached, past its last metric point (no periodic
    // checkpoint in between), and marked for the next server.
    let cut = app.stored_run(running);
    assert_eq!(cut.status, "interrupted");
    assert!(cut.resume_on_start);
    let last_point = before["step"].as_i64().expect("step");
    assert!(
        cut.step > last_point,
        "the checkpoint is at the step reached ({}), not at the last point ({last_point})",
        cut.step
    );
    let queued = app.stored_run(waiting);
    assert_eq!(
        (queued.status.as_str(), queued.resume_on_start, queued.began),
        ("interrupted", true, false)
    );
    let held = app.stored_run(paused);
    assert_eq!((held.status.as_str(), held.resume_on_start), ("paused", false));

    app.restart();
    assert!(app.log_shows("resumed runs handed over by a server that shut down"));
    let done = app.wait_finished(&key, running);
    assert_eq!(done["status"], "completed");
    assert_eq!(steps(&done), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());
    assert_points_kept(&before, &done);
    assert!(done["final_accuracy"].as_f64().expect("accuracy") > 0.9);
    let fresh = app.wait_finished(&key, waiting);
    assert_eq!(fresh["status"], "completed");
    assert_eq!(steps(&fresh), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());

    // The paused run was not the server's to resume: its user does.
    let waited = app.run_details(&key, paused);
    assert_eq!(waited["status"], "interrupted");
    app.post_auth("/generation/run/resume/", &key, json!({"run_id": paused}))
        .assert(200, json!({"run_id": paused, "status": "queued"}));
    assert_eq!(app.wait_finished(&key, paused)["status"], "completed");
}

#[test]
fn a_run_handed_over_is_resumed_by_a_replica_that_is_already_running() {
    let mut first = TestApp::spawn_with(&[("NETSMITH_TRAIN_WORKERS", "1")]);
    let key = first.signed_in_user("zqh");
    first.configured_digits(&key, "mnist", cnn(1500));
    let run = first.start_run(&key, "mnist");
    let second = first.replica(&[]);
    first.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(200)
    });
    let exit = first.terminate();
    assert!(exit.success(), "{exit}");
    // No restart: the other replica picks the run up within seconds.
    let resumed = second.wait_run(&key, run, Duration::from_secs(60), |d| {
        d["status"] == "running" || d["status"] == "completed"
    });
    assert_ne!(resumed["status"], "interrupted");
    assert!(second.log_shows("resumed runs handed over by a server that shut down"));
    let done = second.wait_finished(&key, run);
    assert_eq!(steps(&done), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());
}

#[test]
fn sigterm_drops_password_work_still_queued() {
    // One hashing slot and a slow cost: twelve registrations would take seconds each.
    let mut app = TestApp::spawn_with(&[
        ("NETSMITH_HASHING_THREADS", "1"),
        ("NETSMITH_BCRYPT_COST", "12"),
        ("NETSMITH_EMAIL_VERIFICATION", "none"),
    ]);
    let answers = std::thread::scope(|scope| {
        let app = &app;
        let sent: Vec<_> = (0..12)
            .map(|i| {
                scope.spawn(move || {
                    app.post(
                        "/rest-auth/registration/",
                        json!({
                            "username": format!("user{i}"),
                            "email": format!("user{i}@example.com"),
                            "password1": GOOD_PASSWORD,
                            "password2": GOOD_PASSWORD,
                        }),
                    )
                })
            })
            .collect();
        // Let every request reach the hashing queue.
        std::thread::sleep(Duration::from_millis(500));
        app.send_sigterm();
        sent.into_iter()
            .map(|h| h.join().expect("request thread"))
            .collect::<Vec<_>>()
    });
    let exit = app.wait_exit();
    assert!(exit.success(), "{exit}");
    let refused: Vec<_> = answers.iter().filter(|a| a.status == 503).collect();
    for answer in &refused {
        answer.assert(
            503,
            json!({"detail": "The server is shutting down; try again in a moment."}),
        );
        assert_eq!(answer.header("retry-after"), Some("5"));
    }
    assert!(
        answers.iter().all(|a| a.status == 201 || a.status == 503),
        "{:?}",
        answers.iter().map(|a| (a.status, &a.text)).collect::<Vec<_>>()
    );
    assert!(
        refused.len() >= 6,
        "queued hashes are dropped, not drained: {} of 12 refused",
        refused.len()
    );
}

#[test]
fn a_worker_process_checkpoints_and_reports_interrupted_when_its_server_stops() {
    let mut app = TestApp::spawn_with(&[
        ("NETSMITH_EXECUTOR", "process"),
        ("NETSMITH_TRAIN_WORKERS", "1"),
        ("NETSMITH_CHECKPOINT_EVERY", "100000"),
    ]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1500));
    let run = app.start_run(&key, "mnist");
    let before = app.wait_run(&key, run, Duration::from_secs(300), |d| {
        d["step"].as_u64() >= Some(200)
    });
    let exit = app.terminate();
    assert!(exit.success(), "{exit}");
    // The worker was told at its next poll, checkpointed, and reported where it was.
    let cut = app.stored_run(run);
    assert_eq!((cut.status.as_str(), cut.resume_on_start), ("interrupted", true));
    assert!(cut.step > before["step"].as_i64().expect("step"), "{}", cut.step);

    app.restart();
    let done = app.wait_finished(&key, run);
    assert_eq!(steps(&done), (0..=15).map(|i| i * 100).collect::<Vec<u64>>());
    assert_points_kept(&before, &done);
}
