use serde_json::json;

use super::fixture;
use crate::support::TestApp;

#[test]
fn a_model_is_created_once_per_name_and_listed_newest_first() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let first = app.post_auth("/data/create/", &key, json!({"modelName": "mnist"}));
    assert_eq!(first.status, 201, "{}", first.text);
    let id = first.body["id"].as_i64().expect("id");
    first.assert(201, json!({"id": id, "name": "mnist"}));
    app.post_auth("/data/create/", &key, json!({"modelName": "mnist"}))
        .assert(
            400,
            json!({"modelName": ["A model with this name already exists."]}),
        );
    app.post_auth("/data/create/", &key, json!({"modelName": "mnist2"}))
        .assert(201, json!({"id": id + 1, "name": "mnist2"}));
    app.get("/construct/config/", Some(&key))
        .assert(200, json!(["mnist2", "mnist"]));

    let list = app.get("/models/list/", Some(&key));
    assert_eq!(list.status, 200);
    let rows = list.body.as_array().expect("a list");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["name"], "mnist");
    assert_eq!(rows[1]["status"], "new");
    assert_eq!(rows[1]["best_accuracy"], json!(null));
}

#[test]
fn bad_names_are_refused_and_nothing_is_created() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/data/create/", &key, json!({}))
        .assert(400, json!({"modelName": ["This field is required."]}));
    app.post_auth("/data/create/", &key, json!({"modelName": "  "}))
        .assert(400, json!({"modelName": ["This field may not be blank."]}));
    app.post_auth("/data/create/", &key, json!({"modelName": "a/b"}))
        .assert(
            400,
            json!({"modelName": ["A model name may not contain '/' or control characters."]}),
        );
    app.post_auth("/data/create/", &key, json!({"modelName": "x".repeat(101)}))
        .assert(
            400,
            json!({"modelName": ["Ensure this field has no more than 100 characters."]}),
        );
    app.post_auth(
        "/data/create/",
        &key,
        json!({"modelName": "m", "dataId": "seven"}),
    )
    .assert(400, json!({"dataId": ["A valid integer is required."]}));
    app.get("/construct/config/", Some(&key)).assert(200, json!([]));
}

#[test]
fn data_must_be_the_users_own_image_folder_or_csv() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    let theirs = app.uploaded(&other, "zip", "picture", "digits.zip", fixture("digits.zip"));
    app.post_auth("/data/create/", &key, json!({"modelName": "m", "dataId": theirs}))
        .assert(404, json!({"detail": "Not found."}));
    let text = app.uploaded(&key, "single", "doc", "notes.txt", b"hello".to_vec());
    app.post_auth("/data/create/", &key, json!({"modelName": "m", "dataId": text}))
        .assert(400, json!({"dataId": ["A model's data must be an image-folder zip or a CSV file; \"notes.txt\" is neither."]}));
    app.get("/construct/config/", Some(&key)).assert(200, json!([]));

    let (id, data_id) = app.digits_model(&key, "digits");
    let detail = app.get(&format!("/models/{id}/"), Some(&key));
    assert_eq!(detail.status, 200, "{}", detail.text);
    assert_eq!(detail.body["data_id"], json!(data_id));
    assert_eq!(
        detail.body["data"],
        json!({"kind": "images", "input_shape": [8, 8, 1], "samples": 1797, "label_column": null,
               "classes": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]})
    );
    assert_eq!(detail.body["summary"], json!(null));

    let (csv_id, _) = app.csv_model(&key, "iris", "iris.csv");
    let iris = app.get(&format!("/models/{csv_id}/"), Some(&key));
    assert_eq!(
        iris.body["data"],
        json!({"kind": "csv", "input_shape": [4], "samples": 150, "label_column": "species",
               "classes": ["setosa", "versicolor", "virginica"]})
    );
}

#[test]
fn models_are_private_and_deleting_one_removes_it() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let other = app.signed_in_user("other");
    let created = app.post_auth("/data/create/", &key, json!({"modelName": "mnist"}));
    let id = created.body["id"].as_i64().expect("id");
    // The same name is free for someone else, and they see none of mine.
    app.post_auth("/data/create/", &other, json!({"modelName": "mnist"}))
        .assert(201, json!({"id": id + 1, "name": "mnist"}));
    app.get(&format!("/models/{id}/"), Some(&other))
        .assert(404, json!({"detail": "Not found."}));
    let response = app.send_json(
        reqwest::Method::DELETE,
        &format!("/models/{id}/"),
        Some(&other),
        json!({}),
    );
    response.assert(404, json!({"detail": "Not found."}));
    app.get("/construct/detail/mnist/", Some(&other))
        .assert(404, json!({"detail": "Not found."}));

    app.send_json(
        reqwest::Method::DELETE,
        &format!("/models/{id}/"),
        Some(&key),
        json!({}),
    )
    .assert(200, json!({"message": "success"}));
    app.get(&format!("/models/{id}/"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get("/construct/config/", Some(&key)).assert(200, json!([]));
    app.get("/construct/config/", Some(&other))
        .assert(200, json!(["mnist"]));
    app.get("/models/list/", None).assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}
