//! Every path and method of `/api/schema/` still answers as the API: JSON (never the
//! console's page), 401 without or with a bad token where the API wants one, and one of
//! its documented statuses otherwise.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Response, TestApp};

/// Fills `{id}`, `{name}`, ... so the path names objects that do not exist.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| if part.starts_with('{') { "999999" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

fn call(app: &TestApp, method: &Method, path: &str, token: Option<&str>) -> Response {
    let mut request = app.request(method.clone(), path);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Token {token}"));
    }
    if [Method::POST, Method::PUT, Method::PATCH].contains(method) {
        request = request.json(&json!({}));
    }
    app.send(request)
}

#[track_caller]
fn assert_api_answer(response: &Response, what: &str) {
    if response.status == 204 {
        assert!(
            response.text.is_empty(),
            "{what}: a 204 with a body: {}",
            response.text
        );
        return;
    }
    let content_type = response.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{what}: answered {content_type}: {}",
        response.text
    );
    assert!(!response.body.is_null(), "{what}: not JSON: {}", response.text);
    assert!(!response.text.contains("<html"), "{what}: answered a page");
}

#[test]
fn every_api_path_and_method_answers_as_the_api() {
    let app = TestApp::spawn();
    let token = app.signed_in_user("walker");
    let schema = app.get("/api/schema/", None).body;
    let paths = schema["paths"].as_object().expect("paths");
    assert!(paths.len() > 30, "the document lists every path");
    let mut checked = 0;
    for (path, item) in paths {
        let url = concrete(path);
        for (method, operation) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let what = format!("{method} {url}");
            let documented: Vec<u16> = operation["responses"]
                .as_object()
                .map(|r| r.keys().filter_map(|s| s.parse().ok()).collect())
                .unwrap_or_default();
            let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());

            let anonymous = call(&app, &method, &url, None);
            assert_api_answer(&anonymous, &what);
            if secured {
                anonymous.assert(
                    401,
                    json!({"detail": "Authentication credentials were not provided."}),
                );
                call(&app, &method, &url, Some("not-a-key")).assert(401, json!({"detail": "Invalid token."}));
            } else {
                assert!(
                    documented.contains(&anonymous.status),
                    "{what}: {} not documented",
                    anonymous.status
                );
            }

            // Logging out ends the key it is sent with: use one of its own.
            let key = if path == "/rest-auth/logout/" {
                app.login("walker", crate::support::GOOD_PASSWORD)
            } else {
                token.clone()
            };
            let signed_in = call(&app, &method, &url, Some(&key));
            assert_api_answer(&signed_in, &format!("{what} with a token"));
            assert!(
                documented.contains(&signed_in.status),
                "{what} with a token: {} not among {documented:?}: {}",
                signed_in.status,
                signed_in.text
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} operations checked");
}

#[test]
fn unknown_paths_and_other_methods_stay_not_found() {
    let app = TestApp::spawn();
    let token = app.signed_in_user("walker");
    let not_found = json!({"detail": "Not found."});
    for path in [
        "/nope/",
        "/apps/",
        "/application/",
        "/assets/index.js",
        "/app/assets/missing-0000.js",
        "/verify-email/",
        "/password-reset/confirm/MQ/",
        "/data/abc/",
    ] {
        app.get(path, None).assert(404, not_found.clone());
        app.get(path, Some(&token)).assert(404, not_found.clone());
    }
    for path in [
        "/",
        "/app/data/",
        "/verify-email/abc/",
        "/password-reset/confirm/MQ/abc-123/",
    ] {
        app.send_json(Method::POST, path, Some(&token), json!({}))
            .assert(404, not_found.clone());
        app.send_json(Method::DELETE, path, None, Value::Null)
            .assert(404, not_found.clone());
    }
    // Without the trailing slash the API answers the same.
    let list = app.get("/data/list", Some(&token));
    assert_eq!((list.status, list.body.clone()), (200, json!([])));
}
