use std::io::Read;

use serde_json::{Value, json};

use super::{ENV, cnn, dnn, steps};
use crate::models::with;
use crate::support::TestApp;

#[test]
fn the_default_cnn_learns_the_digits_and_reports_like_the_original() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let model = app.configured_digits(&key, "mnist", cnn(300));
    let run = app.start_run(&key, "mnist");
    let details = app.wait_finished(&key, run);

    assert_eq!(steps(&details), vec![0, 100, 200, 300]);
    let accuracy = details["final_accuracy"].as_f64().expect("final accuracy");
    assert!(accuracy > 0.9, "test accuracy {accuracy}");
    assert_eq!(details["points"][3]["accuracy"].as_f64(), Some(accuracy));
    assert_eq!(
        details["classes"],
        json!(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    );
    let matrix = details["confusion_matrix"].as_array().expect("matrix");
    assert_eq!(matrix.len(), 10);
    let total: u64 = matrix
        .iter()
        .flat_map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|v| v.as_u64().expect("count"))
        })
        .sum();
    assert_eq!(total, 1797 - 1438, "the test split is what the 0.8 ratio leaves");
    let diagonal: u64 = (0..10).map(|i| matrix[i][i].as_u64().expect("count")).sum();
    assert!((diagonal as f64 / total as f64 - accuracy).abs() < 1e-9);
    assert!(details["training_seconds"].as_f64().expect("seconds") > 0.0);
    assert_eq!(details["step"], json!(300));
    assert!(details["finished_at"].is_string());

    // The original's results shape: strings with six decimals.
    let train = app.get("/runtime/train/mnist/", Some(&key));
    assert_eq!(train.status, 200, "{}", train.text);
    let every = train.body["every_result"].as_array().expect("every_result");
    assert_eq!(every.len(), 4);
    for (point, step) in every.iter().zip(["0", "100", "200", "300"]) {
        assert_eq!(point["step"], json!(step));
        for field in ["accuracy", "duration"] {
            let text = point[field].as_str().expect("a string");
            let (_, decimals) = text.split_once('.').expect("decimals");
            assert_eq!(decimals.len(), 6, "{text}");
        }
    }
    assert_eq!(every[0]["duration"], json!("0.000000"));
    assert_eq!(train.body["final_accuracy"].as_f64(), Some(accuracy));

    // The model shows its run and its best accuracy.
    let detail = app.get(&format!("/models/{model}/"), Some(&key));
    assert_eq!(detail.body["runs"][0]["run_id"], json!(run));
    let list = app.get("/models/list/", Some(&key));
    assert_eq!(list.body[0]["status"], "completed");
    assert_eq!(list.body[0]["best_accuracy"].as_f64(), Some(accuracy));
}

#[test]
fn a_dnn_learns_the_csv_digits() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    app.csv_model(&key, "tabular", "digits.csv");
    let saved = app.post_auth(
        "/construct/config/",
        &key,
        with(dnn(300), json!({"modelName": "tabular"})),
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    let run = app.start_run(&key, "tabular");
    let details = app.wait_finished(&key, run);
    let accuracy = details["final_accuracy"].as_f64().expect("accuracy");
    assert!(accuracy > 0.9, "test accuracy {accuracy}");
}

/// Reads an event stream to its end: (event, data) pairs.
pub fn read_events(app: &TestApp, key: &str, path: &str) -> Vec<(String, Value)> {
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(600))
        .build()
        .expect("client");
    let mut response = client
        .get(app.url(path))
        .header("Authorization", format!("Token {key}"))
        .header("Accept", "text/event-stream")
        .send()
        .expect("stream");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
    let mut text = String::new();
    response.read_to_string(&mut text).expect("the stream ends");
    text.split("\n\n")
        .filter(|block| block.starts_with("event: "))
        .map(|block| {
            let mut lines = block.lines();
            let event = lines
                .next()
                .unwrap_or_default()
                .trim_start_matches("event: ")
                .to_owned();
            let data = lines.next().unwrap_or_default().trim_start_matches("data: ");
            (event, serde_json::from_str(data).expect("json data"))
        })
        .collect()
}

#[test]
fn metrics_stream_live_and_polling_returns_what_came_after_since() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(500));
    let run = app.start_run(&key, "mnist");
    let events = read_events(&app, &key, &format!("/generation/run/runtime/?run_id={run}"));
    let points: Vec<u64> = events
        .iter()
        .filter(|(e, _)| e == "point")
        .map(|(_, d)| d["step"].as_u64().expect("step"))
        .collect();
    assert_eq!(points, vec![0, 100, 200, 300, 400, 500]);
    let (event, end) = events.last().expect("an end event");
    assert_eq!(event, "end");
    assert_eq!(end["status"], "completed");
    assert_eq!(end["run_id"], json!(run));

    let after = app.get(
        &format!("/generation/run/runtime/?run_id={run}&since=300"),
        Some(&key),
    );
    assert_eq!(after.status, 200);
    let polled: Vec<u64> = after.body["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["step"].as_u64().expect("step"))
        .collect();
    assert_eq!(polled, vec![400, 500]);
    assert_eq!(after.body["status"], "completed");
}
