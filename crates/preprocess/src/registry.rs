//! Every operation with its names and the meaning, type, range and default of its two
//! values. Requests are parsed against it into typed steps; the list endpoint shows it.

use serde::Serialize;

use crate::ops::Operation;
use crate::pipeline::Step;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    Integer,
    Float,
}

/// One of an operation's two values.
#[derive(Debug, Clone, Serialize)]
pub struct ParamSpec {
    pub meaning: &'static str,
    #[serde(rename = "type")]
    pub kind: ParamKind,
    pub min: f64,
    pub max: f64,
    /// `None`: required, or (where `default_note` says so) derived from the other value.
    pub default: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_note: Option<&'static str>,
    /// Only odd integers (window sizes with a centre).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub odd: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperationSpec {
    /// English name, accepted as `operationName` too.
    pub name: &'static str,
    /// The original service's (Chinese) name.
    #[serde(rename = "operationName")]
    pub chinese: &'static str,
    pub description: &'static str,
    pub value1: Option<ParamSpec>,
    pub value2: Option<ParamSpec>,
}

const fn int(meaning: &'static str, min: f64, max: f64, default: Option<f64>) -> ParamSpec {
    ParamSpec {
        meaning,
        kind: ParamKind::Integer,
        min,
        max,
        default,
        default_note: None,
        odd: false,
    }
}

const fn float(meaning: &'static str, min: f64, max: f64, default: f64) -> ParamSpec {
    ParamSpec {
        meaning,
        kind: ParamKind::Float,
        min,
        max,
        default: Some(default),
        default_note: None,
        odd: false,
    }
}

const fn odd(spec: ParamSpec) -> ParamSpec {
    ParamSpec { odd: true, ..spec }
}

const fn noted(spec: ParamSpec, note: &'static str) -> ParamSpec {
    ParamSpec {
        default_note: Some(note),
        ..spec
    }
}

const SAME_AS_VALUE1: &str = "value1";

