//! The served OpenAPI document is the committed snapshot `tests/it/openapi.json`, so a
//! route that is added, removed or changed without its document (or the other way
//! round) fails here. After a deliberate change, write the new snapshot with
//! `cargo run -p netsmith -- openapi > tests/it/openapi.json` and review its diff.

use std::path::Path;

use serde_json::Value;

use crate::support::TestApp;

fn snapshot() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/it/openapi.json");
    let text = std::fs::read_to_string(&path).expect("the committed snapshot tests/it/openapi.json");
    serde_json::from_str(&text).expect("the snapshot is JSON")
}

/// JSON pointers where `a` and `b` differ (at most `limit`).
fn differences(a: &Value, b: &Value, at: &str, found: &mut Vec<String>, limit: usize) {
    if found.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                differences(
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                    &pointer,
                    found,
                    limit,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{at}/{i}"), found, limit);
            }
        }
        _ => found.push(at.to_owned()),
    }
}

#[test]
fn the_served_document_is_the_committed_snapshot() {
    let app = TestApp::spawn();
    let response = app.get("/api/schema/", None);
    assert_eq!(response.status, 200);
    let expected = snapshot();
    let mut found = Vec::new();
    differences(&response.body, &expected, "", &mut found, 20);
    assert!(
        found.is_empty(),
        "the served document differs from tests/it/openapi.json at {found:?}; if the change is meant, \
         run `cargo run -p netsmith -- openapi > tests/it/openapi.json` and review the diff"
    );
    assert_eq!(response.body["openapi"], "3.1.0");
    assert!(response.body["components"]["securitySchemes"]["token"].is_object());
}

#[test]
fn the_openapi_command_prints_the_served_document() {
    let app = TestApp::spawn();
    let served = app.get("/api/schema/", None).body;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_netsmith"))
        .arg("openapi")
        .env("NETSMITH_DATA_DIR", app.dir.path())
        .output()
        .expect("run netsmith openapi");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(printed, served);
}
