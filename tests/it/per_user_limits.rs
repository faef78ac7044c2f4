//! One user cannot take the whole server: uploads at once and runs waiting to train
//! are limited per user (settings); past a limit a request is a 429 with
//! `Retry-After` that starts nothing, and other users are not affected.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::TestApp;
use crate::training::cnn;

#[test]
fn a_user_sending_the_most_uploads_at_once_is_told_to_wait() {
    let app = TestApp::spawn_with(&[("NETSMITH_MAX_UPLOADS_PER_USER", "1")]);
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    // An upload whose body is still coming.
    let mut open = app.raw_connection();
    write!(
        open,
        "POST /data/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token {key}\r\n\
         Content-Type: multipart/form-data; boundary=XB\r\nContent-Length: 100000\r\n\r\n\
         --XB\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\nsingle\r\n"
    )
    .expect("send");
    // Received by the server once the metrics show it.
    let started = Instant::now();
    while !app
        .get("/metrics", None)
        .text
        .lines()
        .any(|line| line == "netsmith_uploads_in_progress 1")
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the open upload never began"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let refused = app.upload_file(&key, "single", "doc", "a.txt", b"hello".to_vec());
    refused.assert(
        429,
        json!({"detail": "You are already sending as many uploads at once as this server allows. Try again in 5 seconds."}),
    );
    assert_eq!(refused.header("retry-after"), Some("5"));
    assert_eq!(
        app.get("/data/list/", Some(&key)).body,
        json!([]),
        "nothing was stored"
    );
    // Someone else uploads as usual meanwhile.
    app.uploaded(&other, "single", "doc", "b.txt", b"hello".to_vec());
    // Once the first upload is over (its client went away), the next one goes through.
    drop(open);
    let started = Instant::now();
    loop {
        let response = app.upload_file(&key, "single", "doc", "a.txt", b"hello".to_vec());
        if response.status == 201 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{}", response.text);
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_user_with_the_most_runs_waiting_cannot_queue_another() {
    let app = TestApp::spawn_with(&[
        ("NETSMITH_TRAIN_WORKERS", "1"),
        ("NETSMITH_MAX_QUEUED_RUNS_PER_USER", "1"),
    ]);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(100_000));
    let first = app.start_run(&key, "mnist");
    app.wait_run(&key, first, Duration::from_secs(60), |d| d["status"] == "running");
    let second = app.start_run(&key, "mnist");
    let refused = app.post_auth("/generation/run/basic/", &key, json!({"modelName": "mnist"}));
    refused.assert(
        429,
        json!({"detail": "Too many of your runs are waiting to train (at most 1); start this one when one of them has begun."}),
    );
    assert_eq!(refused.header("retry-after"), Some("30"));
    for run in [first, second] {
        let stopped = app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
        assert_eq!(stopped.status, 200, "{}", stopped.text);
    }
    // With nothing waiting any more, a run may be queued again.
    let third = app.start_run(&key, "mnist");
    let stopped = app.post_auth("/generation/run/stop/", &key, json!({"run_id": third}));
    assert_eq!(stopped.status, 200, "{}", stopped.text);
}
