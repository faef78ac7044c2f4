//! What an operator sees: `GET /metrics` in Prometheus' text format (requests by route
//! template and status, open streams, upload bytes, runs by status, the training
//! queue and throughput), optionally behind a token, and logs as JSON lines.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use crate::support::TestApp;
use crate::training::{ENV, cnn};

/// The samples of `/metrics`: `name{labels} value` lines, comments left out.
fn samples(app: &TestApp) -> Vec<String> {
    let response = app.send(app.request(Method::GET, "/metrics"));
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.header("content-type"), Some("text/plain; version=0.0.4"));
    response
        .text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// The value of the sample named exactly `name{labels}` (or 0 when absent).
fn value(samples: &[String], series: &str) -> f64 {
    samples
        .iter()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or(0.0)
}

#[test]
fn requests_are_counted_by_route_template_and_status() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    for id in [998, 999] {
        app.get(&format!("/data/{id}/"), Some(&key))
            .assert(404, serde_json::json!({"detail": "Not found."}));
    }
    app.get("/data/list/", Some(&key));
    app.get("/data/list/", None);
    app.get("/no/such/path/", None);
    let seen = samples(&app);
    assert_eq!(
        value(
            &seen,
            r#"netsmith_http_requests_total{method="GET",route="/data/{id}/",status="404"}"#
        ),
        2.0
    );
    assert_eq!(
        value(
            &seen,
            r#"netsmith_http_requests_total{method="GET",route="/data/list/",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &seen,
            r#"netsmith_http_requests_total{method="GET",route="/data/list/",status="401"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &seen,
            r#"netsmith_http_requests_total{method="GET",route="unmatched",status="404"}"#
        ),
        1.0
    );
    assert_eq!(
        value(
            &seen,
            r#"netsmith_http_request_duration_seconds_count{method="GET",route="/data/{id}/"}"#
        ),
        2.0
    );
    // The register/verify/login of the user went through the blocking pool, now idle.
    assert_eq!(value(&seen, "netsmith_blocking_tasks_in_flight"), 0.0);
    // Memory: the process's resident size and the allocator's heap, in use and free.
    let resident = value(&seen, "netsmith_resident_memory_bytes");
    let in_use = value(&seen, "netsmith_heap_in_use_bytes");
    assert!(resident > 1e6 && in_use > 1e5, "{resident} {in_use}");
    assert!(
        seen.iter().any(|l| l.starts_with("netsmith_heap_free_bytes ")),
        "{seen:?}"
    );
}

