use serde_json::json;

use super::{seed_config, with};
use crate::support::TestApp;

#[test]
fn configurations_side_by_side_with_differences_marked() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (a, _) = app.digits_model(&key, "a");
    let (b, _) = app.digits_model(&key, "b");
    app.post_auth(
        "/construct/config/",
        &key,
        with(seed_config(), json!({"modelName": "a"})),
    );
    let faster = with(
        seed_config(),
        json!({"modelName": "b", "learning_rate": 0.1, "optimizer_name": "adam"}),
    );
    app.post_auth("/construct/config/", &key, faster);

    let response = app.get(&format!("/models/compare/?ids={a},{b}"), Some(&key));
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(
        response.body["differences"],
        json!(["learning_rate", "optimizer_name"])
    );
    let names: Vec<&str> = response.body["models"]
        .as_array()
        .expect("models")
        .iter()
        .map(|m| m["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, vec!["a", "b"]);
    let rate = response.body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == "learning_rate")
        .expect("row");
    assert_eq!(
        rate,
        &json!({"field": "learning_rate", "values": [0.01, 0.1], "differs": true})
    );
    let filter = response.body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == "net_config.middle_layer[0].filter")
        .expect("row");
    assert_eq!(filter["differs"], json!(false));
}

#[test]
fn comparing_needs_the_users_own_models_and_a_list_of_ids() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    let mine = app
        .post_auth("/data/create/", &key, json!({"modelName": "a"}))
        .body["id"]
        .clone();
    let theirs = app
        .post_auth("/data/create/", &other, json!({"modelName": "b"}))
        .body["id"]
        .clone();
    app.get(&format!("/models/compare/?ids={mine},{theirs}"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get("/models/compare/", Some(&key))
        .assert(400, json!({"ids": ["This field is required."]}));
    app.get("/models/compare/?ids=1,x", Some(&key)).assert(
        400,
        json!({"ids": ["Enter model ids separated by commas, e.g. ids=1,2."]}),
    );
}
