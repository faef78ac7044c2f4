use serde_json::json;

use crate::support::TestApp;
use crate::support::upload::zip_of;

#[test]
fn an_upload_over_the_limit_is_413_and_leaves_nothing() {
    let app = TestApp::spawn_with(&[("NETSMITH_MAX_UPLOAD_BYTES", "1000")]);
    let key = app.signed_in_user("zqh");
    app.upload_file(&key, "single", "doc", "big.txt", vec![b'x'; 1001])
        .assert(
            413,
            json!({"detail": "The upload is larger than the limit of 1000 bytes."}),
        );
    // Far over the limit: refused from the declared length, before reading it.
    app.upload_file(&key, "single", "doc", "huge.txt", vec![b'x'; 3 * 1024 * 1024])
        .assert(
            413,
            json!({"detail": "The upload is larger than the limit of 1000 bytes."}),
        );
    assert_eq!(app.get("/data/list/", Some(&key)).body, json!([]));
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    app.uploaded(&key, "single", "doc", "ok.txt", vec![b'x'; 1000]);
}

#[test]
fn the_user_quota_is_413_once_used_up() {
    let app = TestApp::spawn_with(&[("NETSMITH_USER_QUOTA_BYTES", "1500")]);
    let key = app.signed_in_user("zqh");
    app.uploaded(&key, "single", "doc", "a.txt", vec![b'a'; 1000]);
    app.upload_file(&key, "single", "doc", "b.txt", vec![b'b'; 1000])
        .assert(
            413,
            json!({"detail": "Storage quota exceeded: only 500 bytes of your quota are left."}),
        );
    // An archive is counted by what it expands to.
    let archive = zip_of(&[("big.txt", &[b'z'; 800])]);
    assert!(archive.len() < 500);
    app.upload_file(&key, "zip", "doc", "z.zip", archive).assert(
        413,
        json!({"detail": "Storage quota exceeded: only 500 bytes of your quota are left."}),
    );
    // Another user has their own quota.
    let other = app.signed_in_user("other");
    app.uploaded(&other, "single", "doc", "b.txt", vec![b'b'; 1000]);
    assert_eq!(app.stored_files().len(), 2);
}

#[test]
fn uploads_that_finish_together_never_pass_the_quota() {
    let app = TestApp::spawn_with(&[
        ("NETSMITH_USER_QUOTA_BYTES", "1000000"),
        ("NETSMITH_MAX_UPLOADS_PER_USER", "0"),
    ]);
    let key = app.signed_in_user("zqh");
    // Eight uploads of 300 KB at once, each fitting the quota alone: three fit together.
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let uploads: Vec<_> = (0..8)
            .map(|i| {
                let (app, key) = (&app, &key);
                scope.spawn(move || {
                    app.upload_file(key, "single", "doc", &format!("{i}.txt"), vec![b'x'; 300_000])
                        .status
                })
            })
            .collect();
        uploads
            .into_iter()
            .map(|u| u.join().expect("upload thread"))
            .collect()
    });
    let stored = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(stored, 3, "{statuses:?}");
    assert!(statuses.iter().all(|s| [201, 413].contains(s)), "{statuses:?}");
    let listed = app.get("/data/list/", Some(&key)).body;
    assert_eq!(listed.as_array().map(Vec::len), Some(3), "{listed}");
    assert_eq!(app.stored_files().len(), 3);
}

#[test]
fn stray_staged_files_are_swept_at_start() {
    let mut app = TestApp::spawn();
    let staging = app.data_dir().join("blobs/.staging/interrupted");
    std::fs::create_dir_all(&staging).expect("folder");
    std::fs::write(staging.join("received"), b"half an upload").expect("file");
    app.restart();
    assert!(!staging.exists());
}

#[test]
fn an_interrupted_upload_leaves_no_row_and_no_file() {
    use std::io::Write;
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    let boundary = "XyZ";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\nsingle\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file_class\"\r\n\r\ndoc\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.bin\"\r\n\r\n"
    );
    let request = format!(
        "POST /data/ HTTP/1.1\r\nHost: {address}\r\nAuthorization: Token {key}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 1000000\r\n\r\n{head}"
    );
    stream.write_all(request.as_bytes()).expect("send head");
    stream.write_all(&[b'h'; 50_000]).expect("send part of the file");
    let wait_for = |done: &dyn Fn(&[String]) -> bool| {
        for _ in 0..50 {
            if done(&app.stored_files()) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    assert!(
        wait_for(&|files| !files.is_empty()),
        "the upload is being received into staging"
    );
    drop(stream);
    // The server notices the broken body and cleans up.
    for _ in 0..50 {
        if app.stored_files().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    assert_eq!(app.get("/data/list/", Some(&key)).body, json!([]));
}
