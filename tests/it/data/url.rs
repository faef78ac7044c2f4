use serde_json::json;

use crate::support::TestApp;
use crate::support::upload::{LocalServer, Route};

fn local_files() -> LocalServer {
    LocalServer::start(vec![
        Route {
            path: "/files/report%20final.txt",
            status: 200,
            headers: vec![],
            body: b"hello from afar\n".to_vec(),
        },
        Route {
            path: "/go",
            status: 302,
            headers: vec![("Location".into(), "/files/report%20final.txt".into())],
            body: Vec::new(),
        },
        Route {
            path: "/to-metadata",
            status: 302,
            headers: vec![(
                "Location".into(),
                "http://169.254.169.254/latest/meta-data/".into(),
            )],
            body: Vec::new(),
        },
        Route {
            path: "/big",
            status: 200,
            headers: vec![],
            body: vec![b'b'; 5000],
        },
        Route {
            path: "/missing",
            status: 404,
            headers: vec![],
            body: Vec::new(),
        },
    ])
}

#[test]
fn an_allowed_host_is_downloaded_following_redirects() {
    let server = local_files();
    let app = TestApp::spawn_with(&[("NETSMITH_URL_UPLOAD_ALLOWED_HOSTS", "127.0.0.1")]);
    let key = app.signed_in_user("zqh");
    let response = app.upload_url(&key, "doc", &format!("{}/go", server.base));
    assert_eq!(response.status, 201, "{}", response.text);
    let id = response.body["data_id"].as_i64().expect("id");
    let (status, _, body) = app.get_with(&format!("/data/{id}/"), &key, &[]);
    assert_eq!((status, body.as_slice()), (200, &b"hello from afar\n"[..]));
    let row = &app.get("/data/list/", Some(&key)).body[0];
    assert!(
        row["file_name"]
            .as_str()
            .is_some_and(|n| n.starts_with("report final_") && n.ends_with(".txt"))
    );
    assert_eq!(row["upload_type"], "url");
    assert_eq!(
        row["source_url"],
        format!("{}/files/report%20final.txt", server.base)
    );
}

#[test]
fn redirects_to_internal_addresses_and_failures_are_refused() {
    let server = local_files();
    let app = TestApp::spawn_with(&[
        ("NETSMITH_URL_UPLOAD_ALLOWED_HOSTS", "127.0.0.1"),
        ("NETSMITH_MAX_UPLOAD_BYTES", "1000"),
    ]);
    let key = app.signed_in_user("zqh");
    app.upload_url(&key, "doc", &format!("{}/to-metadata", server.base))
        .assert(
            400,
            json!({"url": ["Downloads from the internal address 169.254.169.254 are not allowed."]}),
        );
    app.upload_url(&key, "doc", &format!("{}/missing", server.base))
        .assert(400, json!({"url": ["The URL answered HTTP 404."]}));
    app.upload_url(&key, "doc", &format!("{}/big", server.base))
        .assert(
            413,
            json!({"detail": "The upload is larger than the limit of 1000 bytes."}),
        );
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
}

#[test]
fn internal_addresses_are_refused_by_default() {
    let server = local_files();
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    for (url, ip) in [
        (format!("{}/go", server.base), "127.0.0.1"),
        ("http://10.0.0.1/data.csv".to_owned(), "10.0.0.1"),
        (
            "http://169.254.169.254/latest/meta-data/".to_owned(),
            "169.254.169.254",
        ),
        ("http://[::1]:8000/x".to_owned(), "::1"),
    ] {
        app.upload_url(&key, "doc", &url).assert(
            400,
            json!({"url": [format!("Downloads from the internal address {ip} are not allowed.")]}),
        );
    }
    let port = server.base.rsplit(':').next().expect("port");
    let by_name = app.upload_url(&key, "doc", &format!("http://localhost:{port}/go"));
    assert_eq!(by_name.status, 400, "{}", by_name.text);
    let message = by_name.body["url"][0].as_str().expect("message");
    assert!(
        message.starts_with("Downloads from localhost are not allowed: it resolves to the internal address"),
        "{message}"
    );
    assert!(app.stored_files().is_empty());
}
