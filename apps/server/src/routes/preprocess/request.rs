//! Reading `{"dataId": N, "operations": [...]}` with DRF's messages; per-operation
//! errors come back as a list with one object per operation, as DRF's nested
//! serializers report them.

use preprocess::{RawStep, Step, parse_steps};
use serde_json::{Map, Value, json};

use crate::body::{Fields, MAY_NOT_BE_BLANK, NOT_A_STRING, REQUIRED, python_type};
use crate::error::ApiError;

/// More steps than this in one request are refused.
pub const MAX_STEPS: usize = 50;

pub struct PreprocessRequest {
    pub data_id: i64,
    pub steps: Vec<Step>,
}

pub fn read(mut fields: Fields) -> Result<PreprocessRequest, ApiError> {
    let data_id = fields.required_integer("dataId");
    let operations = fields.value("operations").cloned();
    let raw = match operations {
        None => {
            fields.add_error("operations", REQUIRED);
            None
        }
        Some(Value::Array(items)) if items.is_empty() => {
            fields.add_error("operations", "This list may not be empty.");
            None
        }
        Some(Value::Array(items)) if items.len() > MAX_STEPS => {
            fields.add_error(
                "operations",
                format!("Ensure this field has no more than {MAX_STEPS} elements."),
            );
            None
        }
        Some(Value::Array(items)) => Some(items),
        Some(other) => {
            fields.add_error(
                "operations",
                format!(
                    "Expected a list of items but got type \"{}\".",
                    python_type(&other)
                ),
            );
            None
        }
    };
    let errors = fields.into_errors();
    let steps = raw.map(|items| read_steps(&items)).transpose();
    // Field errors first, as DRF reports every field's errors together.
    match (errors.is_empty(), steps) {
        (true, Ok(Some(steps))) => Ok(PreprocessRequest {
            data_id: data_id.unwrap_or_default(),
            steps,
        }),
        (_, Err(per_item)) => {
            let mut body = Map::new();
            for (field, messages) in errors.iter() {
                body.insert(field.to_owned(), json!(messages));
            }
            body.insert("operations".into(), per_item);
            Err(ApiError::InvalidBody(Value::Object(body)))
        }
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The typed steps, or the per-item error list.
fn read_steps(items: &[Value]) -> Result<Vec<Step>, Value> {
    let mut item_errors: Vec<Map<String, Value>> = vec![Map::new(); items.len()];
    let mut raw_steps = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let errors = &mut item_errors[index];
        let Value::Object(map) = item else {
            errors.insert(
                "non_field_errors".into(),
                json!([format!(
                    "Invalid data. Expected a dictionary, but got {}.",
                    python_type(item)
                )]),
            );
            raw_steps.push(RawStep::default());
            continue;
        };
        let mut add = |field: &str, message: &str| {
            errors.insert(field.to_owned(), json!([message]));
        };
        let operation_name = match map.get("operationName") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                add("operationName", MAY_NOT_BE_BLANK);
                None
            }
            None | Some(Value::Null) => {
                add("operationName", REQUIRED);
                None
            }
            Some(_) => {
                add("operationName", NOT_A_STRING);
                None
            }
        };
        let overlap = match map.get("overlap") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) if matches!(s.to_ascii_lowercase().as_str(), "true" | "1") => Some(true),
            Some(Value::String(s)) if matches!(s.to_ascii_lowercase().as_str(), "false" | "0") => Some(false),
            Some(Value::Number(n)) if n.as_i64() == Some(1) => Some(true),
            Some(Value::Number(n)) if n.as_i64() == Some(0) => Some(false),
            Some(_) => {
                add("overlap", "Must be a valid boolean.");
                None
            }
        };
        let mut number = |field: &str| match map.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| add(field, "A valid number is required."))
                .ok(),
            Some(_) => {
                add(field, "A valid number is required.");
                None
            }
        };
        let (value1, value2) = (number("value1"), number("value2"));
        raw_steps.push(RawStep {
            operation_name,
            overlap,
            value1,
            value2,
        });
    }
    // Steps whose fields already failed are not checked further.
    let checkable: Vec<(usize, RawStep)> = raw_steps
        .into_iter()
        .enumerate()
        .filter(|(i, _)| item_errors[*i].is_empty())
        .collect();
    let only_steps: Vec<RawStep> = checkable.iter().map(|(_, s)| s.clone()).collect();
    let steps = match parse_steps(&only_steps) {
        Ok(steps) => Some(steps),
        Err(step_errors) => {
            for error in step_errors {
                let original = checkable[error.index].0;
                if let Some(messages) = item_errors[original]
                    .entry(error.field)
                    .or_insert_with(|| json!([]))
                    .as_array_mut()
                {
                    messages.push(json!(error.message));
                }
            }
            None
        }
    };
    match steps {
        Some(steps) if item_errors.iter().all(Map::is_empty) => Ok(steps),
        _ => Err(Value::Array(item_errors.into_iter().map(Value::Object).collect())),
    }
}
