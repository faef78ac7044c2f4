use std::process::Command;

use serde_json::{Value, json};

use super::{SEED_PARAMS_ON_DIGITS, dnn_config, seed_config, with};
use crate::support::{TestApp, test_python};

fn fixture_path(name: &str) -> String {
    format!("{}/../../fixtures/datasets/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Writes the script and compiles it with Python; returns its path.
fn compiled(dir: &std::path::Path, name: &str, code: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, code).expect("write script");
    let output = Command::new("python3")
        .args(["-m", "py_compile"])
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    path
}

fn generate(app: &TestApp, key: &str, body: Value) -> (i64, String) {
    let response = app.post_auth("/generation/generate/", key, body);
    assert_eq!(response.status, 200, "{}", response.text);
    (
        response.body["data_id"].as_i64().expect("data_id"),
        response.body["code"].as_str().expect("code").to_owned(),
    )
}

#[test]
fn generated_code_is_stored_as_a_code_upload_and_compiles() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.digits_model(&key, "mnist");
    app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "mnist"})),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for framework in ["pytorch", "keras"] {
        let (data_id, code) = generate(&app, &key, json!({"modelName": "mnist", "framework": framework}));
        compiled(dir.path(), &format!("{framework}.py"), &code);
        let (status, _, stored) = app.get_with(&format!("/data/{data_id}/"), &key, &[]);
        assert_eq!(status, 200);
        assert_eq!(String::from_utf8(stored).expect("utf-8"), code);
        let list = app.get("/data/list/", Some(&key));
        let row = list
            .body
            .as_array()
            .expect("list")
            .iter()
            .find(|r| r["id"] == json!(data_id))
            .expect("listed")
            .clone();
        assert_eq!(row["file_type"], "code");
        let name = row["file_name"].as_str().expect("name");
        assert!(
            name.starts_with(&format!("mnist_{framework}_")) && name.ends_with(".py"),
            "{name}"
        );
    }
    // A DNN on CSV data, and an inline configuration without a model.
    app.csv_model(&key, "tabular", "digits.csv");
    app.post_auth(
        "/construct/config/",
        &key,
        with(dnn_config(), json!({"modelName": "tabular"})),
    );
    let (_, code) = generate(&app, &key, json!({"modelName": "tabular", "framework": "keras"}));
    compiled(dir.path(), "dnn.py", &code);
    let inline = with(
        dnn_config(),
        json!({"framework": "pytorch", "input_shape": [4], "classes": 3}),
    );
    let (_, code) = generate(&app, &key, inline);
    compiled(dir.path(), "inline.py", &code);
}

#[test]
fn generation_errors_are_400s() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/generation/generate/", &key, json!({})).assert(
        400,
        json!({"modelName": ["This field is required."], "framework": ["This field is required."]}),
    );
    app.post_auth(
        "/generation/generate/",
        &key,
        json!({"modelName": "m", "framework": "caffe"}),
    )
    .assert(
        400,
        json!({"framework": ["\"caffe\" is not a valid choice: pytorch or keras."]}),
    );
    app.post_auth(
        "/generation/generate/",
        &key,
        json!({"modelName": "m", "framework": "pytorch"}),
    )
    .assert(404, json!({"detail": "Not found."}));
    app.post_auth("/data/create/", &key, json!({"modelName": "m"}));
    app.post_auth("/generation/generate/", &key, json!({"modelName": "m", "framework": "pytorch"})).assert(
        400,
        json!({"modelName": ["This model has no configuration yet: save one with POST /construct/config/ or send it inline."]}),
    );
    app.post_auth(
        "/generation/generate/",
        &key,
        with(seed_config(), json!({"framework": "pytorch"})),
    )
    .assert(
        400,
        json!({"input_shape": ["This field is required."], "classes": ["This field is required."]}),
    );
    let two_channels = with(
        seed_config(),
        json!({"framework": "pytorch", "input_shape": [8, 8, 2], "classes": ["a", "b"]}),
    );
    app.post_auth("/generation/generate/", &key, two_channels).assert(
        400,
        json!({"non_field_errors": ["Pictures have 1 or 3 channels, the input has 2."]}),
    );
    let twice = with(
        seed_config(),
        json!({"framework": "pytorch", "input_shape": [8, 8, 1], "classes": ["a", "a"]}),
    );
    app.post_auth("/generation/generate/", &key, twice)
        .assert(400, json!({"non_field_errors": ["Class \"a\" is listed twice."]}));
    let too_small = with(
        seed_config(),
        json!({"framework": "keras", "input_shape": [1, 1, 1], "classes": 2}),
    );
    app.post_auth("/generation/generate/", &key, too_small).assert(
        400,
        json!({"net_config.middle_layer[2]": ["Layer 2 (pool): a 2x2 window does not fit a 1x1x20 input."]}),
    );
}

#[test]
fn the_generated_pytorch_network_has_the_parameter_count_the_model_shows() {
    let python = test_python();
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (id, _) = app.digits_model(&key, "mnist");
    app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "mnist"})),
    );
    let shown = app.get(&format!("/models/{id}/"), Some(&key)).body["parameter_count"].clone();
    assert_eq!(shown, json!(SEED_PARAMS_ON_DIGITS));
    let (_, code) = generate(&app, &key, json!({"modelName": "mnist", "framework": "pytorch"}));
    let dir = tempfile::tempdir().expect("tempdir");
    let script = compiled(dir.path(), "train.py", &code);
    let output = Command::new(&python)
        .arg(&script)
        .arg(fixture_path("digits.zip"))
        .args(["--steps", "100", "--out"])
        .arg(dir.path().join("model.pt"))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some(format!("params={SEED_PARAMS_ON_DIGITS}").as_str())
    );
    let metric = lines.next().expect("a metric line");
    assert!(metric.starts_with("step=100 accuracy="), "{metric}");
    assert!(dir.path().join("model.pt").is_file());
}
