use serde_json::{Value, json};

use super::{seed_config, with};
use crate::support::TestApp;

fn kinds(options: &Value) -> Vec<&str> {
    options
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["kind"].as_str().expect("kind"))
        .collect()
}

fn param<'a>(options: &'a Value, kind: &str, name: &str) -> &'a Value {
    let option = options
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["kind"] == kind)
        .expect("kind offered");
    option["params"]
        .as_array()
        .expect("params")
        .iter()
        .find(|p| p["name"] == name)
        .expect("param")
}

#[test]
fn the_option_list_shows_every_layer_with_its_defaults() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let response = app.get("/generation/options/list/", Some(&key));
    assert_eq!(response.status, 200);
    let names: Vec<&str> = response.body["net_types"]
        .as_array()
        .expect("net types")
        .iter()
        .map(|t| t["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, vec!["CNN", "DNN", "logistic"]);
    assert_eq!(
        kinds(&response.body["layers"]),
        vec!["conv", "pool", "norm", "active", "connect", "dropout"]
    );
    assert_eq!(
        param(&response.body["layers"], "connect", "units")["default"],
        json!(128)
    );
    assert_eq!(
        param(&response.body["layers"], "dropout", "rate")["default"],
        json!(0.5)
    );
    assert_eq!(
        param(&response.body["layers"], "pool", "kind")["default"],
        json!("max")
    );
    let batch = response.body["training"]
        .as_array()
        .expect("training")
        .iter()
        .find(|p| p["name"] == "batch_size")
        .expect("batch_size");
    assert_eq!(batch["default"], json!(32));
}

#[test]
fn next_options_follow_the_shape_step_by_step() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let next = |query: &str| {
        let response = app.get(&format!("/generation/options/next/?{query}"), Some(&key));
        assert_eq!(response.status, 200, "{query}: {}", response.text);
        response.body
    };
    let empty = next("");
    assert_eq!(empty["input_shape"], json!([28, 28, 1]));
    assert_eq!(empty["current_shape"], json!([28, 28, 1]));
    assert_eq!(
        kinds(&empty["options"]),
        vec!["conv", "pool", "norm", "active", "connect", "dropout"]
    );
    assert_eq!(param(&empty["options"], "pool", "size")["max"], json!(28));

    let layers = r#"[{"layer":"conv","filter":[5,5,6],"padding":"valid"},{"layer":"pool"}]"#;
    let after_pool = next(&format!("layers={}", urlencode(layers)));
    assert_eq!(after_pool["current_shape"], json!([12, 12, 6]));
    assert_eq!(param(&after_pool["options"], "pool", "size")["max"], json!(12));
    assert_eq!(after_pool["layers"][0]["params"], json!(5 * 5 * 6 + 6));

    let after_connect = next(&format!(
        "layers={}",
        urlencode(r#"[{"layer":"connect","units":10}]"#)
    ));
    assert_eq!(after_connect["current_shape"], json!([10]));
    assert_eq!(
        kinds(&after_connect["options"]),
        vec!["norm", "active", "connect", "dropout"]
    );

    let dnn = next("net_type=DNN&input_shape=64");
    assert_eq!(dnn["current_shape"], json!([64]));
    assert_eq!(
        kinds(&dnn["options"]),
        vec!["norm", "active", "connect", "dropout"]
    );
    let logistic = next("net_type=logistic&input_shape=4");
    assert_eq!(logistic["options"], json!([]));
}

#[test]
fn next_options_of_a_model_start_from_its_data_and_layers() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.digits_model(&key, "mnist");
    let response = app.get("/generation/options/next/?model=mnist", Some(&key));
    assert_eq!(
        response.body["input_shape"],
        json!([8, 8, 1]),
        "{}",
        response.text
    );
    assert_eq!(param(&response.body["options"], "pool", "size")["max"], json!(8));
    app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "mnist"})),
    );
    let saved = app.get("/generation/options/next/?model=mnist", Some(&key));
    assert_eq!(saved.body["current_shape"], json!([128]));
    assert_eq!(saved.body["layers"].as_array().map(Vec::len), Some(7));
    app.get("/generation/options/next/?model=nope", Some(&key))
        .assert(404, json!({"detail": "Not found."}));
}

#[test]
fn bad_partial_networks_are_400s_naming_the_layer() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let get = |query: String| app.get(&format!("/generation/options/next/?{query}"), Some(&key));
    get(format!(
        "layers={}",
        urlencode(r#"[{"layer":"connect"},{"layer":"pool"}]"#)
    ))
    .assert(
        400,
        json!({"layers[1]": ["Layer 1 (pool) cannot follow a connect layer: its input is a vector of 128."]}),
    );
    get(format!("layers={}", urlencode(r#"[{"layer":"pool","size":40}]"#))).assert(
        400,
        json!({"layers[0]": ["Layer 0 (pool): a 40x40 window does not fit a 28x28x1 input."]}),
    );
    get(format!("layers={}", urlencode(r#"[{"layer":"rnn"}]"#)))
        .assert(400, json!({"layers[0].layer": ["Unknown layer kind \"rnn\"; accepted: conv, pool, norm, active, connect, dropout."]}));
    let broken = get("layers=%5B".to_owned());
    assert_eq!(broken.status, 400);
    assert!(
        broken.body["layers"][0]
            .as_str()
            .expect("message")
            .starts_with("JSON parse error - ")
    );
    get("net_type=RNN".to_owned()).assert(
        400,
        json!({"net_type": ["\"RNN\" is not a valid choice: CNN, DNN or logistic."]}),
    );
    get("input_shape=28x28".to_owned()).assert(
        400,
        json!({"input_shape": ["Enter the input shape as [height, width, channels] or [features], e.g. [28, 28, 1] or 28x28x1."]}),
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
