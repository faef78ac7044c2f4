//! The contract's conventions that hold for every endpoint.

use reqwest::Method;
use serde_json::json;

use crate::support::TestApp;

#[test]
fn health_check_answers_with_and_without_the_trailing_slash() {
    let app = TestApp::spawn();
    app.get("/healthz", None).assert(200, json!({"status": "ok"}));
    app.get("/healthz/", None).assert(200, json!({"status": "ok"}));
}

#[test]
fn every_response_carries_a_request_id() {
    let app = TestApp::spawn();
    let response = app.get("/healthz/", None);
    let id = response.header("x-request-id").expect("x-request-id header");
    assert_eq!(id.len(), 16);
    let given = app.send(
        app.request(Method::GET, "/healthz/")
            .header("X-Request-Id", "abc-123"),
    );
    assert_eq!(given.header("x-request-id"), Some("abc-123"));
    assert!(app.log_shows("abc-123"), "the request line is logged with its id");
}

#[test]
fn unknown_paths_are_drf_404s() {
    let app = TestApp::spawn();
    app.get("/no/such/thing/", None)
        .assert(404, json!({"detail": "Not found."}));
}

#[test]
fn wrong_methods_are_drf_405s() {
    let app = TestApp::spawn();
    app.get("/rest-auth/login/", None)
        .assert(405, json!({"detail": "Method \"GET\" not allowed."}));
    app.send_json(Method::DELETE, "/rest-auth/registration/", None, json!({}))
        .assert(405, json!({"detail": "Method \"DELETE\" not allowed."}));
}

#[test]
fn malformed_json_is_a_400_naming_the_parse_error() {
    let app = TestApp::spawn();
    let response = app.send(
        app.request(Method::POST, "/rest-auth/login/")
            .header("Content-Type", "application/json")
            .body("{bad"),
    );
    assert_eq!(response.status, 400);
    let detail = response.body["detail"].as_str().expect("detail");
    assert!(detail.starts_with("JSON parse error - "), "{detail}");
}

#[test]
fn a_json_body_that_is_not_an_object_is_a_400() {
    let app = TestApp::spawn();
    app.post("/rest-auth/login/", json!([1, 2])).assert(
        400,
        json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    );
}

#[test]
fn an_unsupported_content_type_is_a_415_as_drf_answers_it() {
    let app = TestApp::spawn();
    let response = app.send(
        app.request(Method::POST, "/rest-auth/login/")
            .header("Content-Type", "text/plain")
            .body("hello"),
    );
    response.assert(
        415,
        json!({"detail": "Unsupported media type \"text/plain\" in request."}),
    );
}

#[test]
fn form_encoded_bodies_are_read_like_json() {
    let app = TestApp::spawn();
    let response = app.send(
        app.request(Method::POST, "/rest-auth/login/")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("username=nobody&password=whatever-123"),
    );
    response.assert(
        400,
        json!({"non_field_errors": ["Unable to log in with provided credentials."]}),
    );
}

#[test]
fn wrong_types_null_blank_and_overlong_values_name_the_field() {
    let app = TestApp::spawn();
    app.post(
        "/rest-auth/registration/",
        json!({"username": "u".repeat(151), "email": null, "password1": true, "password2": ""}),
    )
    .assert(
        400,
        json!({
            "username": ["Ensure this field has no more than 150 characters."],
            "email": ["This field may not be null."],
            "password1": ["Not a valid string."],
            "password2": ["This field may not be blank."],
        }),
    );
}

#[test]
fn an_oversized_body_is_a_413() {
    let app = TestApp::spawn_with(&[("NETSMITH_MAX_JSON_BODY", "1000")]);
    let big = json!({"username": "x".repeat(5000), "password": "y"});
    app.post("/rest-auth/login/", big)
        .assert(413, json!({"detail": "Request body is too large."}));
}

#[test]
fn the_docs_page_is_served_without_internet() {
    let app = TestApp::spawn();
    let page = app.get("/api/docs/", None);
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    assert!(!page.text.contains("cdn"), "no CDN assets");
    let init = app.get("/api/docs/swagger-initializer.js", None);
    assert_eq!(init.status, 200);
    assert!(init.text.contains("/api/schema/"));
    let bundle = app.get("/api/docs/swagger-ui-bundle.js", None);
    assert_eq!(bundle.status, 200);
    assert!(bundle.text.len() > 100_000, "the UI bundle is embedded");
}

#[test]
fn settings_come_from_a_config_file_and_the_environment_wins() {
    let config = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(
        config.path(),
        "email_verification = \"none\"\nsite_name = \"Lab\"\n",
    )
    .expect("write config");
    let path = config.path().to_string_lossy().into_owned();
    // The file alone: no verification, so registration logs in at once and mails nothing.
    let app = TestApp::spawn_with(&[("NETSMITH_CONFIG", path.as_str())]);
    let body = json!({"username": "zqh", "email": "zqh@example.com", "password1": "plum-orchard-9", "password2": "plum-orchard-9"});
    let response = app.post("/rest-auth/registration/", body.clone());
    assert_eq!(response.status, 201);
    assert!(response.body["key"].is_string());
    assert!(app.mails().is_empty());
    // The environment overrides the file: optional verification mails a link.
    let app = TestApp::spawn_with(&[
        ("NETSMITH_CONFIG", path.as_str()),
        ("NETSMITH_EMAIL_VERIFICATION", "optional"),
    ]);
    assert_eq!(app.post("/rest-auth/registration/", body).status, 201);
    assert_eq!(
        app.last_mail_to("zqh@example.com").header("Subject"),
        "[Lab] Please Confirm Your E-mail Address"
    );
}

#[test]
fn a_bad_setting_stops_the_server_with_a_clear_message() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_netsmith"))
        .arg("migrate")
        .env("NETSMITH_EMAIL_VERIFICATION", "sometimes")
        .env("NETSMITH_DATA_DIR", tempfile::tempdir().expect("dir").path())
        .output()
        .expect("run netsmith");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.to_lowercase().contains("email_verification") && stderr.contains("sometimes"),
        "{stderr}"
    );
}

#[test]
fn the_front_end_origin_may_call_the_api_from_a_browser() {
    let app = TestApp::spawn();
    let preflight = app.send(
        app.request(Method::OPTIONS, "/rest-auth/user/")
            .header("Origin", "http://frontend.test")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization"),
    );
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://frontend.test")
    );
    let simple = app.send(
        app.request(Method::GET, "/healthz/")
            .header("Origin", "http://frontend.test"),
    );
    assert_eq!(
        simple.header("access-control-allow-origin"),
        Some("http://frontend.test")
    );
    let other = app.send(
        app.request(Method::GET, "/healthz/")
            .header("Origin", "http://evil.test"),
    );
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn null_characters_are_refused_as_drf_refuses_them() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.send_json(
        Method::PUT,
        "/rest-auth/user/",
        Some(&key),
        json!({"username": "zqh", "first_name": "Qing\0hua"}),
    )
    .assert(400, json!({"first_name": ["Null characters are not allowed."]}));
    assert_eq!(app.get("/rest-auth/user/", Some(&key)).body["first_name"], "");
    // A name in a path that no model can have is simply not found.
    app.get("/construct/detail/a%00b/", Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get("/runtime/train/a%00b/", Some(&key))
        .assert(404, json!({"detail": "Not found."}));
}
