//! `POST /generation/generate/`: a runnable PyTorch or Keras training script for a
//! model's network (or one sent inline), returned and stored as a `code` upload.

use actix_web::{HttpResponse, post, web};
use codegen::{DataDescription, Framework, parse_shape_value};
use common::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use workbench::{CodeRequest, describe_inline};

use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::messages::{REQUIRED, SHAPE_HELP};
use crate::request::{Json, RequestBody};
use crate::routes::configuration::Configuration;
use crate::state::{AppState, blocking};

#[derive(Serialize, ToSchema)]
pub struct GeneratedCode {
    /// The stored script (class `code`).
    pub data_id: i64,
    /// The script itself.
    pub code: String,
}

/// A model's network, or a configuration sent inline (then `input_shape` and
/// `classes` describe the data when no model does).
#[derive(Deserialize, ToSchema)]
pub struct GenerateRequest {
    #[serde(rename = "modelName")]
    #[schema(min_length = 1, max_length = 100)]
    pub model_name: Option<String>,
    /// `pytorch` or `keras` (any case).
    #[schema(required = true, min_length = 1)]
    pub framework: Option<String>,
    /// Without a model: `[h, w, c]`, `[features]`, `64` or `"28x28x1"`.
    pub input_shape: Option<Value>,
    /// Without a model: class names (a list of at least 2), or how many (a number).
    pub classes: Option<Value>,
    /// Ignored (the data is the model's); read so it is not taken for a configuration field.
    #[serde(rename = "dataId")]
    #[expect(dead_code, reason = "kept out of the inline configuration, never used")]
    pub data_id: Option<i64>,
    #[serde(flatten)]
    pub config: Configuration,
}

impl RequestBody for GenerateRequest {}

impl GenerateRequest {
    /// What to generate from, with every problem of the request recorded in `errors`.
    fn into_request(self, mut errors: FieldErrors) -> Result<CodeRequest, FieldErrors> {
        let framework = self.framework.as_deref().and_then(|text| {
            Framework::parse(text).or_else(|| {
                errors.add(
                    "framework",
                    format!("\"{text}\" is not a valid choice: pytorch or keras."),
                );
                None
            })
        });
        let config = self.config.0;
        let inline = (config.contains_key("net_config") || config.contains_key("net_type"))
            .then_some(Value::Object(config));
        let input = self.input_shape.as_ref().and_then(|v| {
            parse_shape_value(v).or_else(|| {
                errors.add("input_shape", SHAPE_HELP);
                None
            })
        });
        let classes = self.classes.as_ref().and_then(|v| {
            let names = class_names(v);
            if names.is_none() {
                errors.add(
                    "classes",
                    "Enter the class names as a list (at least 2), or how many classes there are.",
                );
            }
            names
        });
        let data: Option<DataDescription> = match (input, classes) {
            (Some(input), Some(classes)) => Some(describe_inline(input, classes)),
            _ => None,
        };
        if self.model_name.is_none() && inline.is_none() && !errors.has("modelName") {
            errors.add("modelName", REQUIRED);
        }
        if self.model_name.is_none() && inline.is_some() && data.is_none() {
            if self.input_shape.is_none() {
                errors.add("input_shape", REQUIRED);
            }
            if self.classes.is_none() {
                errors.add("classes", REQUIRED);
            }
        }
        errors.into_result()?;
        Ok(CodeRequest {
            model_name: self.model_name,
            framework: framework.unwrap_or(Framework::PyTorch),
            inline,
            data,
        })
    }
}

/// A list of at least 2 names (numbers become their text), or a count from 2 up.
fn class_names(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .filter(|n| (2..=100_000).contains(n))
            .map(|n| (0..n).map(|i| i.to_string()).collect()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .filter(|names| names.len() >= 2),
        _ => None,
    }
}

#[utoipa::path(tag = "generation",
    summary = "Runnable PyTorch or Keras training code for a model's network (or an inline configuration), also stored as a code upload",
    security(("token" = [])),
    responses((status = 200, body = GeneratedCode), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody),
              (status = 507, description = "The server's disk is full; the code was not stored", body = DetailBody)))]
#[post("/generation/generate/")]
pub async fn generate(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: Json<GenerateRequest>,
) -> Result<HttpResponse, ApiError> {
    let (body, errors) = body.into_parts()?;
    let request = body.into_request(errors)?;
    let owner = auth.user();
    let generated = blocking(move || Ok(state.bench.generate_code(owner, request)?)).await?;
    Ok(HttpResponse::Ok().json(GeneratedCode {
        data_id: generated.data_id.get(),
        code: generated.code,
    }))
}
