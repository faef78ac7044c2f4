//! Parsing the steps of a request against the registry, every problem reported.

use super::error::{Problem, StepError};
use super::table::registry;
use super::{OperationSpec, ParamKind, ParamSpec};
use crate::ops::Operation;
use crate::pipeline::Step;

/// One step of a request as a client sent it.
#[derive(Debug, Clone, Default)]
pub struct RawStep {
    /// The operation's Chinese or (any case) English name; surrounding spaces are ignored.
    pub operation_name: Option<String>,
    /// `true` (the default): the chain goes on from this step's output; `false`: the
    /// output is kept as an extra copy and the chain goes on without it.
    pub overlap: Option<bool>,
    /// The first value; `None` takes the default.
    pub value1: Option<f64>,
    /// The second value; `None` takes the default.
    pub value2: Option<f64>,
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

/// The operation called `name`: its Chinese name exactly, or its English one in any case.
fn find(name: &str) -> Option<&'static OperationSpec> {
    let name = name.trim();
    registry()
        .iter()
        .find(|op| op.chinese == name || op.name.eq_ignore_ascii_case(name))
}

/// One step, or every problem with it (both values are checked before giving up).
fn parse_step(index: usize, raw: &RawStep) -> Result<Step, Vec<StepError>> {
    let error = |problem, field, message: String| {
        vec![StepError {
            index,
            field,
            message,
            problem,
        }]
    };
    let Some(name) = raw.operation_name.as_deref() else {
        return Err(error(
            Problem::OperationRequired,
            "operationName",
            "This field is required.".into(),
        ));
    };
    let Some(spec) = find(name) else {
        let known: Vec<&str> = registry().iter().map(|op| op.chinese).collect();
        return Err(error(
            Problem::UnknownOperation,
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
                Err((problem, message)) => {
                    errors.push(StepError {
                        index,
                        field,
                        message,
                        problem,
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
    let operation =
        build(spec.name, v1, v2).map_err(|(field, message)| error(Problem::ValueRequired, field, message))?;
    Ok(Step {
        operation,
        overlap: raw.overlap.unwrap_or(true),
        name: spec.name,
        chinese: spec.chinese,
    })
}

/// The value to use (given or default), or why the given one is refused.
fn check(
    chinese: &str,
    name: &str,
    param: &ParamSpec,
    given: Option<f64>,
) -> Result<Option<f64>, (Problem, String)> {
    let Some(v) = given else {
        return Ok(param.default);
    };
    let what = format!("{chinese} ({name}): the {}", param.meaning);
    let (lo, hi) = (param.min, param.max);
    if !v.is_finite() || v < lo || v > hi {
        return Err((
            Problem::ValueOutOfRange,
            format!("{what} must be between {lo} and {hi}, not {v}."),
        ));
    }
    if param.kind == ParamKind::Integer && v.fract() != 0.0 {
        return Err((
            Problem::ValueNotInteger,
            format!("{what} must be a whole number, not {v}."),
        ));
    }
    if param.odd && (v as i64) % 2 == 0 {
        return Err((
            Problem::ValueNotOdd,
            format!("{what} must be odd (a window with a centre), not {v}."),
        ));
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