#[test]
fn uploads_runs_streams_and_throughput_are_shown() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let digits = crate::models::fixture("digits.zip");
    let size = digits.len() as f64;
    app.configured_digits(&key, "mnist", cnn(100_000));
    let seen = samples(&app);
    assert_eq!(value(&seen, "netsmith_upload_bytes_total"), size);
    assert_eq!(value(&seen, "netsmith_uploads_in_progress"), 0.0);
    assert_eq!(value(&seen, r#"netsmith_runs{status="running"}"#), 0.0);

    let run = app.start_run(&key, "mnist");
    app.wait_run(&key, run, Duration::from_secs(120), |d| {
        // Two points: the first may be the untrained network's, before any step.
        d["status"] == "running" && d["points"].as_array().is_some_and(|p| p.len() >= 2)
    });
    // A live stream, held open while the metrics are read.
    let client = reqwest::blocking::Client::new();
    let mut stream = client
        .get(app.url(&format!("/generation/run/runtime/?run_id={run}")))
        .header("Authorization", format!("Token {key}"))
        .header("Accept", "text/event-stream")
        .send()
        .expect("stream");
    let mut first = [0u8; 16];
    stream.read_exact(&mut first).expect("the stream's first bytes");
    let seen = samples(&app);
    assert_eq!(value(&seen, "netsmith_sse_streams_open"), 1.0);
    assert_eq!(value(&seen, r#"netsmith_runs{status="running"}"#), 1.0);
    assert_eq!(value(&seen, "netsmith_training_queue_depth"), 0.0);
    let speed = value(&seen, "netsmith_training_images_per_second");
    assert!(speed > 0.0, "images/s of a running run: {speed}");
    drop(stream);

    let stopped = app.post_auth("/generation/run/stop/", &key, serde_json::json!({"run_id": run}));
    assert_eq!(stopped.status, 200, "{}", stopped.text);
    app.wait_run(&key, run, Duration::from_secs(60), |d| d["status"] == "stopped");
    let started = Instant::now();
    loop {
        let seen = samples(&app);
        let settled = value(&seen, "netsmith_sse_streams_open") == 0.0
            && value(&seen, r#"netsmith_runs{status="stopped"}"#) == 1.0
            && value(&seen, r#"netsmith_runs{status="running"}"#) == 0.0
            && value(&seen, "netsmith_training_images_per_second") == 0.0;
        if settled {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{seen:#?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn with_a_token_set_metrics_need_it() {
    let app = TestApp::spawn_with(&[("NETSMITH_METRICS_TOKEN", "scrape-me")]);
    app.send(app.request(Method::GET, "/metrics")).assert(
        401,
        serde_json::json!({"detail": "Authentication credentials were not provided."}),
    );
    app.send(
        app.request(Method::GET, "/metrics")
            .header("Authorization", "Bearer wrong"),
    )
    .assert(401, serde_json::json!({"detail": "Invalid token."}));
    let allowed = app.send(
        app.request(Method::GET, "/metrics")
            .header("Authorization", "Bearer scrape-me"),
    );
    assert_eq!(allowed.status, 200, "{}", allowed.text);
    assert!(
        allowed
            .text
            .contains("# TYPE netsmith_http_requests_total counter"),
        "{}",
        allowed.text
    );
}

#[test]
fn json_logs_are_one_object_per_line_with_the_request_id() {
    let app = TestApp::spawn_with(&[("NETSMITH_LOG_FORMAT", "json")]);
    let response = app.send(
        app.request(Method::GET, "/healthz/")
            .header("X-Request-Id", "trace-42"),
    );
    assert_eq!(response.status, 200);
    let started = Instant::now();
    let line = loop {
        let log = app.log();
        let found = log
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|entry| entry["message"] == "request" && entry["path"] == "/healthz/");
        if let Some(entry) = found {
            break entry;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no JSON request line in:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 200);
    assert_eq!(line["span"]["id"], "trace-42");
    let log = app.log();
    let text_lines = log
        .lines()
        .filter(|l| !l.trim().is_empty() && serde_json::from_str::<Value>(l).is_err());
    assert_eq!(text_lines.count(), 0, "every line is JSON:\n{log}");
}

#[test]
fn database_and_file_work_runs_on_at_most_the_configured_threads() {
    let app = TestApp::spawn_with(&[("NETSMITH_WORKERS", "1"), ("NETSMITH_BLOCKING_THREADS", "3")]);
    let key = app.signed_in_user("zqh");
    // Forty listings at once: each reads the database on a blocking thread.
    let answers: Vec<u16> = std::thread::scope(|scope| {
        let sent: Vec<_> = (0..40)
            .map(|_| scope.spawn(|| app.get("/data/list/", Some(&key)).status))
            .collect();
        sent.into_iter().map(|h| h.join().expect("request")).collect()
    });
    assert!(answers.iter().all(|s| *s == 200), "{answers:?}");
    // tokio names its blocking threads `tokio-rt-worker`; the pool made at most three.
    let blocking = std::fs::read_dir(format!("/proc/{}/task", app.pid()))
        .expect("the server's threads")
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim() == "tokio-rt-worker")
        })
        .count();
    assert!((1..=3).contains(&blocking), "{blocking} blocking threads");
}
