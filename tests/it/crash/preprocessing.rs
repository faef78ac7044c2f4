use serde_json::json;

use super::{poll, staging_with_output};
use crate::preprocess::picture;
use crate::support::TestApp;
use crate::support::consistency::assert_data_consistent;
use crate::support::upload::zip_of;

/// An archive of pictures in ten class folders.
fn pictures(count: usize) -> Vec<u8> {
    let (png, _) = picture(96, 96);
    let names: Vec<String> = (0..count).map(|i| format!("pics/{}/{i}.png", i % 10)).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), png.as_slice())).collect();
    zip_of(&entries)
}

#[test]
fn a_crash_while_preprocessing_an_archive_lists_no_half_result() {
    let mut app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let source = app.uploaded(&key, "zip", "picture", "pics.zip", pictures(3000));
    // Three outputs of every picture, each through a wide window: work for a while.
    let job = app
        .request(reqwest::Method::POST, "/preprocess/")
        .header("Authorization", format!("Token {key}"))
        .json(&json!({"dataId": source, "operations": [
            {"operationName": "中值滤波", "overlap": false, "value1": 9, "value2": 9},
            {"operationName": "高斯滤波", "overlap": false, "value1": 9, "value2": 0},
            {"operationName": "锐化", "overlap": true, "value1": 1, "value2": null}
        ]}));
    let running = std::thread::spawn(move || job.send());

    let staged = poll("the results being written", || staging_with_output(&app));
    app.kill();
    assert!(
        running.join().expect("preprocessing thread").is_err(),
        "the job got no answer"
    );
    assert!(
        staged.exists(),
        "killed while preprocessing, before the result was moved into place"
    );

    app.restart();
    assert!(app.log_shows("removed leftovers of interrupted uploads swept=1"));
    assert!(!staged.exists());
    assert_data_consistent(&app, &key, &[source]);
}
