//! The `netsmith` subcommands other than `serve`.

use std::process::Command;

use serde_json::json;

use crate::support::{GOOD_PASSWORD, TestApp};

fn netsmith(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netsmith"))
        .args(args)
        .env("NETSMITH_DATA_DIR", app.data_dir())
        .env("DATABASE_URL", app.database_url())
        .env("NETSMITH_BCRYPT_COST", "4")
        .output()
        .expect("run netsmith")
}

#[test]
fn migrate_succeeds_on_a_current_database() {
    let app = TestApp::spawn();
    let output = netsmith(&app, &["migrate"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
}

#[test]
fn user_create_makes_a_user_who_can_log_in() {
    let app = TestApp::spawn();
    let output = netsmith(
        &app,
        &[
            "user",
            "create",
            "--username",
            "admin",
            "--email",
            "admin@example.com",
            "--password",
            GOOD_PASSWORD,
            "--verified",
            "--admin",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let key = app.login("admin", GOOD_PASSWORD);
    app.get("/rest-auth/user/", Some(&key)).assert(
        200,
        json!({"pk": 1, "username": "admin", "email": "admin@example.com", "first_name": "", "last_name": ""}),
    );
}

#[test]
fn user_create_refuses_what_registration_refuses() {
    let app = TestApp::spawn();
    let output = netsmith(
        &app,
        &[
            "user",
            "create",
            "--username",
            "bad name",
            "--email",
            "nope",
            "--password",
            "123",
        ],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Enter a valid username."), "{stderr}");
    assert!(stderr.contains("Enter a valid email address."), "{stderr}");
    assert!(stderr.contains("This password is too short."), "{stderr}");
}
