use serde_json::json;

use crate::support::TestApp;
use crate::support::upload::zip_of;

#[test]
fn users_never_see_or_change_each_others_data() {
    let app = TestApp::spawn();
    let alice = app.signed_in_user("alice");
    let bob = app.signed_in_user("bob");
    let file = app.uploaded(
        &alice,
        "single",
        "doc",
        "secret.txt",
        b"alice's secret\n".to_vec(),
    );
    let archive = app.uploaded(&alice, "zip", "code", "proj.zip", zip_of(&[("a.py", b"x = 1\n")]));

    assert_eq!(app.get("/data/list/", Some(&bob)).body, json!([]));
    for id in [file, archive] {
        app.get(&format!("/data/{id}/"), Some(&bob))
            .assert(404, json!({"detail": "Not found."}));
        let delete = app.send_json(
            reqwest::Method::DELETE,
            &format!("/data/{id}/"),
            Some(&bob),
            json!({}),
        );
        assert_eq!(delete.status, 204);
    }
    app.get(&format!("/data/{archive}/?relative_path=a.py"), Some(&bob))
        .assert(404, json!({"detail": "Not found."}));
    // Alice still has everything.
    assert_eq!(
        app.get("/data/list/", Some(&alice)).body.as_array().map(Vec::len),
        Some(2)
    );
    let (status, _, body) = app.get_with(&format!("/data/{file}/"), &alice, &[]);
    assert_eq!((status, body.as_slice()), (200, &b"alice's secret\n"[..]));
}

#[test]
fn data_endpoints_need_a_login() {
    let app = TestApp::spawn();
    for path in ["/data/list/", "/data/1/"] {
        app.get(path, None).assert(
            401,
            json!({"detail": "Authentication credentials were not provided."}),
        );
    }
    app.post("/data/", json!({})).assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}
