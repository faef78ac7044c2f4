use std::time::{Duration, SystemTime};

use crate::support::TestApp;
use crate::support::consistency::assert_data_consistent;

#[test]
fn upload_files_whose_row_was_never_written_are_swept_at_start() {
    let mut app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let kept = app.uploaded(&key, "single", "doc", "kept.txt", b"kept".to_vec());
    let owner = app.get("/rest-auth/user/", Some(&key)).body["pk"]
        .as_i64()
        .expect("pk");
    // What a stop between moving an upload into place and recording it leaves: a
    // folder of files no row names, a while ago.
    let orphan = app
        .data_dir()
        .join(format!("blobs/{owner}/0123456789abcdef01234567"));
    std::fs::create_dir_all(&orphan).expect("folder");
    std::fs::write(orphan.join("photo_20260101000000.png"), b"bytes").expect("file");
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::open(&orphan)
        .and_then(|folder| folder.set_modified(an_hour_ago))
        .expect("age the folder");
    // One moved into place just now may still be getting its row: it stays.
    let fresh = app
        .data_dir()
        .join(format!("blobs/{owner}/fresh0123456789abcdef0123"));
    std::fs::create_dir_all(&fresh).expect("folder");

    app.restart();
    assert!(app.log_shows("removed leftovers of interrupted uploads swept=1"));
    assert!(!orphan.exists(), "the unrecorded upload is swept");
    assert!(fresh.exists(), "a fresh one is left alone");
    std::fs::remove_dir(&fresh).expect("remove it");
    assert_data_consistent(&app, &key, &[kept]);
}
