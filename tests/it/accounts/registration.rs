use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};

fn register(app: &TestApp, username: &str, email: &str, p1: &str, p2: &str) -> crate::support::Response {
    app.post(
        "/rest-auth/registration/",
        json!({"username": username, "email": email, "password1": p1, "password2": p2}),
    )
}

#[test]
fn registration_mails_a_link_and_confirming_it_allows_login() {
    let app = TestApp::spawn();
    register(&app, "zqh", "zqh@example.com", GOOD_PASSWORD, GOOD_PASSWORD)
        .assert(201, json!({"detail": "Verification e-mail sent."}));

    let mail = app.last_mail_to("zqh@example.com");
    assert_eq!(
        mail.header("Subject"),
        "[netsmith] Please Confirm Your E-mail Address"
    );
    assert!(mail.header("From").contains("noreply@localhost"));
    assert!(!mail.header("Date").is_empty());
    assert!(!mail.header("Message-ID").is_empty());
    let key = &mail.link_parts("http://frontend.test/verify-email/")[0];
    assert_eq!(key.len(), 64);

    app.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
    )
    .assert(400, json!({"non_field_errors": ["E-mail is not verified."]}));
    app.post("/rest-auth/registration/verify-email/", json!({"key": key}))
        .assert(200, json!({"detail": "ok"}));
    let token = app.login("zqh", GOOD_PASSWORD);
    app.get("/rest-auth/user/", Some(&token)).assert(
        200,
        json!({"pk": 1, "username": "zqh", "email": "zqh@example.com", "first_name": "", "last_name": ""}),
    );
    // Confirming twice is harmless.
    app.post("/rest-auth/registration/verify-email/", json!({"key": key}))
        .assert(200, json!({"detail": "ok"}));
}

#[test]
fn an_unknown_confirmation_key_is_404() {
    let app = TestApp::spawn();
    app.post("/rest-auth/registration/verify-email/", json!({"key": "nope"}))
        .assert(404, json!({"detail": "Not found."}));
    app.post("/rest-auth/registration/verify-email/", json!({}))
        .assert(400, json!({"key": ["This field is required."]}));
}

#[test]
fn mismatched_passwords_are_a_non_field_error() {
    let app = TestApp::spawn();
    register(&app, "zqh", "zqh@example.com", GOOD_PASSWORD, "plum-orchard-8").assert(
        400,
        json!({"non_field_errors": ["The two password fields didn't match."]}),
    );
    assert!(app.mails().is_empty());
}

#[test]
fn weak_passwords_get_every_validator_message() {
    let app = TestApp::spawn();
    register(&app, "zqh", "zqh@example.com", "123", "123").assert(
        400,
        json!({"password1": [
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
            "This password is entirely numeric."
        ]}),
    );
    register(&app, "zqh", "zqh@example.com", "password", "password")
        .assert(400, json!({"password1": ["This password is too common."]}));
    register(&app, "zqh", "zqh@example.com", "98765432101", "98765432101")
        .assert(400, json!({"password1": ["This password is entirely numeric."]}));
}

#[test]
fn passwords_like_the_username_or_email_are_refused() {
    let app = TestApp::spawn();
    register(
        &app,
        "oliverqueen",
        "oq@example.com",
        "oliverqueen7",
        "oliverqueen7",
    )
    .assert(
        400,
        json!({"password1": ["The password is too similar to the username."]}),
    );
    register(
        &app,
        "someone",
        "bartholomew@example.com",
        "bartholomew1",
        "bartholomew1",
    )
    .assert(
        400,
        json!({"password1": ["The password is too similar to the email address."]}),
    );
}

#[test]
fn taken_usernames_and_emails_are_refused_ignoring_case() {
    let app = TestApp::spawn();
    app.register("zqh", "zqh@example.com");
    register(&app, "ZQH", "ZQH@Example.com", GOOD_PASSWORD, GOOD_PASSWORD).assert(
        400,
        json!({
            "username": ["A user with that username already exists."],
            "email": ["A user is already registered with this e-mail address."]
        }),
    );
}

