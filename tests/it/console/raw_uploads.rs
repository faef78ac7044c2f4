//! Uploads share the console's origin: a raw file is never sniffed, runs sandboxed, and
//! HTML, SVG, XML and scripts are downloads rather than pages.

use crate::support::TestApp;
use crate::support::upload::zip_of;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\0\0\0\0:~\x9bU\0\0\0\nIDATx\x9cc`\0\0\0\x02\0\x01H\xaf\xa4q\0\0\0\0IEND\xaeB`\x82";
const PAGE: &[u8] = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[track_caller]
fn assert_hardened(headers: &reqwest::header::HeaderMap, disposition: &str) {
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(headers, "content-security-policy"), "sandbox");
    let actual = header(headers, "content-disposition");
    assert!(actual.starts_with(disposition), "{actual}");
}

#[test]
fn documents_and_scripts_are_attachments_and_every_raw_file_is_sandboxed() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("mallory");
    for (name, class) in [
        ("page.html", "doc"),
        ("drawing.svg", "picture"),
        ("feed.xml", "doc"),
        ("tool.js", "code"),
        ("page.xhtml", "doc"),
    ] {
        let body = if name.ends_with(".svg") {
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec()
        } else {
            PAGE.to_vec()
        };
        let id = app.uploaded(&key, "single", class, name, body.clone());
        let (status, headers, served) = app.get_with(&format!("/data/{id}/"), &key, &[]);
        assert_eq!((status, served), (200, body), "{name}");
        assert_hardened(&headers, "attachment");
    }

    // Pictures and text stay inline (previews), but sandboxed and never sniffed.
    let picture = app.uploaded(&key, "single", "picture", "dot.png", PNG.to_vec());
    let (_, headers, _) = app.get_with(&format!("/data/{picture}/"), &key, &[]);
    assert_eq!(header(&headers, "content-type"), "image/png");
    assert_hardened(&headers, "inline");
    let text = app.uploaded(&key, "single", "code", "train.py", b"print('hi')\n".to_vec());
    let (_, headers, _) = app.get_with(&format!("/data/{text}/"), &key, &[]);
    assert_hardened(&headers, "inline");
    // A byte range of a file is hardened as well.
    let (status, headers, _) = app.get_with(&format!("/data/{picture}/"), &key, &[("Range", "bytes=0-3")]);
    assert_eq!(status, 206);
    assert_hardened(&headers, "inline");
}

#[test]
fn files_inside_archives_and_raw_csv_are_hardened_too() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("mallory");
    let archive = zip_of(&[("site/index.html", PAGE), ("site/dot.png", PNG)]);
    let id = app.uploaded(&key, "zip", "code", "site.zip", archive);
    let (status, headers, body) =
        app.get_with(&format!("/data/{id}/?relative_path=site/index.html"), &key, &[]);
    assert_eq!((status, body.as_slice()), (200, PAGE));
    assert_hardened(&headers, "attachment");
    let (_, headers, _) = app.get_with(&format!("/data/{id}/?relative_path=site/dot.png"), &key, &[]);
    assert_hardened(&headers, "inline");

    let csv = app.uploaded(&key, "single", "doc", "table.csv", b"a,b\n1,2\n".to_vec());
    let (status, headers, body) = app.get_with(&format!("/data/{csv}/?raw=1"), &key, &[]);
    assert_eq!((status, body.as_slice()), (200, b"a,b\n1,2\n".as_slice()));
    assert_hardened(&headers, "inline");
    // As JSON rows it is the API's answer, not a file.
    let rows = app.get(&format!("/data/{csv}/"), Some(&key));
    assert_eq!(rows.body, serde_json::json!([{"a": "1", "b": "2"}]));
}
