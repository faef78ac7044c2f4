use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};

const NEW_PASSWORD: &str = "quiet-harbour-42";
const SENT: &str = "Password reset e-mail has been sent.";

/// Asks for a reset mail and returns the uid and token from its link.
fn reset_link(app: &TestApp, email: &str) -> (String, String) {
    app.post("/rest-auth/password/reset/", json!({"email": email}))
        .assert(200, json!({"detail": SENT}));
    let mail = app.last_mail_to(email);
    assert_eq!(mail.header("Subject"), "[netsmith] Password Reset E-mail");
    let parts = mail.link_parts("http://frontend.test/password-reset/confirm/");
    assert_eq!(parts.len(), 2, "{parts:?}");
    (parts[0].clone(), parts[1].clone())
}

fn confirm(app: &TestApp, uid: &str, token: &str, p1: &str, p2: &str) -> crate::support::Response {
    app.post(
        "/rest-auth/password/reset/confirm/",
        json!({"uid": uid, "token": token, "new_password1": p1, "new_password2": p2}),
    )
}

#[test]
fn a_reset_link_sets_a_new_password_once() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (uid, token) = reset_link(&app, "zqh@example.com");
    confirm(&app, &uid, &token, NEW_PASSWORD, NEW_PASSWORD).assert(
        200,
        json!({"detail": "Password has been reset with the new password."}),
    );
    app.get("/rest-auth/user/", Some(&key))
        .assert(401, json!({"detail": "Invalid token."}));
    app.login("zqh", NEW_PASSWORD);
    // Used once, the token is spent.
    confirm(&app, &uid, &token, "another-pass-77", "another-pass-77")
        .assert(400, json!({"token": ["Invalid value"]}));
}

#[test]
fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    let before = app.mails().len();
    app.post(
        "/rest-auth/password/reset/",
        json!({"email": "nobody@example.com"}),
    )
    .assert(200, json!({"detail": SENT}));
    assert_eq!(app.mails().len(), before);
    app.post("/rest-auth/password/reset/", json!({"email": "bad"}))
        .assert(400, json!({"email": ["Enter a valid email address."]}));
    app.post("/rest-auth/password/reset/", json!({}))
        .assert(400, json!({"email": ["This field is required."]}));
}

#[test]
fn bad_uids_and_tokens_are_invalid_values() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    let (uid, token) = reset_link(&app, "zqh@example.com");
    confirm(&app, "zz", &token, NEW_PASSWORD, NEW_PASSWORD).assert(400, json!({"uid": ["Invalid value"]}));
    confirm(&app, "OTk5", &token, NEW_PASSWORD, NEW_PASSWORD).assert(400, json!({"uid": ["Invalid value"]}));
    confirm(&app, &uid, "abc-123", NEW_PASSWORD, NEW_PASSWORD)
        .assert(400, json!({"token": ["Invalid value"]}));
    app.login("zqh", GOOD_PASSWORD);
}

#[test]
fn the_new_password_must_match_and_pass_the_validators() {
    let app = TestApp::spawn();
    app.signed_in_user("zqh");
    let (uid, token) = reset_link(&app, "zqh@example.com");
    confirm(&app, &uid, &token, NEW_PASSWORD, "different-pass-1").assert(
        400,
        json!({"new_password2": ["The two password fields didn't match."]}),
    );
    confirm(&app, &uid, &token, "example-zqh", "example-zqh").assert(
        400,
        json!({"new_password2": ["The password is too similar to the email address."]}),
    );
    // The refused attempts did not spend the token.
    confirm(&app, &uid, &token, NEW_PASSWORD, NEW_PASSWORD).assert(
        200,
        json!({"detail": "Password has been reset with the new password."}),
    );
}

#[test]
fn changing_the_password_invalidates_an_outstanding_reset_token() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (uid, token) = reset_link(&app, "zqh@example.com");
    app.post_auth(
        "/rest-auth/password/change/",
        &key,
        json!({"old_password": GOOD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    )
    .assert(200, json!({"detail": "New password has been saved."}));
    confirm(&app, &uid, &token, "another-pass-77", "another-pass-77")
        .assert(400, json!({"token": ["Invalid value"]}));
}

#[test]
fn reset_tokens_expire() {
    let app = TestApp::spawn_with(&[("NETSMITH_PASSWORD_RESET_TIMEOUT_SECS", "1")]);
    app.signed_in_user("zqh");
    let (uid, token) = reset_link(&app, "zqh@example.com");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    confirm(&app, &uid, &token, NEW_PASSWORD, NEW_PASSWORD).assert(400, json!({"token": ["Invalid value"]}));
}
