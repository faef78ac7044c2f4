use serde_json::{Value, json};

use super::{SEED_PARAMS_ON_DIGITS, dnn_config, seed_config, with};
use crate::support::TestApp;

fn layer_shapes(detail: &Value) -> Vec<(String, Value, u64)> {
    detail["summary"]["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| {
            (
                l["layer"].as_str().expect("kind").to_owned(),
                l["output_shape"].clone(),
                l["params"].as_u64().expect("params"),
            )
        })
        .collect()
}

#[test]
fn the_seed_configuration_is_saved_as_sent_with_its_shape_summary() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (id, _) = app.digits_model(&key, "mnist");
    let saved = app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "mnist"})),
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["parameter_count"], json!(SEED_PARAMS_ON_DIGITS));
    app.get("/construct/detail/mnist/", Some(&key))
        .assert(200, seed_config());

    let detail = app.get(&format!("/models/{id}/"), Some(&key));
    assert_eq!(detail.body["config"], seed_config());
    assert_eq!(detail.body["summary"]["input_shape"], json!([8, 8, 1]));
    assert_eq!(
        detail.body["summary"]["total_params"],
        json!(SEED_PARAMS_ON_DIGITS)
    );
    assert_eq!(
        layer_shapes(&detail.body),
        vec![
            ("conv".into(), json!([8, 8, 10]), 50),
            ("conv".into(), json!([8, 8, 20]), 820),
            ("pool".into(), json!([4, 4, 20]), 0),
            ("norm".into(), json!([4, 4, 20]), 40),
            ("active".into(), json!([4, 4, 20]), 0),
            ("connect".into(), json!([128]), 41_088),
            ("connect".into(), json!([128]), 16_512),
            ("output".into(), json!([10]), 1_290),
        ]
    );
    assert!(detail.body["summary"]["total_flops"].as_u64().expect("flops") > 0);
    let list = app.get("/models/list/", Some(&key));
    assert_eq!(list.body[0]["status"], "configured");
    assert_eq!(list.body[0]["parameter_count"], json!(SEED_PARAMS_ON_DIGITS));

    // Saving again replaces the configuration.
    let smaller = json!({"iter": 10, "learning_rate": 0.1, "ratio": 0.5, "loss_name": "mse",
        "optimizer_name": "sgd", "net_type": "logistic", "net_config": {"middle_layer": [], "output_layer": {}}});
    let saved = app.post_auth(
        "/construct/config/",
        &key,
        with(smaller.clone(), json!({"modelName": "mnist"})),
    );
    assert_eq!(
        saved.body["parameter_count"],
        json!(64 * 10 + 10),
        "{}",
        saved.text
    );
    app.get("/construct/detail/mnist/", Some(&key))
        .assert(200, smaller);
}

#[test]
fn a_network_that_does_not_fit_is_refused_naming_the_layer_and_nothing_is_saved() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.digits_model(&key, "mnist");
    let layers = |middle: Value| {
        with(
            seed_config(),
            json!({"modelName": "mnist", "net_config": {"middle_layer": middle, "output_layer": {}}}),
        )
    };
    let cases = [
        (
            json!([{"layer": "connect"}, {"layer": "conv", "filter": [2, 2, 4]}]),
            json!({"net_config.middle_layer[1]": ["Layer 1 (conv) cannot follow a connect layer: its input is a vector of 128."]}),
        ),
        (
            json!([{"layer": "pool", "size": 16}]),
            json!({"net_config.middle_layer[0]": ["Layer 0 (pool): a 16x16 window does not fit a 8x8x1 input."]}),
        ),
        (
            json!([{"layer": "conv", "filter": [3, 3, 4], "padding": "valid"}, {"layer": "conv", "filter": [7, 7, 4], "padding": "valid"}]),
            json!({"net_config.middle_layer[1]": ["Layer 1 (conv): a 7x7 window does not fit a 6x6x4 input."]}),
        ),
        (
            json!([{"layer": "conv", "filter": [3, 3, 4], "stride": 2}]),
            json!({"net_config.middle_layer[0]": ["Layer 0 (conv): padding \"same\" needs stride 1 (PyTorch has no 'same' padding for strided convolutions), got stride 2; use \"valid\"."]}),
        ),
    ];
    for (middle, expected) in cases {
        app.post_auth("/construct/config/", &key, layers(middle))
            .assert(400, expected);
    }
    app.get("/construct/detail/mnist/", Some(&key))
        .assert(404, json!({"detail": "Not found."}));

    // The network kind must take the data's input.
    app.post_auth("/construct/config/", &key, with(dnn_config(), json!({"modelName": "mnist"})))
        .assert(400, json!({"net_type": ["DNN networks take CSV data; this model's data is pictures of 8x8x1. Use CNN or logistic."]}));
    app.csv_model(&key, "iris", "iris.csv");
    app.post_auth("/construct/config/", &key, with(seed_config(), json!({"modelName": "iris"})))
        .assert(400, json!({"net_type": ["CNN networks take image data; this model's data is a CSV file with 4 features. Use DNN or logistic."]}));
}

