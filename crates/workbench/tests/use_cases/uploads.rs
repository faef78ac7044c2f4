//! Uploads from URLs and their guard.

use datastore::{FileClass, UploadKind};
use workbench::{UploadSource, WorkbenchError};

use crate::bench::{OWNER, TestBench};

#[test]
fn internal_addresses_are_refused_before_anything_is_fetched() {
    let t = TestBench::new();
    let fetcher = t.bench.fetcher();
    assert_eq!(
        fetcher.parse("http://127.0.0.1:8000/x").expect_err("loopback"),
        "Downloads from the internal address 127.0.0.1 are not allowed."
    );
    assert_eq!(
        fetcher.parse("ftp://example.com/x").expect_err("scheme"),
        "Only http and https URLs can be uploaded."
    );
    assert_eq!(
        fetcher.parse("not a url").expect_err("garbage"),
        "Enter a valid URL."
    );
    assert!(fetcher.parse("https://example.com/data.csv").is_ok());
}

#[test]
fn a_refused_download_leaves_nothing_behind() {
    let t = TestBench::new();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let limit = t.bench.upload_limit(OWNER).expect("limit");
    let pending = t.bench.begin_upload(OWNER, limit).expect("staged");
    // A name that resolves to loopback is refused by the resolver, after the form check.
    let url = url::Url::parse("http://localhost:9/data.csv").expect("url");
    let outcome = runtime.block_on(t.bench.finish_upload(
        pending,
        FileClass::Doc,
        UploadKind::Url,
        UploadSource::Url(url),
    ));
    let Err(WorkbenchError::Url(message)) = outcome else {
        panic!("refused: {outcome:?}");
    };
    assert!(message.contains("localhost"), "{message}");
    assert!(
        t.bench
            .data()
            .list(OWNER, &Default::default())
            .expect("list")
            .is_empty()
    );
    // Staging holds this server's folder (`.staging/<server>/`), and nothing in it.
    let staging = t.dir.path().join("blobs/.staging");
    let staged: usize = std::fs::read_dir(staging)
        .expect("staging")
        .flatten()
        .map(|server| std::fs::read_dir(server.path()).expect("server folder").count())
        .sum();
    assert_eq!(staged, 0, "the staged folder is removed");
}
