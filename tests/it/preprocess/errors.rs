use serde_json::json;

use super::picture;
use crate::support::TestApp;

#[test]
fn bad_operations_are_400s_naming_each_one() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (png, _) = picture(8, 8);
    let source = app.uploaded(&key, "single", "picture", "pic.png", png);
    app.post_auth("/preprocess/", &key, json!({"dataId": source, "operations": [
        {"operationName": "上下翻转", "overlap": true},
        {"operationName": "中值滤波", "overlap": false, "value1": 4, "value2": 5},
        {"operationName": "模糊", "overlap": true},
        {"operationName": "缩放", "overlap": "maybe", "value1": -3},
        {"operationName": "旋转", "value1": "abc"},
        "flip"
    ]}))
    .assert(
        400,
        json!({"operations": [
            {},
            {"value1": ["中值滤波 (median): the window width must be odd (a window with a centre), not 4."]},
            {"operationName": ["Unknown operation \"模糊\"; known: 上下翻转, 左右翻转, 旋转, 缩放, 裁剪, 亮度调整, 对比度调整, 灰度化, 二值化, 直方图均衡化, 中值滤波, 均值滤波, 高斯滤波, 锐化, 边缘检测, 添加噪声."]},
            {"overlap": ["Must be a valid boolean."]},
            {"value1": ["A valid number is required."]},
            {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}
        ]}),
    );
    app.post_auth("/preprocess/", &key, json!({"dataId": source, "operations": [{"operationName": "缩放", "value1": 0}]}))
        .assert(400, json!({"operations": [{"value1": ["缩放 (resize): the new width in pixels must be between 1 and 8192, not 0."]}]}));
    // Nothing was created by the refused requests.
    assert_eq!(
        app.get("/data/list/", Some(&key)).body.as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn the_request_itself_is_checked() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    app.post_auth("/preprocess/", &key, json!({})).assert(
        400,
        json!({"dataId": ["This field is required."], "operations": ["This field is required."]}),
    );
    app.post_auth("/preprocess/", &key, json!({"dataId": "x", "operations": []}))
        .assert(400, json!({"dataId": ["A valid integer is required."], "operations": ["This list may not be empty."]}));
    app.post_auth("/preprocess/", &key, json!({"dataId": 1, "operations": {"a": 1}}))
        .assert(
            400,
            json!({"operations": ["Expected a list of items but got type \"dict\"."]}),
        );
}

#[test]
fn sources_must_be_the_users_pictures() {
    let app = TestApp::spawn();
    let alice = app.signed_in_user("alice");
    let bob = app.signed_in_user("bob");
    let (png, _) = picture(8, 8);
    let picture_id = app.uploaded(&alice, "single", "picture", "pic.png", png);
    let csv_id = app.uploaded(&alice, "single", "doc", "t.csv", b"a,b\n1,2\n".to_vec());
    let flip = json!([{"operationName": "上下翻转", "overlap": true}]);
    app.post_auth(
        "/preprocess/",
        &bob,
        json!({"dataId": picture_id, "operations": flip}),
    )
    .assert(404, json!({"detail": "Not found."}));
    app.post_auth("/preprocess/", &alice, json!({"dataId": 999, "operations": flip}))
        .assert(404, json!({"detail": "Not found."}));
    app.post_auth(
        "/preprocess/",
        &alice,
        json!({"dataId": csv_id, "operations": flip}),
    )
    .assert(
        400,
        json!({"dataId": ["This upload is not a picture or an archive of pictures."]}),
    );
    app.get("/preprocess/operations/list/", None).assert(
        401,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}
