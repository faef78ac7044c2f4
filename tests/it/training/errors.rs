use serde_json::json;

use super::{ENV, cnn};
use crate::support::TestApp;

#[test]
fn runs_are_private_and_bad_requests_are_400s() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    app.configured_digits(&key, "mnist", cnn(100));
    let run = app.start_run(&key, "mnist");

    for path in [
        format!("/generation/run/details/?run_id={run}"),
        format!("/generation/run/runtime/?run_id={run}"),
        format!("/generation/restore/{run}/"),
        "/generation/run/details/?run_id=999".to_owned(),
    ] {
        app.get(&path, Some(&other))
            .assert(404, json!({"detail": "Not found."}));
    }
    for action in ["pause", "resume", "stop"] {
        app.post_auth(
            &format!("/generation/run/{action}/"),
            &other,
            json!({"run_id": run}),
        )
        .assert(404, json!({"detail": "Not found."}));
        app.post_auth(&format!("/generation/run/{action}/"), &key, json!({}))
            .assert(400, json!({"run_id": ["This field is required."]}));
    }
    app.get("/generation/run/details/", Some(&key))
        .assert(400, json!({"run_id": ["This field is required."]}));
    app.get("/generation/run/details/?run_id=x", Some(&key))
        .assert(400, json!({"run_id": ["A valid integer is required."]}));
    app.get("/runtime/train/mnist/", Some(&other))
        .assert(404, json!({"detail": "Not found."}));

    app.post_auth("/generation/run/basic/", &key, json!({}))
        .assert(400, json!({"modelName": ["This field is required."]}));
    app.post_auth("/generation/run/basic/", &key, json!({"modelName": "nope"}))
        .assert(404, json!({"detail": "Not found."}));
    app.post_auth("/data/create/", &key, json!({"modelName": "bare"}));
    app.post_auth("/generation/run/basic/", &key, json!({"modelName": "bare"})).assert(
        400,
        json!({"modelName": ["This model has no configuration yet: save one with POST /construct/config/."]}),
    );
    app.wait_finished(&key, run);
    // Predictions need a trained model.
    app.post_auth("/models/999/predict/", &key, json!({"features": [1]}))
        .assert(404, json!({"detail": "Not found."}));
    let bare = app.post_auth("/construct/detail/bare/", &key, json!({"features": [1]}));
    bare.assert(
        400,
        json!({"non_field_errors": ["This model has not been trained yet: start a run first."]}),
    );
}

#[test]
fn a_network_too_large_to_train_here_is_refused_before_it_runs() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let huge = crate::models::with(
        cnn(10),
        json!({"batch_size": 4096, "net_config": {"middle_layer": [{"layer": "conv", "filter": [3, 3, 4096]}], "output_layer": {}}}),
    );
    let model = app.configured_digits(&key, "huge", huge);
    app.post_auth("/generation/run/basic/", &key, json!({"modelName": "huge"})).assert(
        400,
        json!({"net_config": ["This network needs about 12.0 GiB of memory per training step; the limit is 4 GiB. Use fewer channels or units, or a smaller batch_size."]}),
    );
    let detail = app.get(&format!("/models/{model}/"), Some(&key));
    assert_eq!(detail.body["runs"], json!([]));
}

#[test]
fn the_local_executor_is_one_node_whose_pods_are_the_users_unfinished_runs() {
    let app = TestApp::spawn_with(&ENV);
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    app.configured_digits(&key, "mnist", cnn(100_000));
    let run = app.start_run(&key, "mnist");

    let response = app.get("/runtime/kubernetes/", Some(&key));
    assert_eq!(response.status, 200, "{}", response.text);
    let nodes = response.body.as_array().expect("a list of nodes");
    assert_eq!(nodes.len(), 1);
    let node = &nodes[0];
    for key in [
        "Addresses",
        "Conditions",
        "Non-terminated Pods",
        "Capacity",
        "Allocatable",
        "System Info",
    ] {
        assert!(!node[key].is_null(), "{key} in {node}");
    }
    assert_eq!(node["Addresses"]["InternalIP"], "127.0.0.1");
    assert_eq!(node["Capacity"]["pods"], "1");
    assert!(
        node["Capacity"]["memory"]
            .as_str()
            .expect("memory")
            .ends_with("Ki")
    );
    let ready = node["Conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .find(|c| c["Type"] == "Ready")
        .expect("a Ready condition");
    assert_eq!(ready["Status"], "True");
    assert_eq!(
        node["Non-terminated Pods"][0]["Name"],
        json!(format!("run-{run}"))
    );
    assert_eq!(node["Non-terminated Pods"][0]["Namespace"], "netsmith");

    let theirs = app.get("/runtime/kubernetes/", Some(&other));
    assert_eq!(
        theirs.body[0]["Non-terminated Pods"],
        json!([]),
        "other users' runs are not shown"
    );
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}))
        .assert(200, json!({"run_id": run, "status": "stopped"}));
    let after = app.get("/runtime/kubernetes/", Some(&key));
    assert_eq!(after.body[0]["Non-terminated Pods"], json!([]));
    app.get("/runtime/kubernetes/", None).assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}