#[test]
fn several_errors_appear_together() {
    let app = TestApp::spawn();
    app.register("zqh", "zqh@example.com");
    register(&app, "zqh", "zqh@example.com", "123", "456").assert(
        400,
        json!({
            "username": ["A user with that username already exists."],
            "email": ["A user is already registered with this e-mail address."],
            "password1": [
                "This password is too short. It must contain at least 8 characters.",
                "This password is too common.",
                "This password is entirely numeric."
            ],
            "non_field_errors": ["The two password fields didn't match."]
        }),
    );
}

#[test]
fn malformed_usernames_and_emails_are_refused() {
    let app = TestApp::spawn();
    register(&app, "has space", "not-an-email", GOOD_PASSWORD, GOOD_PASSWORD).assert(
        400,
        json!({
            "username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."],
            "email": ["Enter a valid email address."]
        }),
    );
    register(
        &app,
        &"a".repeat(151),
        "a@example.com",
        GOOD_PASSWORD,
        GOOD_PASSWORD,
    )
    .assert(
        400,
        json!({"username": ["Ensure this field has no more than 150 characters."]}),
    );
}

#[test]
fn every_missing_field_is_required() {
    let app = TestApp::spawn();
    app.post("/rest-auth/registration/", json!({})).assert(
        400,
        json!({
            "username": ["This field is required."],
            "email": ["This field is required."],
            "password1": ["This field is required."],
            "password2": ["This field is required."]
        }),
    );
}

#[test]
fn resend_mails_a_new_link_to_unconfirmed_addresses_only() {
    let app = TestApp::spawn();
    let first = app.register("zqh", "zqh@example.com");
    app.post(
        "/rest-auth/registration/resend-email/",
        json!({"email": "zqh@example.com"}),
    )
    .assert(200, json!({"detail": "ok"}));
    assert_eq!(app.mails().len(), 2);
    let second = &app
        .last_mail_to("zqh@example.com")
        .link_parts("http://frontend.test/verify-email/")[0];
    assert_ne!(&first, second);
    app.post("/rest-auth/registration/verify-email/", json!({"key": second}))
        .assert(200, json!({"detail": "ok"}));

    // Unknown and already-confirmed addresses get the same answer and no mail.
    app.post(
        "/rest-auth/registration/resend-email/",
        json!({"email": "nobody@example.com"}),
    )
    .assert(200, json!({"detail": "ok"}));
    app.post(
        "/rest-auth/registration/resend-email/",
        json!({"email": "zqh@example.com"}),
    )
    .assert(200, json!({"detail": "ok"}));
    assert_eq!(app.mails().len(), 2);
    app.post("/rest-auth/registration/resend-email/", json!({"email": "bad"}))
        .assert(400, json!({"email": ["Enter a valid email address."]}));
}

#[test]
fn optional_verification_logs_in_at_once_and_still_mails() {
    let app = TestApp::spawn_with(&[("NETSMITH_EMAIL_VERIFICATION", "optional")]);
    let response = register(&app, "zqh", "zqh@example.com", GOOD_PASSWORD, GOOD_PASSWORD);
    assert_eq!(response.status, 201);
    let key = response.body["key"].as_str().expect("a key");
    assert_eq!(app.get("/rest-auth/user/", Some(key)).status, 200);
    assert_eq!(app.mails().len(), 1);
    app.login("zqh", GOOD_PASSWORD);
}

#[test]
fn without_verification_no_mail_is_sent() {
    let app = TestApp::spawn_with(&[("NETSMITH_EMAIL_VERIFICATION", "none")]);
    let response = register(&app, "zqh", "zqh@example.com", GOOD_PASSWORD, GOOD_PASSWORD);
    assert_eq!(response.status, 201);
    assert!(response.body["key"].is_string());
    assert!(app.mails().is_empty());
}
