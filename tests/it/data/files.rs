use serde_json::json;

use crate::support::TestApp;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\0\0\0\0:~\x9bU\0\0\0\nIDATx\x9cc`\0\0\0\x02\0\x01H\xaf\xa4q\0\0\0\0IEND\xaeB`\x82";

#[test]
fn a_single_file_is_stored_listed_and_served_raw() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let id = app.uploaded(&key, "single", "picture", "DBSCAN算法过程.png", PNG.to_vec());

    let list = app.get("/data/list/", Some(&key));
    assert_eq!(list.status, 200);
    let row = &list.body[0];
    let keys: Vec<&String> = row.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 11);
    assert_eq!(row["id"], id);
    assert_eq!(row["file_type"], "picture");
    assert_eq!(row["owner"], 1);
    assert_eq!(row["upload_type"], "single");
    assert_eq!(row["size"], PNG.len());
    assert_eq!(row["content_type"], "image/png");
    let name = row["file_name"].as_str().expect("name");
    assert!(
        name.starts_with("DBSCAN算法过程_")
            && name.ends_with(".png")
            && name.len() == "DBSCAN算法过程_".len() + 14 + 4,
        "{name}"
    );
    let created = row["created_at"].as_str().expect("time");
    assert_eq!(created.len(), "2018-01-09T06:24:27.185871Z".len(), "{created}");
    assert!(created.ends_with('Z'));

    let (status, headers, body) = app.get_with(&format!("/data/{id}/"), &key, &[]);
    assert_eq!(status, 200);
    assert_eq!(body, PNG);
    assert_eq!(headers["content-type"], "image/png");
    assert!(headers.contains_key("etag") && headers.contains_key("last-modified"));
}

#[test]
fn range_requests_and_conditional_gets_work() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let audio: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let id = app.uploaded(&key, "single", "audio", "song.bin", audio.clone());
    let path = format!("/data/{id}/");

    let (status, headers, body) = app.get_with(&path, &key, &[("Range", "bytes=100-199")]);
    assert_eq!(status, 206);
    assert_eq!(body, &audio[100..200]);
    assert_eq!(headers["content-range"], "bytes 100-199/10000");

    let (status, _, body) = app.get_with(&path, &key, &[("Range", "bytes=-10")]);
    assert_eq!((status, body.as_slice()), (206, &audio[9990..]));

    let (_, headers, _) = app.get_with(&path, &key, &[]);
    let etag = headers["etag"].to_str().expect("etag").to_owned();
    let (status, _, body) = app.get_with(&path, &key, &[("If-None-Match", &etag)]);
    assert_eq!((status, body.len()), (304, 0));
}

#[test]
fn deleting_removes_the_row_and_the_files() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let id = app.uploaded(&key, "single", "code", "train.py", b"print('hi')\n".to_vec());
    assert_eq!(app.stored_files().len(), 1);
    let response = app.send_json(
        reqwest::Method::DELETE,
        &format!("/data/{id}/"),
        Some(&key),
        json!({}),
    );
    response.assert(200, json!({"message": "success"}));
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    app.get(&format!("/data/{id}/"), Some(&key))
        .assert(404, json!({"detail": "Not found."}));
    assert_eq!(app.get("/data/list/", Some(&key)).body, json!([]));
    // Deleting again: 204, nothing to say.
    let again = app.send_json(
        reqwest::Method::DELETE,
        &format!("/data/{id}/"),
        Some(&key),
        json!({}),
    );
    assert_eq!((again.status, again.text.as_str()), (204, ""));
}

#[test]
fn the_list_is_newest_first_and_filters_by_class() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let first = app.uploaded(&key, "single", "code", "a.py", b"a = 1\n".to_vec());
    let second = app.uploaded(&key, "single", "doc", "notes.txt", b"hello\n".to_vec());
    let third = app.uploaded(&key, "single", "code", "b.py", b"b = 2\n".to_vec());
    let ids = |path: &str| -> Vec<i64> {
        let response = app.get(path, Some(&key));
        assert_eq!(response.status, 200, "{}", response.text);
        response
            .body
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["id"].as_i64().expect("id"))
            .collect()
    };
    assert_eq!(ids("/data/list/"), vec![third, second, first]);
    assert_eq!(ids("/data/list/?file_class=code"), vec![third, first]);
    assert_eq!(ids("/data/list/?limit=2"), vec![third, second]);
    assert_eq!(ids("/data/list/?offset=1&limit=1"), vec![second]);
    app.get("/data/list/?file_class=video", Some(&key))
        .assert(400, json!({"file_class": ["\"video\" is not a valid choice."]}));
    app.get("/data/list/?limit=-1", Some(&key)).assert(
        400,
        json!({"limit": ["Ensure this value is greater than or equal to 0."]}),
    );
}

#[test]
fn posting_to_data_list_uploads_too() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let form = reqwest::blocking::multipart::Form::new()
        .text("file_type", "single")
        .text("file_class", "doc")
        .part(
            "file",
            reqwest::blocking::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt"),
        );
    let response = app.send(
        app.request(reqwest::Method::POST, "/data/list/")
            .header("Authorization", format!("Token {key}"))
            .multipart(form),
    );
    assert_eq!(response.status, 201, "{}", response.text);
    assert!(response.body["data_id"].is_i64());
}
