//! Clients that stall or trickle are cut off with a 408 (header and body deadlines are
//! settings), and `X-Forwarded-For` names the client only behind a trusted proxy.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::TestApp;

/// Everything the server sends until it closes the connection.
fn answer(mut stream: TcpStream) -> String {
    let mut text = Vec::new();
    let _ = stream.read_to_end(&mut text);
    String::from_utf8_lossy(&text).into_owned()
}

const FAST: [(&str, &str); 3] = [
    ("NETSMITH_HEADER_TIMEOUT_SECS", "1"),
    ("NETSMITH_BODY_TIMEOUT_SECS", "1"),
    ("NETSMITH_BODY_MIN_RATE", "100"),
];

#[test]
fn a_body_that_stops_coming_is_a_408() {
    let app = TestApp::spawn_with(&FAST);
    let mut stream = app.raw_connection();
    let started = Instant::now();
    stream
        .write_all(
            b"POST /rest-auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 200\r\nConnection: close\r\n\r\n{\"username\"",
        )
        .expect("send");
    let text = answer(stream);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        text.ends_with(r#"{"detail":"The request body was not received in time."}"#),
        "{text}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_trickled_body_is_cut_off_though_bytes_keep_coming() {
    let app = TestApp::spawn_with(&FAST);
    let mut stream = app.raw_connection();
    stream
        .write_all(
            b"POST /rest-auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\nConnection: close\r\n\r\n",
        )
        .expect("send");
    // One byte every 200 ms: never idle for the timeout, far below 100 bytes/s.
    let started = Instant::now();
    let mut refused = false;
    while started.elapsed() < Duration::from_secs(15) {
        if stream.write_all(b" ").is_err() {
            refused = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let mut peek = [0u8; 1];
        stream.set_nonblocking(true).expect("nonblocking");
        let ready = stream.peek(&mut peek).is_ok_and(|n| n > 0);
        stream.set_nonblocking(false).expect("blocking");
        if ready {
            refused = true;
            break;
        }
    }
    assert!(
        refused,
        "the server kept reading a trickle for {:?}",
        started.elapsed()
    );
    let text = answer(stream);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_request_head_that_never_ends_is_a_408() {
    let app = TestApp::spawn_with(&FAST);
    let mut stream = app.raw_connection();
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let text = answer(stream);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // A whole request on a new connection is answered as usual.
    assert_eq!(app.get("/healthz/", None).status, 200);
}

#[test]
fn a_large_upload_at_a_normal_speed_is_not_cut_off() {
    let app = TestApp::spawn_with(&FAST);
    let key = app.signed_in_user("zqh");
    let bytes = vec![b'x'; 3 * 1024 * 1024];
    let response = app.upload_file(&key, "single", "doc", "big.txt", bytes);
    assert_eq!(response.status, 201, "{}", response.text);
}

/// Two failed logins from `forwarded` (as the proxy says), then a third: its status.
fn third_failure(app: &TestApp, forwarded: &str) -> u16 {
    let mut last = 0;
    for _ in 0..3 {
        last = app
            .send(
                app.request(reqwest::Method::POST, "/rest-auth/login/")
                    .header("X-Forwarded-For", forwarded)
                    .json(&json!({"username": "nobody", "password": "guess-123"})),
            )
            .status;
    }
    last
}

#[test]
fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
    let limits = [
        ("NETSMITH_LOGIN_FAILURES_PER_ADDRESS", "2"),
        ("NETSMITH_LOGIN_FAILURES_PER_USER", "100"),
    ];
    let trusted = TestApp::spawn_with(&[limits[0], limits[1], ("NETSMITH_TRUSTED_PROXIES", "127.0.0.1")]);
    assert_eq!(third_failure(&trusted, "203.0.113.7"), 429);
    // Another client behind the same proxy has its own count.
    let other = trusted.send(
        trusted
            .request(reqwest::Method::POST, "/rest-auth/login/")
            .header("X-Forwarded-For", "203.0.113.8")
            .json(&json!({"username": "nobody", "password": "guess-123"})),
    );
    assert_eq!(other.status, 400, "{}", other.text);

    // Without the setting the header is the client's own word: ignored.
    let untrusted = TestApp::spawn_with(&limits);
    untrusted.send(
        untrusted
            .request(reqwest::Method::POST, "/rest-auth/login/")
            .header("X-Forwarded-For", "203.0.113.7")
            .json(&json!({"username": "nobody", "password": "guess-123"})),
    );
    assert_eq!(third_failure(&untrusted, "203.0.113.9"), 429);
}
