//! What a client sees of the stored data, checked against the data folder: after a
//! crash or a full disk, only whole items are listed and every stored file has its row.

use std::path::Path;

use serde_json::Value;

use super::TestApp;

/// The ids the owner's listing shows, newest first.
pub fn listed_ids(app: &TestApp, key: &str) -> Vec<i64> {
    let listing = app.get("/data/list/", Some(key));
    assert_eq!(listing.status, 200, "{}", listing.text);
    listing
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect()
}

/// The data folder agrees with the listing: exactly `expected` are listed, each one is
/// readable (every file inside an archive too), every stored upload folder belongs to a
/// listed item, and nothing is left in staging or trash.
#[track_caller]
pub fn assert_data_consistent(app: &TestApp, key: &str, expected: &[i64]) {
    let listed = listed_ids(app, key);
    assert_eq!(listed, expected, "only complete items are listed");
    for id in &listed {
        assert_readable(app, key, *id);
    }
    let blobs = app.data_dir().join("blobs");
    assert_eq!(server_entries(&blobs.join(".staging")), 0, "staging is empty");
    assert_eq!(server_entries(&blobs.join(".trash")), 0, "trash is empty");
    let upload_folders: usize = std::fs::read_dir(&blobs)
        .expect("the blob store")
        .flatten()
        .filter(|owner| !owner.file_name().to_string_lossy().starts_with('.'))
        .map(|owner| entries(&owner.path()))
        .sum();
    assert_eq!(
        upload_folders,
        listed.len(),
        "every stored upload has its row: {:?}",
        app.stored_files()
    );
}

/// Files of one archive downloaded at most (spread over its tree, first and last
/// included): enough to find a half-written archive, without thousands of requests.
const SAMPLED_FILES: usize = 200;

/// Downloads the upload, and for an archive files from all over its tree.
#[track_caller]
fn assert_readable(app: &TestApp, key: &str, id: i64) {
    let (status, headers, body) = app.get_with(&format!("/data/{id}/"), key, &[]);
    assert_eq!(status, 200, "upload {id} is readable");
    let is_json = headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let tree: Option<Value> = is_json.then(|| serde_json::from_slice(&body).expect("a tree"));
    let Some(tree) = tree.filter(Value::is_object) else {
        assert!(!body.is_empty(), "upload {id} has its bytes");
        return;
    };
    let mut paths = Vec::new();
    leaves(&tree, "", &mut paths);
    assert!(!paths.is_empty(), "archive {id} has files");
    let stride = paths.len().div_ceil(SAMPLED_FILES);
    let last = paths.len() - 1;
    let sampled = paths
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i == last);
    for (_, path) in sampled {
        let (status, _, bytes) = app.get_with(&format!("/data/{id}/?relative_path={path}"), key, &[]);
        assert_eq!(status, 200, "{path} of upload {id} is readable");
        assert!(!bytes.is_empty(), "{path} of upload {id} has its bytes");
    }
}

/// The relative paths of a tree's files (`{"a": {"b.txt": "b.txt"}}` -> `a/b.txt`).
fn leaves(tree: &Value, prefix: &str, out: &mut Vec<String>) {
    for (name, child) in tree.as_object().into_iter().flatten() {
        let path = format!("{prefix}{name}");
        if child.is_object() {
            leaves(child, &format!("{path}/"), out);
        } else {
            out.push(path);
        }
    }
}

/// How many entries a folder has (0 when it is missing).
pub fn entries(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |e| e.count())
}

/// What the servers' folders in `folder` (`.staging` or `.trash`) hold, together.
pub fn server_entries(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |servers| servers.flatten().map(|s| entries(&s.path())).sum())
}
