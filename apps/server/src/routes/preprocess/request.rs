//! `POST /preprocess/`: `{"dataId": N, "operations": [...]}` with DRF's messages;
//! per-operation errors come back as a list with one object per operation, as DRF's
//! nested serializers report them.

use common::{DataId, FieldErrors};
use preprocess::{RawStep, Step, parse_steps};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::error::{ApiError, fields_body};
use crate::request::{MAY_NOT_BE_BLANK, NOT_A_STRING, REQUIRED, RequestBody, python_type};

/// The request: an upload and the operations to run over it, in order.
#[derive(Deserialize, ToSchema)]
pub struct PreprocessRequest {
    /// The picture or archive of pictures to process.
    #[serde(rename = "dataId")]
    #[schema(required = true)]
    pub data_id: Option<i64>,
    /// `[{"operationName": "上下翻转", "overlap": true, "value1": null, "value2": null}, ...]`
    #[schema(required = true, min_items = 1, max_items = 50)]
    pub operations: Option<Vec<Value>>,
}

impl RequestBody for PreprocessRequest {}

impl PreprocessRequest {
    /// The upload and the typed steps; field errors first, as DRF reports every
    /// field's errors together, with the per-operation errors beside them.
    pub fn steps(self, errors: FieldErrors) -> Result<(DataId, Vec<Step>), ApiError> {
        let steps = self.operations.map(|items| read_steps(&items)).transpose();
        match (errors.is_empty(), steps, self.data_id) {
            (true, Ok(Some(steps)), Some(id)) => Ok((DataId(id), steps)),
            (_, Err(per_item), _) => {
                let Value::Object(mut body) = fields_body(&errors) else {
                    return Err(ApiError::nested(per_item));
                };
                body.insert("operations".into(), per_item);
                Err(ApiError::nested(Value::Object(body)))
            }
            _ => Err(errors.into()),
        }
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
