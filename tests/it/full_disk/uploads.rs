use serde_json::json;

use super::FULL;
use crate::preprocess::picture;
use crate::support::TestApp;
use crate::support::consistency::assert_data_consistent;
use crate::support::small_disk::SmallDisk;
use crate::support::upload::zip_of;

#[test]
fn an_upload_that_does_not_fit_is_507_and_leaves_nothing() {
    let disk = SmallDisk::mount(8);
    let app = TestApp::spawn_on(disk.path(), &[]);
    let key = app.signed_in_user("zqh");
    let kept = app.uploaded(&key, "single", "doc", "kept.txt", b"kept".to_vec());

    app.upload_file(&key, "single", "doc", "big.bin", vec![7; 12 << 20])
        .assert(507, json!({"detail": FULL}));
    assert_data_consistent(&app, &key, &[kept]);

    // Small compressed, too big extracted (every file under 1 MiB: no zip bomb).
    let part = vec![b'z'; 900 << 10];
    let names: Vec<String> = (0..12).map(|i| format!("part-{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), part.as_slice())).collect();
    let archive = zip_of(&entries);
    assert!(archive.len() < 1 << 20);
    app.upload_file(&key, "zip", "doc", "parts.zip", archive)
        .assert(507, json!({"detail": FULL}));
    assert_data_consistent(&app, &key, &[kept]);

    // What fits still does.
    let small = app.uploaded(&key, "single", "doc", "small.bin", vec![1; 1 << 20]);
    assert_data_consistent(&app, &key, &[small, kept]);
}

#[test]
fn with_the_disk_full_reads_are_served_and_writes_are_507() {
    let disk = SmallDisk::mount(8);
    let app = TestApp::spawn_on(disk.path(), &[]);
    let key = app.signed_in_user("zqh");
    let (png, _) = picture(40, 30);
    let photo = app.uploaded(&key, "single", "picture", "photo.png", png.clone());
    let archive = app.uploaded(
        &key,
        "zip",
        "doc",
        "notes.zip",
        zip_of(&[("notes/a.txt", b"alpha")]),
    );
    let filler = disk.fill();

    // Reads.
    assert_data_consistent(&app, &key, &[archive, photo]);
    let (status, _, bytes) = app.get_with(&format!("/data/{photo}/"), &key, &[]);
    assert_eq!((status, bytes), (200, png));
    app.get(&format!("/data/{archive}/"), Some(&key))
        .assert(200, json!({"notes": {"a.txt": "a.txt"}}));
    // Writes that need the disk.
    app.upload_file(&key, "single", "doc", "tiny.txt", b"tiny".to_vec())
        .assert(507, json!({"detail": FULL}));
    app.upload_file(&key, "zip", "doc", "tiny.zip", zip_of(&[("t.txt", b"tiny")]))
        .assert(507, json!({"detail": FULL}));
    app.post_auth(
        "/preprocess/",
        &key,
        json!({"dataId": photo, "operations": [
            {"operationName": "上下翻转", "overlap": true, "value1": null, "value2": null}]}),
    )
    .assert(507, json!({"detail": FULL}));
    assert_data_consistent(&app, &key, &[archive, photo]);

    // Room again: writes work again.
    std::fs::remove_file(filler).expect("free the disk");
    let tiny = app.uploaded(&key, "single", "doc", "tiny.txt", b"tiny".to_vec());
    assert_data_consistent(&app, &key, &[tiny, archive, photo]);
}
