//! The run-scoped token: its own run's worker endpoints, while the run goes, and
//! nothing else.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use super::{process_app, recorded};
use crate::training::cnn;

#[test]
fn a_run_token_opens_its_own_run_and_nothing_else_until_the_run_ends() {
    let folder = tempfile::tempdir().expect("folder");
    let app = process_app(folder.path());
    let key = app.signed_in_user("zqh");
    app.configured_digits(&key, "mnist", cnn(1_000_000));
    let run = app.start_run(&key, "mnist");
    let token = recorded(folder.path(), "token", run);
    assert!(token.starts_with(&format!("nsr_{run}_")), "{token}");
    let bearer = |method: Method, path: &str| {
        app.send(
            app.request(method, path)
                .header("Authorization", format!("Bearer {token}")),
        )
    };
    let own = bearer(Method::GET, &format!("/worker/runs/{run}/"));
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(own.body["iter"], json!(1_000_000));
    let invalid = json!({"detail": "Invalid token."});
    // Another run's worker endpoints, and every user endpoint.
    bearer(Method::GET, &format!("/worker/runs/{}/", run + 1)).assert(401, invalid.clone());
    bearer(Method::GET, &format!("/worker/runs/{}/control/", run + 1)).assert(401, invalid.clone());
    bearer(Method::GET, "/rest-auth/user/").assert(401, invalid.clone());
    bearer(Method::GET, &format!("/generation/run/details/?run_id={run}")).assert(401, invalid.clone());
    app.send(
        app.request(Method::GET, "/models/list/")
            .header("Authorization", format!("Token {token}")),
    )
    .assert(401, invalid.clone());
    // A user's key opens no worker endpoint, not even of the user's own run.
    app.get(&format!("/worker/runs/{run}/"), Some(&key))
        .assert(401, invalid.clone());
    // Once the run ends, its token ends with it.
    app.post_auth("/generation/run/stop/", &key, json!({"run_id": run}));
    app.wait_run(&key, run, Duration::from_secs(60), |d| d["status"] == "stopped");
    bearer(Method::GET, &format!("/worker/runs/{run}/")).assert(401, invalid);
}
