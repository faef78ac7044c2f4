//! Generating training scripts and guiding the next layer.

use codegen::Framework;
use datastore::FileClass;
use serde_json::json;
use workbench::{CodeRequest, NextRequest, WorkbenchError, describe_inline};

use crate::bench::{OWNER, TestBench, cnn};

#[test]
fn a_models_network_becomes_a_stored_script() {
    let t = TestBench::new();
    let digits = t.digits();
    t.bench
        .models()
        .create(OWNER, "digits", Some(digits))
        .expect("created");
    let request = CodeRequest {
        model_name: Some("digits".into()),
        framework: Framework::PyTorch,
        inline: None,
        data: None,
    };
    let refused = t
        .bench
        .generate_code(OWNER, request.clone())
        .expect_err("no configuration");
    assert!(matches!(
        refused,
        WorkbenchError::NoConfiguration { inline_allowed: true }
    ));
    t.bench
        .save_config(OWNER, "digits", cnn(10), None)
        .expect("saved");
    let generated = t.bench.generate_code(OWNER, request).expect("generated");
    assert!(generated.code.contains("nn.Conv2d(1, 10"), "{}", generated.code);
    let item = t.bench.data().item(OWNER, generated.data_id).expect("stored");
    assert_eq!(item.class, FileClass::Code);
    assert!(
        item.original_name.starts_with("digits_pytorch"),
        "{}",
        item.original_name
    );
}

#[test]
fn an_inline_configuration_is_generated_for_the_data_described() {
    let t = TestBench::new();
    let generated = t
        .bench
        .generate_code(
            OWNER,
            CodeRequest {
                model_name: None,
                framework: Framework::Keras,
                inline: Some(serde_json::Value::Object(cnn(10))),
                data: Some(describe_inline(
                    codegen::Shape::Image { h: 28, w: 28, c: 1 },
                    (0..10).map(|d| d.to_string()).collect(),
                )),
            },
        )
        .expect("generated");
    assert!(generated.code.contains("keras"), "{}", generated.code);
}

#[test]
fn the_guide_offers_what_fits_after_the_layers_so_far() {
    let t = TestBench::new();
    let digits = t.digits();
    t.bench
        .models()
        .create(OWNER, "digits", Some(digits))
        .expect("created");
    let next = t
        .bench
        .next_layers(
            OWNER,
            NextRequest {
                model: Some("digits".into()),
                layers: Some(json!([{"layer": "conv", "filter": [2, 2, 10]}])),
                ..NextRequest::default()
            },
        )
        .expect("options");
    assert_eq!(next.input, codegen::Shape::Image { h: 8, w: 8, c: 1 });
    assert_eq!(next.current, codegen::Shape::Image { h: 8, w: 8, c: 10 });
    assert!(next.options.iter().any(|o| o.kind == "pool"));
    let refused = t
        .bench
        .next_layers(
            OWNER,
            NextRequest {
                layers: Some(json!([{"layer": "connect"}, {"layer": "conv", "filter": [2, 2, 4]}])),
                ..NextRequest::default()
            },
        )
        .expect_err("conv after connect");
    assert!(
        matches!(refused, WorkbenchError::Layers { index: Some(1), .. }),
        "{refused:?}"
    );
}
