use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};

const NEW_PASSWORD: &str = "quiet-harbour-42";
const PATH: &str = "/rest-auth/password/change/";

#[test]
fn changing_the_password_revokes_every_session() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let other_device = app.login("zqh", GOOD_PASSWORD);
    app.post_auth(
        PATH,
        &key,
        json!({"old_password": GOOD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    )
    .assert(200, json!({"detail": "New password has been saved."}));
    for old_key in [&key, &other_device] {
        app.get("/rest-auth/user/", Some(old_key))
            .assert(401, json!({"detail": "Invalid token."}));
    }
    app.post(
        "/rest-auth/login/",
        json!({"username": "zqh", "password": GOOD_PASSWORD}),
    )
    .assert(
        400,
        json!({"non_field_errors": ["Unable to log in with provided credentials."]}),
    );
    app.login("zqh", NEW_PASSWORD);
}

#[test]
fn a_wrong_old_password_is_refused() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth(
        PATH,
        &key,
        json!({"old_password": "not-it-at-all", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    )
    .assert(
        400,
        json!({"old_password": ["Your old password was entered incorrectly. Please enter it again."]}),
    );
    assert_eq!(
        app.get("/rest-auth/user/", Some(&key)).status,
        200,
        "nothing changed"
    );
}

#[test]
fn the_new_password_must_match_and_pass_the_validators() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth(
        PATH,
        &key,
        json!({"old_password": GOOD_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "quiet-harbour-43"}),
    )
    .assert(400, json!({"new_password2": ["The two password fields didn't match."]}));
    app.post_auth(
        PATH,
        &key,
        json!({"old_password": GOOD_PASSWORD, "new_password1": "1234", "new_password2": "1234"}),
    )
    .assert(
        400,
        json!({"new_password2": [
            "This password is too short. It must contain at least 8 characters.",
            "This password is too common.",
            "This password is entirely numeric."
        ]}),
    );
    app.post_auth(PATH, &key, json!({"old_password": GOOD_PASSWORD, "new_password1": "zqh@example", "new_password2": "zqh@example"}))
        .assert(400, json!({"new_password2": ["The password is too similar to the email address."]}));
    app.post_auth(PATH, &key, json!({})).assert(
        400,
        json!({
            "old_password": ["This field is required."],
            "new_password1": ["This field is required."],
            "new_password2": ["This field is required."]
        }),
    );
    app.login("zqh", GOOD_PASSWORD);
}

#[test]
fn changing_needs_a_login() {
    let app = TestApp::spawn();
    app.post(
        PATH,
        json!({"old_password": "a", "new_password1": "b", "new_password2": "b"}),
    )
    .assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}
