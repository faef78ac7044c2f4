//! Multipart uploads and test fixtures (archives, a local HTTP server).

use std::io::{Read, Write};
use std::net::TcpListener;

use reqwest::Method;
use reqwest::blocking::RequestBuilder;
use reqwest::blocking::multipart::{Form, Part};
use zip::write::SimpleFileOptions;

use super::{Response, TestApp};

impl TestApp {
    /// Uploads bytes as a `single` or `zip` file.
    pub fn upload_file(
        &self,
        token: &str,
        file_type: &str,
        class: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> Response {
        self.send(self.upload_request(token, file_type, class, name, bytes))
    }

    /// The request [`TestApp::upload_file`] sends, to send it elsewhere (another thread).
    pub fn upload_request(
        &self,
        token: &str,
        file_type: &str,
        class: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> RequestBuilder {
        let form = Form::new()
            .text("file_type", file_type.to_owned())
            .text("file_class", class.to_owned())
            .part("file", Part::bytes(bytes).file_name(name.to_owned()));
        self.request(Method::POST, "/data/")
            .header("Authorization", format!("Token {token}"))
            .multipart(form)
    }

    pub fn upload_url(&self, token: &str, class: &str, url: &str) -> Response {
        let form = Form::new()
            .text("file_type", "url")
            .text("file_class", class.to_owned())
            .text("url", url.to_owned());
        self.upload_form(token, form)
    }

    pub fn upload_form(&self, token: &str, form: Form) -> Response {
        self.send(
            self.request(Method::POST, "/data/")
                .header("Authorization", format!("Token {token}"))
                .multipart(form),
        )
    }

    /// Uploads and returns the new id (asserting 201).
    #[track_caller]
    pub fn uploaded(&self, token: &str, file_type: &str, class: &str, name: &str, bytes: Vec<u8>) -> i64 {
        let response = self.upload_file(token, file_type, class, name, bytes);
        assert_eq!(response.status, 201, "{}", response.text);
        response.body["data_id"].as_i64().expect("data_id")
    }

    /// Raw GET with optional extra headers.
    pub fn get_with(
        &self,
        path: &str,
        token: &str,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut request = self
            .request(Method::GET, path)
            .header("Authorization", format!("Token {token}"));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().expect("request sent");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.bytes().expect("body").to_vec())
    }

    /// Every regular file under the data folder's blob store, as relative paths, but
    /// the running servers' locks (`.servers/`), which hold no data.
    pub fn stored_files(&self) -> Vec<String> {
        let root = self.data_dir().join("blobs");
        let mut files: Vec<String> = walk(&root)
            .into_iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|p| !p.starts_with(".servers/"))
            .collect();
        files.sort();
        files
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// A zip archive of `(name, bytes)` entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, options).expect("add folder");
        } else {
            writer.start_file(*name, options).expect("start entry");
            writer.write_all(bytes).expect("write entry");
        }
    }
    writer.finish().expect("finish zip").into_inner()
}

/// A zip with one symbolic link entry.
pub fn zip_with_symlink(name: &str, target: &str) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .add_symlink(name, target, SimpleFileOptions::default())
        .expect("add link");
    writer.finish().expect("finish zip").into_inner()
}

/// A minimal HTTP server on 127.0.0.1 that answers each path with a fixed response.
pub struct LocalServer {
    pub base: String,
}

pub struct Route {
    pub path: &'static str,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl LocalServer {
    pub fn start(routes: Vec<Route>) -> LocalServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut stream = stream;
                let mut buffer = [0u8; 8192];
                let n = stream.read(&mut buffer).unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]);
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, headers, body) = match routes.iter().find(|r| r.path == path) {
                    Some(r) => (r.status, r.headers.clone(), r.body.clone()),
                    None => (404, Vec::new(), b"not found".to_vec()),
                };
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        LocalServer { base }
    }
}
