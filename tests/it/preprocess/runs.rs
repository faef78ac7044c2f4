use preprocess::ops::Operation;
use serde_json::{Value, json};

use super::{decode, picture};
use crate::support::TestApp;
use crate::support::upload::zip_of;

fn seed_example(data_id: i64) -> Value {
    json!({"dataId": data_id, "operations": [
        {"operationName": "上下翻转", "overlap": true, "value1": null, "value2": null},
        {"operationName": "亮度调整", "overlap": false, "value1": 0.4, "value2": null},
        {"operationName": "中值滤波", "overlap": false, "value1": 5, "value2": 5}
    ]})
}

#[test]
fn the_operation_list_comes_from_the_registry() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let response = app.get("/preprocess/operations/list/", Some(&key));
    assert_eq!(response.status, 200);
    let ops = response.body.as_array().expect("a list");
    assert_eq!(ops.len(), 16);
    assert_eq!(
        ops[0],
        json!({"name": "flip_vertical", "operationName": "上下翻转", "description": "Flip upside down.", "value1": null, "value2": null})
    );
    let median = ops
        .iter()
        .find(|op| op["operationName"] == "中值滤波")
        .expect("median");
    assert_eq!(
        median["value1"],
        json!({"meaning": "window width", "type": "integer", "min": 1.0, "max": 99.0, "default": 3.0, "odd": true})
    );
    let chinese: Vec<&str> = ops.iter().filter_map(|op| op["operationName"].as_str()).collect();
    for name in [
        "上下翻转",
        "左右翻转",
        "旋转",
        "缩放",
        "裁剪",
        "亮度调整",
        "对比度调整",
        "灰度化",
        "二值化",
        "直方图均衡化",
        "中值滤波",
        "均值滤波",
        "高斯滤波",
        "锐化",
        "边缘检测",
        "添加噪声",
    ] {
        assert!(chinese.contains(&name), "{name}");
    }
}

#[test]
fn the_seed_example_on_a_picture_keeps_the_chain_and_the_copies() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (png, image) = picture(40, 30);
    let source = app.uploaded(&key, "single", "picture", "pic.png", png.clone());
    let response = app.post_auth("/preprocess/", &key, seed_example(source));
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(
        (response.body["images"].as_u64(), &response.body["skipped"]),
        (Some(3), &json!([]))
    );
    let result = response.body["data_id"].as_i64().expect("id");
    assert_ne!(result, source);
    app.get(&format!("/data/{result}/"), Some(&key)).assert(
        200,
        json!({"pic.png": "pic.png", "pic_2_brightness.png": "pic_2_brightness.png", "pic_3_median.png": "pic_3_median.png"}),
    );
    let fetch = |name: &str| {
        let (status, _, body) = app.get_with(&format!("/data/{result}/?relative_path={name}"), &key, &[]);
        assert_eq!(status, 200, "{name}");
        decode(&body)
    };
    // The chain goes on from the flip; each copy is made from the flipped picture.
    let flipped = Operation::FlipVertical.apply(&image);
    assert!(fetch("pic.png") == flipped, "main result is the flip");
    assert!(fetch("pic_2_brightness.png") == Operation::Brightness { factor: 0.4 }.apply(&flipped));
    assert!(fetch("pic_3_median.png") == Operation::Median { width: 5, height: 5 }.apply(&flipped));
    assert!(fetch("pic.png") != image, "the flip changed the picture");
    // The source is never changed.
    let (_, _, original) = app.get_with(&format!("/data/{source}/"), &key, &[]);
    assert_eq!(original, png);
}

#[test]
fn a_chain_without_copies_gives_one_picture_and_order_matters() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (png, image) = picture(40, 30);
    let source = app.uploaded(&key, "single", "picture", "pic.png", png);
    let run = |ops: Value| {
        let response = app.post_auth("/preprocess/", &key, json!({"dataId": source, "operations": ops}));
        assert_eq!(response.status, 200, "{}", response.text);
        assert_eq!(response.body["images"], 1);
        let (status, headers, body) =
            app.get_with(&format!("/data/{}/", response.body["data_id"]), &key, &[]);
        assert_eq!(
            (status, headers["content-type"].to_str().expect("type")),
            (200, "image/png")
        );
        decode(&body)
    };
    let flip = json!({"operationName": "flip_vertical", "overlap": true});
    // 11 of 30 rows: the crop is off-centre by half a row, so it does not commute with the flip.
    let crop = json!({"operationName": "裁剪", "overlap": true, "value1": 20, "value2": 11});
    let flip_then_crop = run(json!([flip, crop]));
    let crop_then_flip = run(json!([crop, flip]));
    assert_eq!((flip_then_crop.width, flip_then_crop.height), (20, 11));
    assert!(flip_then_crop != crop_then_flip, "order matters");
    let expected = Operation::Crop {
        width: 20,
        height: 11,
    }
    .apply(&Operation::FlipVertical.apply(&image));
    assert!(flip_then_crop == expected, "flip, then crop");
}

