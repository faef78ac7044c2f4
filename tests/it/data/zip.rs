use serde_json::json;

use crate::support::TestApp;
use crate::support::upload::{zip_of, zip_with_symlink};

#[test]
fn an_archive_is_extracted_and_shown_as_a_tree() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let archive = zip_of(&[
        ("image_process.py", b"import PIL\n"),
        ("mnist/", b""),
        ("mnist/__init__.py", b""),
        ("mnist/train.py", b"print('train')\n"),
        ("mnist/data.csv", b"a,b\n1,2\n"),
    ]);
    let id = app.uploaded(&key, "zip", "code", "project.zip", archive);
    app.get(&format!("/data/{id}/"), Some(&key)).assert(
        200,
        json!({
            "image_process.py": "image_process.py",
            "mnist": {"__init__.py": "__init__.py", "train.py": "train.py", "data.csv": "data.csv"}
        }),
    );
    let (status, _, body) = app.get_with(&format!("/data/{id}/?relative_path=mnist/train.py"), &key, &[]);
    assert_eq!((status, body.as_slice()), (200, &b"print('train')\n"[..]));
    app.get(&format!("/data/{id}/?relative_path=mnist/data.csv"), Some(&key))
        .assert(200, json!([{"a": "1", "b": "2"}]));
    app.get(&format!("/data/{id}/?relative_path=mnist/missing.py"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    app.get(&format!("/data/{id}/?relative_path=mnist"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    for escape in ["../secret", "mnist/../../x", "/etc/passwd"] {
        app.get(&format!("/data/{id}/?relative_path={escape}"), Some(&key))
            .assert(
                400,
                json!({"relative_path": ["This path is not inside the upload."]}),
            );
    }
    let row = &app.get("/data/list/", Some(&key)).body[0];
    assert_eq!(
        (row["upload_type"].as_str(), row["file_count"].as_u64()),
        (Some("zip"), Some(4))
    );
}

#[track_caller]
fn assert_refused(app: &TestApp, key: &str, archive: Vec<u8>, needle: &str) {
    let response = app.upload_file(key, "zip", "code", "bad.zip", archive);
    assert_eq!(response.status, 400, "{}", response.text);
    let message = response.body["file"][0].as_str().unwrap_or_default();
    assert!(message.contains(needle), "{message:?} should mention {needle:?}");
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    assert_eq!(app.get("/data/list/", Some(key)).body, json!([]));
}

#[test]
fn dangerous_or_broken_archives_are_refused_and_leave_nothing() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    assert_refused(
        &app,
        &key,
        zip_of(&[("ok.txt", b"x"), ("../evil.txt", b"x")]),
        "outside",
    );
    assert_refused(&app, &key, zip_of(&[("/etc/cron.d/x", b"x")]), "outside");
    assert_refused(
        &app,
        &key,
        zip_with_symlink("link", "/etc/passwd"),
        "symbolic link",
    );
    let zeros = vec![0u8; 20 * 1024 * 1024];
    assert_refused(&app, &key, zip_of(&[("bomb.bin", &zeros)]), "200:1");
    assert_refused(
        &app,
        &key,
        b"PK\x03\x04 this is not really a zip".to_vec(),
        "not a valid zip",
    );
}

#[test]
fn archive_limits_are_settings() {
    let app = TestApp::spawn_with(&[
        ("NETSMITH_ZIP_MAX_ENTRIES", "3"),
        ("NETSMITH_ZIP_MAX_TOTAL_BYTES", "1000"),
    ]);
    let key = app.signed_in_user("zqh");
    let many: Vec<(String, Vec<u8>)> = (0..4).map(|i| (format!("f{i}.txt"), b"x".to_vec())).collect();
    let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    assert_refused(&app, &key, zip_of(&refs), "more than 3 entries");
    assert_refused(&app, &key, zip_of(&[("big.txt", &[b'y'; 1001])]), "1000 bytes");
}
