//! The served OpenAPI document says what the server does: schemathesis
//! (python/schemathesis.txt, `make stenv`) generates requests from `/api/schema/`,
//! valid and invalid, and checks each answer of a running server against the
//! document with every check it has (server errors, status codes, content types,
//! response schemas and headers, schema-valid requests accepted, schema-invalid ones
//! refused, method handling, authentication), signed in as a real user who has an
//! upload and a model.

use std::process::Command;

use serde_json::json;

use crate::support::TestApp;

/// schemathesis' settings: the operations whose schema-valid requests may still be
/// refused (by stored state or rules no schema states), each with its reason.
fn config_file() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/it/schemathesis.toml")
}

fn schemathesis() -> String {
    std::env::var("NETSMITH_TEST_SCHEMATHESIS").expect(
        "NETSMITH_TEST_SCHEMATHESIS names the Python that has schemathesis (`make stenv`; `make test` sets it)",
    )
}

#[test]
fn every_generated_request_is_answered_as_the_document_says() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let digits = crate::models::fixture("digits.zip");
    let data_id = app.uploaded(&key, "zip", "picture", "digits.zip", digits);
    let created = app.post_auth(
        "/data/create/",
        &key,
        json!({"modelName": "digits", "dataId": data_id}),
    );
    assert_eq!(created.status, 201, "{}", created.text);
    let output = Command::new(schemathesis())
        .current_dir(app.dir.path())
        .args(["-m", "schemathesis.cli", "--config-file"])
        .arg(config_file())
        .args(["run", &app.url("/api/schema/")])
        .args(["--checks", "all"])
        // Logging out or changing the password would end the session the run uses.
        .args(["--exclude-path-regex", "logout|password/change"])
        .args(["--header", &format!("Authorization: Token {key}")])
        .args([
            "--max-examples",
            "15",
            "--seed",
            "20261207",
            "--generation-deterministic",
        ])
        .args(["--no-color", "--workers", "1"])
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis found answers the document does not allow:\n{stdout}\n{stderr}"
    );
}