#[test]
fn noise_is_the_same_for_the_same_request() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (png, image) = picture(32, 32);
    let source = app.uploaded(&key, "single", "picture", "pic.png", png);
    let body = json!({"dataId": source, "operations": [{"operationName": "添加噪声", "overlap": true, "value1": 25, "value2": 7}]});
    let mut outputs = Vec::new();
    for _ in 0..2 {
        let response = app.post_auth("/preprocess/", &key, body.clone());
        assert_eq!(response.status, 200, "{}", response.text);
        let (_, _, bytes) = app.get_with(&format!("/data/{}/", response.body["data_id"]), &key, &[]);
        outputs.push(decode(&bytes));
    }
    assert!(
        outputs[0] == outputs[1],
        "the same request gives the same picture"
    );
    assert!(outputs[0] != image, "noise changed the picture");
}

#[test]
fn an_archive_of_class_folders_keeps_its_layout_and_reports_bad_pictures() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (a, _) = picture(16, 16);
    let (b, _) = picture(20, 12);
    let archive = zip_of(&[
        ("digits/0/a.png", &a),
        ("digits/1/b.png", &b),
        ("digits/1/broken.png", b"\x89PNG\r\n\x1a\nnot really"),
        ("digits/README.txt", b"labels are folder names\n"),
    ]);
    let source = app.uploaded(&key, "zip", "picture", "digits.zip", archive);
    let response = app.post_auth("/preprocess/", &key, seed_example(source));
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["images"], 6);
    let skipped = response.body["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["path"], "digits/1/broken.png");
    assert!(skipped[0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
    let result = response.body["data_id"].as_i64().expect("id");
    app.get(&format!("/data/{result}/"), Some(&key)).assert(
        200,
        json!({"digits": {
            "0": {"a.png": "a.png", "a_2_brightness.png": "a_2_brightness.png", "a_3_median.png": "a_3_median.png"},
            "1": {"b.png": "b.png", "b_2_brightness.png": "b_2_brightness.png", "b_3_median.png": "b_3_median.png"},
            "README.txt": "README.txt"
        }}),
    );
    let (_, _, readme) = app.get_with(
        &format!("/data/{result}/?relative_path=digits/README.txt"),
        &key,
        &[],
    );
    assert_eq!(readme, b"labels are folder names\n");
    let row = &app.get("/data/list/", Some(&key)).body[0];
    assert_eq!(
        (row["id"].as_i64(), row["file_type"].as_str()),
        (Some(result), Some("picture"))
    );
}

#[test]
fn the_digits_dataset_is_processed_whole() {
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let archive = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/datasets/digits.zip"
    ))
    .expect("fixture");
    let source = app.uploaded(&key, "zip", "picture", "digits.zip", archive);
    let response = app.post_auth(
        "/preprocess/",
        &key,
        json!({"dataId": source, "operations": [
            {"operationName": "左右翻转", "overlap": false},
            {"operationName": "高斯滤波", "overlap": true, "value1": 3}
        ]}),
    );
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(
        (response.body["images"].as_u64(), &response.body["skipped"]),
        (Some(2 * 1797), &json!([]))
    );
}

#[test]
fn a_multipart_form_may_send_its_operations_as_a_json_part() {
    use reqwest::blocking::multipart::{Form, Part};
    let app = TestApp::spawn();
    let key = app.signed_in_user("zqh");
    let (png, _) = picture(40, 30);
    let source = app.uploaded(&key, "single", "picture", "pic.png", png);
    let send = |operations: Part| {
        let form = Form::new()
            .text("dataId", source.to_string())
            .part("operations", operations);
        app.send(
            app.request(reqwest::Method::POST, "/preprocess/")
                .header("Authorization", format!("Token {key}"))
                .multipart(form),
        )
    };
    let ops = r#"[{"operationName": "flip_vertical", "overlap": true}]"#;
    // As OpenAPI clients encode a list field of a form: a part of type application/json.
    let json_part = Part::text(ops).mime_str("application/json").expect("mime");
    let response = send(json_part);
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.body["images"], 1);
    // The same text as a plain part is a string, as in DRF.
    send(Part::text(ops)).assert(
        400,
        json!({"operations": ["Expected a list of items but got type \"str\"."]}),
    );
}
