//! Two real server processes on one database and one data folder, as two replicas
//! behind a load balancer: a run is driven by the replica it was started through and
//! controlled through either; killing one replica leaves the other's runs training and
//! makes its own interrupted and resumable; failed logins count across both.

use std::time::Duration;

use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};
use crate::training::{ENV, cnn, steps};

/// One training thread per replica, and short leases so a gone replica shows quickly.
const REPLICA_ENV: [(&str, &str); 2] = [ENV[0], ("NETSMITH_LEASE_SECONDS", "2")];

fn point_count(app: &TestApp, key: &str, run: i64) -> usize {
    steps(&app.run_details(key, run)).len()
}

#[track_caller]
fn wait_points(app: &TestApp, key: &str, run: i64, more_than: usize) {
    app.wait_run(key, run, Duration::from_secs(120), |d| {
        d["points"].as_array().is_some_and(|p| p.len() > more_than)
    });
}

#[test]
fn a_run_started_through_one_replica_is_paused_resumed_and_stopped_through_the_other() {
    let first = TestApp::spawn_with(&REPLICA_ENV);
    let second = first.replica(&[]);
    let key = first.signed_in_user("zqh");
    first.configured_digits(&key, "mnist", cnn(1_000_000));
    // Started through the second: it trains there.
    let run = second.start_run(&key, "mnist");
    wait_points(&first, &key, run, 1);

    let paused = first.post_auth("/generation/run/pause/", &key, json!({"run_id": run}));
    assert_eq!(paused.status, 200, "{}", paused.text);
    assert_eq!(paused.body["status"], "paused", "{}", paused.text);
    let held = point_count(&second, &key, run);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        point_count(&second, &key, run),
        held,
        "no new points while paused"
    );

    let resumed = first.post_auth("/generation/run/resume/", &key, json!({"run_id": run}));
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    assert_eq!(resumed.body["status"], "running");
    wait_points(&first, &key, run, held);

    let stopped = first.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
    assert_eq!(stopped.status, 200, "{}", stopped.text);
    assert_eq!(stopped.body["status"], "stopped", "{}", stopped.text);
    let details = second.run_details(&key, run);
    assert_eq!(details["status"], "stopped");
    assert!(details["final_accuracy"].is_number(), "{details}");
}

#[test]
fn killing_one_replica_leaves_the_other_training_and_its_own_runs_resumable() {
    let first = TestApp::spawn_with(&REPLICA_ENV);
    let mut second = first.replica(&[]);
    let key = first.signed_in_user("zqh");
    first.configured_digits(&key, "kept", cnn(1_000_000));
    first.configured_digits(&key, "cut", cnn(1_000_000));
    let kept = first.start_run(&key, "kept");
    let cut = second.start_run(&key, "cut");
    wait_points(&first, &key, kept, 1);
    wait_points(&first, &key, cut, 1);

    second.kill();
    let details = first.wait_run(&key, cut, Duration::from_secs(20), |d| d["status"] != "running");
    assert_eq!(details["status"], "interrupted", "{details}");
    // The first replica's run never noticed.
    let before = point_count(&first, &key, kept);
    wait_points(&first, &key, kept, before);
    assert_eq!(first.run_details(&key, kept)["status"], "running");

    // A replica that starts again does not take the other's runs for cut off.
    second.restart();
    let before = point_count(&second, &key, kept);
    wait_points(&second, &key, kept, before);
    assert_eq!(second.run_details(&key, kept)["status"], "running");

    // The cut run continues from its checkpoint through the restarted replica.
    let cut_steps = steps(&first.run_details(&key, cut));
    let resumed = second.post_auth("/generation/run/resume/", &key, json!({"run_id": cut}));
    assert_eq!(resumed.status, 200, "{}", resumed.text);
    assert_eq!(resumed.body["status"], "queued");
    wait_points(&first, &key, cut, cut_steps.len());
    let after = steps(&first.run_details(&key, cut));
    assert_eq!(&after[..cut_steps.len()], &cut_steps[..], "no point lost");
    let mut unique = after.clone();
    unique.dedup();
    assert_eq!(unique, after, "no point doubled");

    for run in [kept, cut] {
        let stopped = first.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
        assert_eq!(stopped.body["status"], "stopped", "{}", stopped.text);
    }
}

#[test]
fn failed_logins_through_one_replica_throttle_the_name_on_the_other() {
    let first = TestApp::spawn();
    let second = first.replica(&[]);
    first.signed_in_user("zqh");
    for app in [&first, &second, &first, &second, &first] {
        let failed = app.post(
            "/rest-auth/login/",
            json!({"username": "zqh", "password": "wrong-pass"}),
        );
        assert_eq!(failed.status, 400, "{}", failed.text);
    }
    let throttled = second.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
    );
    assert_eq!(throttled.status, 429, "{}", throttled.text);
    assert!(throttled.header("retry-after").is_some());
}

#[test]
fn a_replica_that_starts_keeps_an_upload_another_replica_is_receiving() {
    use std::io::{Read, Write};
    let first = TestApp::spawn();
    let key = first.signed_in_user("zqh");
    // A multipart upload sent in two halves, the second after the other replica started.
    let address = first.base.trim_start_matches("http://").to_owned();
    let boundary = "XyZ";
    let content = vec![b'h'; 200_000];
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\nsingle\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file_class\"\r\n\r\ndoc\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.txt\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    let head = format!(
        "POST /data/ HTTP/1.1\r\nHost: {address}\r\nAuthorization: Token {key}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("send head");
    let (sent, rest) = body.split_at(body.len() / 2);
    stream.write_all(sent).expect("send the first half");
    let receiving = || first.stored_files().iter().any(|f| f.starts_with(".staging/"));
    for _ in 0..100 {
        if receiving() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(receiving(), "{:?}", first.stored_files());

    // The second replica's start sweeps leftovers of servers that are gone, not this.
    let second = first.replica(&[]);
    assert!(receiving(), "{:?}", first.stored_files());
    stream.write_all(rest).expect("send the rest");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let listed = second.get("/data/list/", Some(&key)).body;
    let id = listed[0]["id"].as_i64().expect("the upload is listed");
    let (status, _, bytes) = second.get_with(&format!("/data/{id}/"), &key, &[]);
    assert_eq!(status, 200);
    assert_eq!(bytes, content, "the whole upload is kept");
}