#[test]
fn configuration_errors_name_every_field() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.digits_model(&key, "mnist");
    let response = app.post_auth(
        "/construct/config/",
        &key,
        json!({"modelName": "mnist", "learning_rate": 0.01, "ratio": 1.5, "loss_name": "entropy",
               "optimizer_name": "AdamWOptimizer", "net_type": "CNN",
               "net_config": {"middle_layer": [{"layer": "conv"}, {"layer": "lstm"}]}}),
    );
    assert_eq!(response.status, 400, "{}", response.text);
    let fields: Vec<&str> = response
        .body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for field in [
        "iter",
        "ratio",
        "optimizer_name",
        "net_config.middle_layer[0].filter",
        "net_config.middle_layer[1].layer",
    ] {
        assert!(fields.contains(&field), "{field} missing in {}", response.text);
    }
    assert_eq!(response.body["iter"], json!(["This field is required."]));
    assert_eq!(
        response.body["ratio"],
        json!(["Must be strictly between 0 and 1, got 1.5."])
    );

    app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "nope"})),
    )
    .assert(404, json!({"detail": "Not found."}));
    app.post_auth("/construct/config/", &key, seed_config())
        .assert(400, json!({"modelName": ["This field is required."]}));
}

#[test]
fn a_network_no_input_can_fit_is_refused_before_the_model_has_data() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/data/create/", &key, json!({"modelName": "later"}));
    let conv_after_connect = with(
        seed_config(),
        json!({"modelName": "later", "net_config": {"middle_layer": [
            {"layer": "conv", "filter": [2, 2, 4]}, {"layer": "connect", "units": 16},
            {"layer": "conv", "filter": [2, 2, 4]}], "output_layer": {}}}),
    );
    app.post_auth("/construct/config/", &key, conv_after_connect)
        .assert(
            400,
            json!({"net_config.middle_layer[2]": [
            "Layer 2 (conv) cannot follow a connect layer: its input is a vector of 16."]}),
        );
    assert_eq!(
        app.get("/construct/detail/later/", Some(&key)).status,
        404,
        "nothing was saved"
    );

    // A declared input shape is checked for real: this pool fits 28x28 but not 8x8.
    let pool = |shape: Value| {
        with(
            seed_config(),
            json!({"modelName": "later", "input_shape": shape,
                   "net_config": {"middle_layer": [{"layer": "pool", "size": 16}], "output_layer": {}}}),
        )
    };
    app.post_auth("/construct/config/", &key, pool(json!("8x8x1"))).assert(
        400,
        json!({"net_config.middle_layer[0]": ["Layer 0 (pool): a 16x16 window does not fit a 8x8x1 input."]}),
    );
    app.post_auth("/construct/config/", &key, pool(json!("eight")))
        .assert(400, json!({"input_shape": [
            "Enter the input shape as [height, width, channels] or [features], e.g. [28, 28, 1] or 28x28x1."]}));
    let saved = app.post_auth("/construct/config/", &key, pool(json!([28, 28, 1])));
    assert_eq!(saved.status, 200, "{}", saved.text);
}

#[test]
fn a_configuration_saved_before_data_is_checked_when_data_comes() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let created = app.post_auth("/data/create/", &key, json!({"modelName": "later"}));
    let id = created.body["id"].as_i64().expect("id");
    let big_pool = with(
        seed_config(),
        json!({"modelName": "later", "net_config": {"middle_layer": [{"layer": "pool", "size": 16}], "output_layer": {}}}),
    );
    let saved = app.post_auth("/construct/config/", &key, big_pool);
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["summary"], json!(null));

    // Attaching 8x8 pictures through the configuration endpoint checks it against them.
    let data_id = app.uploaded(&key, "zip", "picture", "digits.zip", super::fixture("digits.zip"));
    let attach = with(
        seed_config(),
        json!({"modelName": "later", "dataId": data_id, "net_config": {"middle_layer": [{"layer": "pool", "size": 16}], "output_layer": {}}}),
    );
    app.post_auth("/construct/config/", &key, attach).assert(
        400,
        json!({"net_config.middle_layer[0]": ["Layer 0 (pool): a 16x16 window does not fit a 8x8x1 input."]}),
    );
    let detail = app.get(&format!("/models/{id}/"), Some(&key));
    assert_eq!(detail.body["data_id"], json!(null), "nothing changed");

    let saved = app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "later", "dataId": data_id})),
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["data_id"], json!(data_id));
    assert_eq!(saved.body["parameter_count"], json!(SEED_PARAMS_ON_DIGITS));
}
