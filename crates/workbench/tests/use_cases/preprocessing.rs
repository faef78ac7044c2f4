//! Preprocessing uploads into new uploads.

use datastore::{Content, FileClass, UploadKind};
use preprocess::{RawStep, parse_steps};
use workbench::WorkbenchError;

use crate::bench::{OWNER, TestBench};

fn flip() -> Vec<preprocess::Step> {
    parse_steps(&[RawStep {
        operation_name: Some("上下翻转".into()),
        overlap: Some(true),
        value1: None,
        value2: None,
    }])
    .expect("a valid step")
}

#[test]
fn every_picture_of_an_archive_is_processed_into_a_new_upload() {
    let t = TestBench::new();
    let digits = t.digits();
    let done = t.bench.preprocess(OWNER, digits, flip()).expect("processed");
    assert_eq!(done.images, 1797);
    assert!(done.skipped.is_empty());
    let item = t.bench.data().item(OWNER, done.data_id).expect("the new upload");
    assert_eq!((item.kind, item.class), (UploadKind::Zip, FileClass::Picture));
    assert_eq!(item.original_name, "digits_processed.zip");
    let Content::Folder(folder) = t.bench.data().content(&item).expect("content") else {
        panic!("a folder");
    };
    assert!(folder.join("digits/0/0.png").is_file(), "class folders are kept");
    // The source is unchanged.
    assert_eq!(
        t.bench.data().item(OWNER, digits).expect("source").file_count,
        1797
    );
}

#[test]
fn a_file_that_is_not_a_picture_is_refused_and_nothing_is_stored() {
    let t = TestBench::new();
    let iris = t.iris();
    let before = t
        .bench
        .data()
        .list(OWNER, &Default::default())
        .expect("list")
        .len();
    let refused = t
        .bench
        .preprocess(OWNER, iris, flip())
        .expect_err("not a picture");
    assert!(matches!(refused, WorkbenchError::NotAPicture));
    assert_eq!(
        t.bench
            .data()
            .list(OWNER, &Default::default())
            .expect("list")
            .len(),
        before
    );
}
