use reqwest::Method;
use serde_json::json;

use crate::support::TestApp;

const PATH: &str = "/rest-auth/user/";

#[test]
fn put_replaces_names_and_keeps_the_email() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.send_json(
        Method::PUT,
        PATH,
        Some(&key),
        json!({"username": "zhang", "first_name": "Qinghua", "last_name": "Zhang", "email": "evil@example.com"}),
    )
    .assert(
        200,
        json!({"pk": 1, "username": "zhang", "email": "zqh@example.com", "first_name": "Qinghua", "last_name": "Zhang"}),
    );
    app.get(PATH, Some(&key)).assert(
        200,
        json!({"pk": 1, "username": "zhang", "email": "zqh@example.com", "first_name": "Qinghua", "last_name": "Zhang"}),
    );
    app.login("zhang", crate::support::GOOD_PASSWORD);
}

#[test]
fn put_requires_the_username_and_patch_does_not() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.send_json(Method::PUT, PATH, Some(&key), json!({"first_name": "Q"}))
        .assert(400, json!({"username": ["This field is required."]}));
    app.send_json(Method::PATCH, PATH, Some(&key), json!({"last_name": "Zhang"})).assert(
        200,
        json!({"pk": 1, "username": "zqh", "email": "zqh@example.com", "first_name": "", "last_name": "Zhang"}),
    );
    app.send_json(Method::PATCH, PATH, Some(&key), json!({"last_name": ""})).assert(
        200,
        json!({"pk": 1, "username": "zqh", "email": "zqh@example.com", "first_name": "", "last_name": ""}),
    );
}

#[test]
fn usernames_stay_unique_and_valid() {
    let app = TestApp::spawn();
    app.signed_in_user("taken");
    let key = app.signed_in_user("zqh");
    app.send_json(Method::PATCH, PATH, Some(&key), json!({"username": "TAKEN"}))
        .assert(
            400,
            json!({"username": ["A user with that username already exists."]}),
        );
    app.send_json(Method::PATCH, PATH, Some(&key), json!({"username": "no spaces"})).assert(
        400,
        json!({"username": ["Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."]}),
    );
    app.send_json(
        Method::PATCH,
        PATH,
        Some(&key),
        json!({"first_name": "x".repeat(151)}),
    )
    .assert(
        400,
        json!({"first_name": ["Ensure this field has no more than 150 characters."]}),
    );
    // A user may change the case of their own name.
    assert_eq!(
        app.send_json(Method::PATCH, PATH, Some(&key), json!({"username": "ZQH"}))
            .body["username"],
        "ZQH"
    );
}

#[test]
fn each_key_sees_only_its_own_user() {
    let app = TestApp::spawn();
    let alice = app.signed_in_user("alice");
    let bob = app.signed_in_user("bob");
    assert_eq!(app.get(PATH, Some(&alice)).body["username"], "alice");
    assert_eq!(app.get(PATH, Some(&bob)).body["username"], "bob");
    app.send_json(Method::PATCH, PATH, Some(&bob), json!({"first_name": "Bob"}));
    assert_eq!(app.get(PATH, Some(&alice)).body["first_name"], "");
}
