use reqwest::Method;
use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};

const BAD_CREDENTIALS: &str = "Unable to log in with provided credentials.";

#[test]
fn login_by_username_or_email_ignoring_case() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    for body in [
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
        json!({"username": "ZQH", "password": GOOD_PASSWORD}),
        json!({"email": "zqh@example.com", "password": GOOD_PASSWORD}),
        json!({"username": "", "email": "ZQH@example.com", "password": GOOD_PASSWORD}),
        json!({"username": "zqh@example.com", "password": GOOD_PASSWORD}),
    ] {
        let response = app.post("/rest-auth/login/", body.clone());
        assert_eq!(response.status, 200, "{body}: {}", response.text);
        assert_eq!(response.body.as_object().map(|o| o.len()), Some(1));
        assert!(response.body["key"].as_str().is_some_and(|k| k.len() > 20));
    }
}

#[test]
fn wrong_or_unknown_credentials_get_the_same_answer() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    app.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": "wrong-password"}),
    )
    .assert(400, json!({"non_field_errors": [BAD_CREDENTIALS]}));
    app.post(
        "/rest-auth/login/",
        json!({"username": "ghost", "password": GOOD_PASSWORD}),
    )
    .assert(400, json!({"non_field_errors": [BAD_CREDENTIALS]}));
}

#[test]
fn missing_fields_are_named() {
    let app = TestApp::spawn();
    app.post("/rest-auth/login/", json!({"username": "zqh"}))
        .assert(400, json!({"password": ["This field is required."]}));
    app.post("/rest-auth/login/", json!({"password": GOOD_PASSWORD}))
        .assert(
            400,
            json!({"non_field_errors": ["Must include either \"username\" or \"email\" and \"password\"."]}),
        );
}

#[test]
fn both_token_and_bearer_schemes_are_accepted() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    for scheme in ["Token", "Bearer", "token"] {
        let response = app.send(
            app.request(Method::GET, "/rest-auth/user/")
                .header("Authorization", format!("{scheme} {key}")),
        );
        assert_eq!(response.status, 200, "{scheme}");
    }
}

#[test]
fn missing_and_bad_keys_are_401s() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let missing = app.get("/rest-auth/user/", None);
    missing.assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
    assert_eq!(missing.header("www-authenticate"), Some("Token"));
    app.get("/rest-auth/user/", Some("not-a-key"))
        .assert(401, json!({"detail": "Invalid token."}));
    let mut tampered = key.clone();
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    app.get("/rest-auth/user/", Some(&tampered))
        .assert(401, json!({"detail": "Invalid token."}));
    let bare = app.send(
        app.request(Method::GET, "/rest-auth/user/")
            .header("Authorization", "Token"),
    );
    bare.assert(
        401,
        json!({"detail": "Invalid token header. No credentials provided."}),
    );
}

#[test]
fn logout_revokes_only_that_key() {
    let app = TestApp::spawn();
    let first = app.signed_in_user("zqh");
    let second = app.login("zqh", GOOD_PASSWORD);
    app.post_auth("/rest-auth/logout/", &first, json!({}))
        .assert(200, json!({"detail": "Successfully logged out."}));
    app.get("/rest-auth/user/", Some(&first))
        .assert(401, json!({"detail": "Invalid token."}));
    assert_eq!(app.get("/rest-auth/user/", Some(&second)).status, 200);
    app.post("/rest-auth/logout/", json!({})).assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}

#[test]
fn keys_expire_after_the_session_lifetime() {
    let app = TestApp::spawn_with(&[("NETSMITH_SESSION_LIFETIME_SECS", "2")]);
    let key = app.signed_in_user("zqh");
    assert_eq!(app.get("/rest-auth/user/", Some(&key)).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(3100));
    app.get("/rest-auth/user/", Some(&key))
        .assert(401, json!({"detail": "Invalid token."}));
}

#[test]
fn keys_survive_a_restart_with_the_kept_secret() {
    let mut app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let secret = std::fs::read_to_string(app.data_dir().join("secret_key")).expect("secret kept");
    assert_eq!(secret.len(), 64);
    app.restart();
    assert_eq!(app.get("/rest-auth/user/", Some(&key)).status, 200);
    assert_eq!(
        std::fs::read_to_string(app.data_dir().join("secret_key")).expect("kept"),
        secret
    );
}

#[test]
fn five_failures_for_one_name_throttle_it_even_with_the_right_password() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    app.signed_in_user("other");
    for _ in 0..5 {
        app.post(
            "/rest-auth/login/",
            json!({"username": "zqh", "password": "wrong-pass"}),
        )
        .assert(400, json!({"non_field_errors": [BAD_CREDENTIALS]}));
    }
    let throttled = app.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
    );
    assert_eq!(throttled.status, 429, "{}", throttled.text);
    let retry_after: u64 = throttled
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((299..=300).contains(&retry_after), "{retry_after}");
    assert_eq!(
        throttled.body,
        json!({"detail": format!("Request was throttled. Expected available in {retry_after} seconds.")})
    );
    // Someone else behind the same address is not locked out by those failures.
    app.login("other", GOOD_PASSWORD);
}

#[test]
fn one_person_hammering_cannot_lock_out_an_address() {
    let app = TestApp::spawn();
    app.signed_in_user("bystander");
    for _ in 0..20 {
        let response = app.post(
            "/rest-auth/login/",
            json!({"username": "victim", "password": "guess-123"}),
        );
        assert!([400, 429].contains(&response.status));
    }
    app.login("bystander", GOOD_PASSWORD);
}

#[test]
fn ten_failures_from_one_address_throttle_the_address() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    for i in 0..10 {
        app.post(
            "/rest-auth/login/",
            json!({"username": format!("ghost{i}"), "password": "guess-123"}),
        )
        .assert(400, json!({"non_field_errors": [BAD_CREDENTIALS]}));
    }
    let throttled = app.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
    );
    assert_eq!(throttled.status, 429);
    let retry_after: u64 = throttled
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((59..=60).contains(&retry_after), "{retry_after}");
}

#[test]
fn successful_logins_are_never_throttled() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    for _ in 0..15 {
        app.login("zqh", GOOD_PASSWORD);
    }
}
