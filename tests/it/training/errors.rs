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
