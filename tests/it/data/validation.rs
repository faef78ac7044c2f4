use reqwest::blocking::multipart::{Form, Part};
use serde_json::json;

use crate::support::TestApp;

#[test]
fn form_fields_are_checked_with_drf_messages() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.upload_form(
        &key,
        Form::new().part("file", Part::bytes(b"x".to_vec()).file_name("x.txt")),
    )
    .assert(
        400,
        json!({"file_type": ["This field is required."], "file_class": ["This field is required."]}),
    );
    app.upload_form(&key, Form::new().text("file_type", "folder").text("file_class", "video")).assert(
        400,
        json!({"file_type": ["\"folder\" is not a valid choice."], "file_class": ["\"video\" is not a valid choice."]}),
    );
    app.upload_form(
        &key,
        Form::new().text("file_type", "single").text("file_class", "doc"),
    )
    .assert(400, json!({"file": ["No file was submitted."]}));
    app.upload_file(&key, "single", "doc", "empty.txt", Vec::new())
        .assert(400, json!({"file": ["The submitted file is empty."]}));
    app.upload_form(
        &key,
        Form::new().text("file_type", "url").text("file_class", "doc"),
    )
    .assert(400, json!({"url": ["This field is required."]}));
    app.upload_url(&key, "doc", "not a url")
        .assert(400, json!({"url": ["Enter a valid URL."]}));
    app.upload_url(&key, "doc", "ftp://example.com/x")
        .assert(400, json!({"url": ["Only http and https URLs can be uploaded."]}));
    assert_eq!(app.get("/data/list/", Some(&key)).body, json!([]));
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
}

#[test]
fn an_upload_without_a_body_names_the_missing_fields() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let required = json!({
        "file_type": ["This field is required."],
        "file_class": ["This field is required."],
    });
    let bare = app
        .request(reqwest::Method::POST, "/data/")
        .header("Authorization", format!("Token {key}"));
    app.send(bare).assert(400, required.clone());
    let typed_but_empty = app
        .request(reqwest::Method::POST, "/data/list/")
        .header("Authorization", format!("Token {key}"))
        .header("Content-Type", "application/json")
        .body("");
    app.send(typed_but_empty).assert(400, required);
    assert_eq!(app.get("/data/list/", Some(&key)).body, json!([]));
}

#[test]
fn a_json_body_is_not_an_upload() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/data/", &key, json!({"file_type": "single"}))
        .assert(
            415,
            json!({"detail": "Unsupported media type \"application/json\" in request."}),
        );
}

#[test]
fn unknown_ids_are_404s() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.get("/data/999/", Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get("/data/abc/", Some(&key))
        .assert(404, json!({"detail": "Not found."}));
}
