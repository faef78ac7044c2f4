use super::{poll, staging_with_output};
use crate::support::TestApp;
use crate::support::consistency::assert_data_consistent;
use crate::support::upload::zip_of;

/// An archive of many small files: extracting it takes long enough to be cut off.
fn many_files(count: usize) -> Vec<u8> {
    let names: Vec<String> = (0..count).map(|i| format!("many/{}/{i}.txt", i / 1000)).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), n.as_bytes())).collect();
    zip_of(&entries)
}

#[test]
fn a_crash_during_zip_extraction_leaves_no_row_and_no_files() {
    let mut app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let kept = app.uploaded(&key, "single", "doc", "kept.txt", b"kept".to_vec());
    let upload = app.upload_request(&key, "zip", "doc", "many.zip", many_files(20_000));
    let sending = std::thread::spawn(move || upload.send());

    let staged = poll("the archive being extracted", || staging_with_output(&app));
    app.kill();
    assert!(
        sending.join().expect("upload thread").is_err(),
        "the upload got no answer"
    );
    assert!(
        staged.exists(),
        "killed while extracting, before the upload was moved into place"
    );

    app.restart();
    assert!(app.log_shows("removed leftovers of interrupted uploads swept=1"));
    assert!(!staged.exists());
    assert_data_consistent(&app, &key, &[kept]);
    // The same archive uploads whole afterwards.
    let again = app.uploaded(&key, "zip", "doc", "many.zip", many_files(20_000));
    let tree = app.get(&format!("/data/{again}/"), Some(&key)).body;
    assert_eq!(tree["many"].as_object().map(|folders| folders.len()), Some(20));
    assert_eq!(
        tree["many"]["19"].as_object().map(|files| files.len()),
        Some(1000)
    );
}
