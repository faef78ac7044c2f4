//! The registry's contents and the parsing of steps, with their messages and codes.

use common::ErrorCode;

use super::*;
use crate::ops::Operation;

fn raw(name: &str, v1: Option<f64>, v2: Option<f64>) -> RawStep {
    RawStep {
        operation_name: Some(name.into()),
        overlap: Some(true),
        value1: v1,
        value2: v2,
    }
}

#[test]
fn there_are_sixteen_operations_with_unique_names() {
    let ops = registry();
    assert_eq!(ops.len(), 16);
    for (i, a) in ops.iter().enumerate() {
        for b in &ops[i + 1..] {
            assert!(a.name != b.name && a.chinese != b.chinese);
        }
    }
}

#[test]
fn the_seed_example_parses() {
    let steps = parse_steps(&[
        raw("上下翻转", None, None),
        RawStep {
            overlap: Some(false),
            ..raw("亮度调整", Some(0.4), None)
        },
        RawStep {
            overlap: Some(false),
            ..raw("中值滤波", Some(5.0), Some(5.0))
        },
    ])
    .expect("valid");
    assert_eq!(steps[0].operation, Operation::FlipVertical);
    assert_eq!(steps[1].operation, Operation::Brightness { factor: 0.4 });
    assert!(!steps[1].overlap);
    assert_eq!(steps[2].operation, Operation::Median { width: 5, height: 5 });
}

#[test]
fn english_names_and_defaults_work() {
    let steps = parse_steps(&[raw("Median", None, None), raw("crop", Some(10.0), None)]).expect("valid");
    assert_eq!(steps[0].operation, Operation::Median { width: 3, height: 3 });
    assert_eq!(
        steps[1].operation,
        Operation::Crop {
            width: 10,
            height: 10
        }
    );
}

#[test]
fn bad_steps_name_their_index_and_field() {
    let errors = parse_steps(&[
        raw("上下翻转", None, None),
        raw("中值滤波", Some(4.0), None),
        raw("模糊", None, None),
        raw("缩放", Some(-3.0), None),
        raw("缩放", None, None),
    ])
    .expect_err("invalid");
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.index, e.field)).collect();
    assert_eq!(
        found,
        vec![(1, "value1"), (2, "operationName"), (3, "value1"), (4, "value1")]
    );
    assert_eq!(
        errors[0].message,
        "中值滤波 (median): the window width must be odd (a window with a centre), not 4."
    );
    assert_eq!(
        errors[2].message,
        "缩放 (resize): the new width in pixels must be between 1 and 8192, not -3."
    );
}

#[test]
fn each_problem_has_its_own_code() {
    let errors = parse_steps(&[
        RawStep::default(),
        raw("模糊", None, None),
        raw("缩放", Some(-3.0), None),
        raw("缩放", Some(2.5), None),
        raw("中值滤波", Some(4.0), None),
        raw("缩放", None, None),
    ])
    .expect_err("invalid");
    let codes: Vec<&str> = errors.iter().map(ErrorCode::code).collect();
    assert_eq!(
        codes,
        vec![
            "step_operation_required",
            "step_unknown_operation",
            "step_value_out_of_range",
            "step_value_not_integer",
            "step_value_not_odd",
            "step_value_required",
        ]
    );
}