/// The registry, in the original service's order.
pub fn registry() -> &'static [OperationSpec] {
    const OPS: &[OperationSpec] = &[
        OperationSpec {
            name: "flip_vertical",
            chinese: "上下翻转",
            description: "Flip upside down.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "flip_horizontal",
            chinese: "左右翻转",
            description: "Mirror left to right.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "rotate",
            chinese: "旋转",
            description: "Rotate about the centre, counter-clockwise, keeping the canvas size (corners outside are black); bilinear.",
            value1: Some(float("angle in degrees, counter-clockwise", -360.0, 360.0, 90.0)),
            value2: None,
        },
        OperationSpec {
            name: "resize",
            chinese: "缩放",
            description: "Scale to a new size; bilinear.",
            value1: Some(int("new width in pixels", 1.0, 8192.0, None)),
            value2: Some(noted(
                int("new height in pixels", 1.0, 8192.0, None),
                "keeps the aspect ratio",
            )),
        },
        OperationSpec {
            name: "crop",
            chinese: "裁剪",
            description: "Cut out the centre; a side larger than the image keeps the image's.",
            value1: Some(int("width in pixels", 1.0, 8192.0, None)),
            value2: Some(noted(int("height in pixels", 1.0, 8192.0, None), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "brightness",
            chinese: "亮度调整",
            description: "Multiply every colour sample by a factor (1 keeps the image, 0 is black).",
            value1: Some(float("factor", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "contrast",
            chinese: "对比度调整",
            description: "Move samples away from (factor > 1) or towards (factor < 1) the image's mean gray.",
            value1: Some(float("factor", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "grayscale",
            chinese: "灰度化",
            description: "Gray from RGB with the BT.601 weights (0.299, 0.587, 0.114); alpha is kept.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "threshold",
            chinese: "二值化",
            description: "Gray, then samples above the threshold become the maximum and the rest 0.",
            value1: Some(int("threshold", 0.0, 255.0, Some(127.0))),
            value2: Some(int("maximum value", 0.0, 255.0, Some(255.0))),
        },
        OperationSpec {
            name: "equalize",
            chinese: "直方图均衡化",
            description: "Spread each channel's histogram over the full range.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "median",
            chinese: "中值滤波",
            description: "Median of a value1 x value2 window (edges repeat the border).",
            value1: Some(odd(int("window width", 1.0, 99.0, Some(3.0)))),
            value2: Some(noted(odd(int("window height", 1.0, 99.0, None)), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "mean",
            chinese: "均值滤波",
            description: "Mean of a value1 x value2 window (edges mirror the border).",
            value1: Some(int("window width", 1.0, 99.0, Some(3.0))),
            value2: Some(noted(int("window height", 1.0, 99.0, None), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "gaussian",
            chinese: "高斯滤波",
            description: "Gaussian blur with a square kernel (edges mirror the border).",
            value1: Some(odd(int("kernel size", 1.0, 99.0, Some(3.0)))),
            value2: Some(noted(
                float("sigma (0: from the kernel size, as OpenCV)", 0.0, 50.0, 0.0),
                "0",
            )),
        },
        OperationSpec {
            name: "sharpen",
            chinese: "锐化",
            description: "Sharpen with the 3x3 kernel [0,-a,0; -a,1+4a,-a; 0,-a,0].",
            value1: Some(float("amount a", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "edges",
            chinese: "边缘检测",
            description: "Canny edge detection on the gray image (white edges on black).",
            value1: Some(float("low hysteresis threshold", 0.0, 2000.0, 100.0)),
            value2: Some(float("high hysteresis threshold", 0.0, 2000.0, 200.0)),
        },
        OperationSpec {
            name: "noise",
            chinese: "添加噪声",
            description: "Add Gaussian noise; the same seed gives the same result.",
            value1: Some(float("standard deviation", 0.0, 255.0, 10.0)),
            value2: Some(int("seed", 0.0, 4_294_967_295.0, Some(0.0))),
        },
    ];
    OPS
}

/// One step of a request as a client sent it.
#[derive(Debug, Clone, Default)]
pub struct RawStep {
    pub operation_name: Option<String>,
    pub overlap: Option<bool>,
    pub value1: Option<f64>,
    pub value2: Option<f64>,
}

/// What is wrong with one step: its index in the request, the field and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("operation {index}, {field}: {message}")]
pub struct StepError {
    pub index: usize,
    pub field: &'static str,
    pub message: String,
}

/// Parses every step; all problems are reported, each with its step's index.
pub fn parse_steps(raw: &[RawStep]) -> Result<Vec<Step>, Vec<StepError>> {
    let mut steps = Vec::with_capacity(raw.len());
    let mut errors = Vec::new();
    for (index, step) in raw.iter().enumerate() {
        match parse_step(index, step) {
            Ok(step) => steps.push(step),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() { Ok(steps) } else { Err(errors) }
}

fn find(name: &str) -> Option<&'static OperationSpec> {
    let name = name.trim();
    registry()
        .iter()
        .find(|op| op.chinese == name || op.name.eq_ignore_ascii_case(name))
}

fn parse_step(index: usize, raw: &RawStep) -> Result<Step, Vec<StepError>> {
    let error = |field, message: String| {
        vec![StepError {
            index,
            field,
            message,
        }]
    };
    let Some(name) = raw.operation_name.as_deref() else {
        return Err(error("operationName", "This field is required.".into()));
    };
    let Some(spec) = find(name) else {
        let known: Vec<&str> = registry().iter().map(|op| op.chinese).collect();
        return Err(error(
            "operationName",
            format!("Unknown operation \"{name}\"; known: {}.", known.join(", ")),
        ));
    };
    let mut errors = Vec::new();
    let mut value =
        |field: &'static str, spec_value: &Option<ParamSpec>, given: Option<f64>| -> Option<f64> {
            let param = spec_value.as_ref()?;
            match check(spec.chinese, spec.name, param, given) {
                Ok(v) => v,
                Err(message) => {
                    errors.push(StepError {
                        index,
                        field,
                        message,
                    });
                    None
                }
            }
        };
    let v1 = value("value1", &spec.value1, raw.value1);
    let v2 = value("value2", &spec.value2, raw.value2);
    if !errors.is_empty() {
        return Err(errors);
    }
    let operation = build(spec.name, v1, v2).map_err(|(field, message)| error(field, message))?;
    Ok(Step {
        operation,
        overlap: raw.overlap.unwrap_or(true),
        name: spec.name,
        chinese: spec.chinese,
    })
}

/// The value to use (given or default), or why the given one is refused.
fn check(chinese: &str, name: &str, param: &ParamSpec, given: Option<f64>) -> Result<Option<f64>, String> {
    let Some(v) = given else {
        return Ok(param.default);
    };
    let what = format!("{chinese} ({name}): the {}", param.meaning);
    let (lo, hi) = (param.min, param.max);
    if !v.is_finite() || v < lo || v > hi {
        return Err(format!("{what} must be between {lo} and {hi}, not {v}."));
    }
    if param.kind == ParamKind::Integer && v.fract() != 0.0 {
        return Err(format!("{what} must be a whole number, not {v}."));
    }
    if param.odd && (v as i64) % 2 == 0 {
        return Err(format!("{what} must be odd (a window with a centre), not {v}."));
    }
    Ok(Some(v))
}

/// The typed operation from checked values; `Err` for a required value left out.
fn build(name: &str, v1: Option<f64>, v2: Option<f64>) -> Result<Operation, (&'static str, String)> {
    let required = |v: Option<f64>, field: &'static str| {
        v.ok_or((field, "This value is required for this operation.".to_owned()))
    };
    let u = |v: f64| v as u32;
    Ok(match name {
        "flip_vertical" => Operation::FlipVertical,
        "flip_horizontal" => Operation::FlipHorizontal,
        "rotate" => Operation::Rotate {
            degrees: required(v1, "value1")? as f32,
        },
        "resize" => {
            let width = u(required(v1, "value1")?);
            // 0 marks "keep the aspect ratio", resolved per image.
            Operation::Resize {
                width,
                height: v2.map(u).unwrap_or(0),
            }
        }
        "crop" => {
            let width = u(required(v1, "value1")?);
            Operation::Crop {
                width,
                height: v2.map(u).unwrap_or(width),
            }
        }
        "brightness" => Operation::Brightness {
            factor: required(v1, "value1")? as f32,
        },
        "contrast" => Operation::Contrast {
            factor: required(v1, "value1")? as f32,
        },
        "grayscale" => Operation::Grayscale,
        "threshold" => Operation::Threshold {
            threshold: required(v1, "value1")? as u8,
            max_value: required(v2, "value2")? as u8,
        },
        "equalize" => Operation::Equalize,
        "median" | "mean" => {
            let width = u(required(v1, "value1")?);
            let height = v2.map(u).unwrap_or(width);
            if name == "median" {
                Operation::Median { width, height }
            } else {
                Operation::Mean { width, height }
            }
        }
        "gaussian" => Operation::Gaussian {
            size: u(required(v1, "value1")?),
            sigma: v2.unwrap_or(0.0) as f32,
        },
        "sharpen" => Operation::Sharpen {
            amount: required(v1, "value1")? as f32,
        },
        "edges" => Operation::Edges {
            low: required(v1, "value1")? as f32,
            high: required(v2, "value2")? as f32,
        },
        _ => Operation::Noise {
            sigma: required(v1, "value1")? as f32,
            seed: required(v2, "value2")? as u64,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
