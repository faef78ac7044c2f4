use std::io::Read;

use reqwest::Method;
use reqwest::blocking::multipart::{Form, Part};
use serde_json::{Value, json};

use super::{ENV, cnn, dnn};
use crate::models::{fixture, with};
use crate::support::{Response, TestApp};

/// The picture `digits/<label>/<index>.png` from the fixture archive.
pub fn digit_picture(label: u32, index: usize) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(fixture("digits.zip"))).expect("zip");
    let mut file = archive
        .by_name(&format!("digits/{label}/{index}.png"))
        .expect("picture in the archive");
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).expect("read");
    bytes
}

/// The first picture of each label: the indices of the fixture's first ten rows are 0..9.
pub fn send_picture(app: &TestApp, key: &str, path: &str, bytes: Vec<u8>) -> Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name("digit.png"));
    app.send(
        app.request(Method::POST, path)
            .header("Authorization", format!("Token {key}"))
            .multipart(form),
    )
}

#[test]
fn a_trained_cnn_classifies_pictures() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(300));
    let run = app.start_run(&key, "mnist");
    app.wait_finished(&key, run);

    let mut right = 0;
    for label in 0..10u32 {
        let response = send_picture(
            &app,
            &key,
            &format!("/models/{model}/predict/"),
            digit_picture(label, label as usize),
        );
        assert_eq!(response.status, 200, "{}", response.text);
        assert_eq!(response.body["run_id"], json!(run));
        let probabilities = response.body["probabilities"].as_object().expect("probabilities");
        assert_eq!(probabilities.len(), 10);
        let sum: f64 = probabilities.values().map(|v| v.as_f64().expect("p")).sum();
        assert!((sum - 1.0).abs() < 1e-4, "{sum}");
        if response.body["label"] == json!(label.to_string()) {
            right += 1;
        }
        let used = send_picture(
            &app,
            &key,
            "/construct/detail/mnist/",
            digit_picture(label, label as usize),
        );
        assert_eq!(used.body["result"], "success", "{}", used.text);
        assert_eq!(
            used.body["message"],
            response.body["label"]
                .as_str()
                .map(|l| json!(l.parse::<i64>().expect("digit")))
                .unwrap_or(Value::Null)
        );
    }
    assert!(right >= 8, "{right} of 10 digits recognised");

    let broken = send_picture(
        &app,
        &key,
        &format!("/models/{model}/predict/"),
        b"not a picture".to_vec(),
    );
    assert_eq!(broken.status, 400, "{}", broken.text);
    assert!(broken.body["file"].is_array());
}

#[test]
fn a_trained_dnn_classifies_csv_rows_and_feature_lists() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let (model, _) = app.csv_model(&key, "tabular", "digits.csv");
    app.post_auth(
        "/construct/config/",
        &key,
        with(dnn(300), json!({"modelName": "tabular"})),
    );
    let run = app.start_run(&key, "tabular");
    app.wait_finished(&key, run);

    let csv = String::from_utf8(fixture("digits.csv")).expect("utf-8");
    let rows: Vec<&str> = csv.lines().take(11).collect();
    let form = Form::new().part(
        "file",
        Part::bytes(rows.join("\n").into_bytes()).file_name("rows.csv"),
    );
    let response = app.send(
        app.request(Method::POST, &format!("/models/{model}/predict/"))
            .header("Authorization", format!("Token {key}"))
            .multipart(form),
    );
    assert_eq!(response.status, 200, "{}", response.text);
    let predictions = response.body["predictions"].as_array().expect("predictions");
    assert_eq!(predictions.len(), 10);
    let right = predictions
        .iter()
        .zip(rows.iter().skip(1))
        .filter(|(p, row)| p["label"].as_str() == row.split(',').next())
        .count();
    assert!(right >= 8, "{right} of 10 rows");

    let first: Vec<f64> = rows[1]
        .split(',')
        .skip(1)
        .map(|v| v.parse().expect("number"))
        .collect();
    let by_features = app.post_auth(
        &format!("/models/{model}/predict/"),
        &key,
        json!({"features": first}),
    );
    assert_eq!(by_features.status, 200, "{}", by_features.text);
    assert_eq!(by_features.body["label"], predictions[0]["label"]);
    let short = app.post_auth(
        &format!("/models/{model}/predict/"),
        &key,
        json!({"features": [1, 2]}),
    );
    assert_eq!(short.status, 400, "{}", short.text);
    let message = short.body["features"][0].as_str().expect("a message");
    assert!(message.contains("64") && message.contains('2'), "{message}");
}
