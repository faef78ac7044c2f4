//! The console's page and files: the same page for `/`, `/app/...` and the two mail
//! links, under a strict CSP; hashed files cached for a year and sent gzip-compressed.

use reqwest::Method;

use crate::support::TestApp;

fn fetch(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.request(Method::GET, path);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().expect("body").to_vec())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The files the page loads: `src="/app/..."` and `href="/app/..."`.
fn referenced_files(page: &str) -> Vec<String> {
    page.split(['"', '\''])
        .filter(|part| part.starts_with("/app/") && part.contains('.'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_console_page_answers_its_paths_under_a_strict_policy() {
    let app = TestApp::spawn();
    let (status, headers, body) = fetch(&app, "/", &[]);
    assert_eq!(status, 200);
    let page = String::from_utf8(body.clone()).expect("utf-8");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "x-frame-options"), "DENY");
    let csp = header(&headers, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    // Nothing inline that the policy would have to allow.
    assert!(
        !page.contains("<style") && !page.contains("style="),
        "inline style in {page}"
    );
    for script in page.split("<script").skip(1) {
        assert!(
            script.split('>').next().unwrap_or_default().contains("src="),
            "inline script in {page}"
        );
    }
    if page.contains("/app/assets/") {
        assert!(page.contains("<div id=\"app\">"), "{page}");
    } else {
        // Compiled without web/dist: the page says how to build the console.
        assert!(
            page.contains("make run") && page.contains("npm run build"),
            "{page}"
        );
    }

    for path in [
        "/app/",
        "/app/data/",
        "/app/models/12/",
        "/app/runs/3",
        "/verify-email/Mzo1c2ZrZXk/",
        "/password-reset/confirm/MQ/c4x9-5f1e2a/",
    ] {
        let (status, headers, same) = fetch(&app, path, &[]);
        assert_eq!((status, same == body), (200, true), "{path}");
        assert_eq!(header(&headers, "content-security-policy"), csp, "{path}");
    }

    // Revalidation: the same page is a 304.
    let etag = header(&headers, "etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let (status, _, empty) = fetch(&app, "/", &[("If-None-Match", &etag)]);
    assert_eq!((status, empty.len()), (304, 0));
    let head = app.send(app.request(Method::HEAD, "/"));
    assert_eq!(head.status, 200);
}

#[test]
fn hashed_files_are_immutable_and_sent_compressed() {
    let app = TestApp::spawn();
    let (_, _, body) = fetch(&app, "/", &[]);
    let page = String::from_utf8(body).expect("utf-8");
    let files = referenced_files(&page);
    for file in &files {
        let (status, headers, plain) = fetch(&app, file, &[]);
        assert_eq!(status, 200, "{file}");
        assert!(header(&headers, "vary").contains("Accept-Encoding"), "{file}");
        assert!(header(&headers, "content-encoding").is_empty(), "{file}");
        let kind = header(&headers, "content-type");
        if file.ends_with(".js") {
            assert_eq!(kind, "text/javascript; charset=utf-8");
        } else if file.ends_with(".css") {
            assert_eq!(kind, "text/css; charset=utf-8");
        }
        if file.starts_with("/app/assets/") {
            assert_eq!(
                header(&headers, "cache-control"),
                "public, max-age=31536000, immutable",
                "{file}"
            );
            let (_, zipped_headers, zipped) = fetch(&app, file, &[("Accept-Encoding", "br, gzip")]);
            assert_eq!(header(&zipped_headers, "content-encoding"), "gzip", "{file}");
            assert_eq!(&zipped[..2], b"\x1f\x8b", "{file} is gzip");
            assert!(zipped.len() < plain.len(), "{file}");
            let (_, refused, _) = fetch(&app, file, &[("Accept-Encoding", "gzip;q=0")]);
            assert!(header(&refused, "content-encoding").is_empty(), "{file}");
        } else {
            assert_eq!(header(&headers, "cache-control"), "no-cache", "{file}");
        }
    }
    if page.contains("/app/assets/") {
        assert!(
            files.iter().any(|f| f.ends_with(".js")) && files.iter().any(|f| f.ends_with(".css")),
            "{files:?}"
        );
    }
}
