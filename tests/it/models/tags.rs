use serde_json::json;

use crate::support::TestApp;

#[test]
fn labels_must_name_pictures_of_the_models_data() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (id, _) = app.digits_model(&key, "mnist");
    app.tag(
        &key,
        "mnist",
        br#"{"digits/0/0.png": "zero", "digits/0/nope.png": "zero", "x/y.png": 1}"#,
    )
    .assert(
        400,
        json!({"file": ["No such picture in the model's data: digits/0/nope.png, x/y.png."]}),
    );
    assert_eq!(
        app.get(&format!("/models/{id}/"), Some(&key)).body["labels"],
        json!(0)
    );

    app.tag(&key, "mnist", b"[1, 2]")
        .assert(400, json!({"file": ["Upload a JSON object mapping a file's relative path in the model's data to its label."]}));
    app.tag(&key, "mnist", br#"{"digits/0/0.png": null}"#).assert(
        400,
        json!({"file": ["The label of \"digits/0/0.png\" must be a non-empty string or a number."]}),
    );
    app.tag(&key, "nope", b"{}")
        .assert(404, json!({"detail": "Not found."}));

    // Labels override the folders: relabel two pictures of 0 as a new class.
    app.tag(
        &key,
        "mnist",
        br#"{"digits/0/0.png": "ten", "digits/0/10.png": "ten"}"#,
    )
    .assert(200, json!({"labels": 2}));
    let detail = app.get(&format!("/models/{id}/"), Some(&key));
    assert_eq!(detail.body["labels"], json!(2));
    assert_eq!(
        detail.body["data"]["classes"],
        json!(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "ten"])
    );
}

#[test]
fn labels_need_image_folder_data() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/data/create/", &key, json!({"modelName": "empty"}));
    app.tag(&key, "empty", b"{}").assert(
        400,
        json!({"non_field_errors": ["This model has no data yet: attach an image-folder zip or a CSV upload with dataId first."]}),
    );
    app.csv_model(&key, "iris", "iris.csv");
    app.tag(&key, "iris", br#"{"a.png": "x"}"#).assert(
        400,
        json!({"file": ["Labels apply to image-folder (zip) data; this model's data is a single file."]}),
    );
    let form = reqwest::blocking::multipart::Form::new().text("modelName", "iris");
    let response = app.send(
        app.request(reqwest::Method::POST, "/data/tag/")
            .header("Authorization", format!("Token {key}"))
            .multipart(form),
    );
    response.assert(400, json!({"file": ["No file was submitted."]}));
}
