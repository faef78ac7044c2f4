use serde_json::json;

use crate::support::TestApp;

fn csv_item(app: &TestApp, key: &str, bytes: &[u8]) -> i64 {
    app.uploaded(key, "single", "doc", "table.csv", bytes.to_vec())
}

#[test]
fn a_csv_is_served_as_rows_of_strings() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let id = csv_item(
        &app,
        &key,
        b"id,name,add_time,num,price,owner\n1,Java,2017-12-16,2,9,false\n2,Python,2017-12-16,3,9.8,false\n",
    );
    app.get(&format!("/data/{id}/"), Some(&key)).assert(
        200,
        json!([
            {"id": "1", "name": "Java", "add_time": "2017-12-16", "num": "2", "price": "9", "owner": "false"},
            {"id": "2", "name": "Python", "add_time": "2017-12-16", "num": "3", "price": "9.8", "owner": "false"}
        ]),
    );
    let (status, headers, body) = app.get_with(&format!("/data/{id}/?raw=1"), &key, &[]);
    assert_eq!(
        (status, headers["content-type"].to_str().expect("type")),
        (200, "text/csv; charset=utf-8")
    );
    assert!(body.starts_with(b"id,name"));
}

#[test]
fn quotes_bom_bad_bytes_and_ragged_rows_are_handled() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let mut bytes = b"\xef\xbb\xbfname,note,n\n".to_vec();
    bytes.extend_from_slice(b"\"Smith, J\",\"said \"\"hi\"\"\nthen left\",1\n");
    bytes.extend_from_slice(b"caf\xe9,x\n");
    bytes.extend_from_slice(b"a,b,c,d,e\n");
    let id = csv_item(&app, &key, &bytes);
    app.get(&format!("/data/{id}/"), Some(&key)).assert(
        200,
        json!([
            {"name": "Smith, J", "note": "said \"hi\"\nthen left", "n": "1"},
            {"name": "caf\u{fffd}", "note": "x", "n": ""},
            {"name": "a", "note": "b", "n": "c", "_extra": ["d", "e"]}
        ]),
    );
}

#[test]
fn offset_and_limit_page_through_rows() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let mut text = String::from("n\n");
    for i in 0..100 {
        text.push_str(&format!("{i}\n"));
    }
    let id = csv_item(&app, &key, text.as_bytes());
    app.get(&format!("/data/{id}/?offset=10&limit=3"), Some(&key))
        .assert(200, json!([{"n": "10"}, {"n": "11"}, {"n": "12"}]));
    app.get(&format!("/data/{id}/?offset=200"), Some(&key))
        .assert(200, json!([]));
    let all = app.get(&format!("/data/{id}/"), Some(&key));
    assert_eq!(all.body.as_array().map(Vec::len), Some(100));
    app.get(&format!("/data/{id}/?limit=x"), Some(&key))
        .assert(400, json!({"limit": ["A valid integer is required."]}));
}
