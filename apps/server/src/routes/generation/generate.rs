//! `POST /generation/generate/`: a runnable PyTorch or Keras training script for a
//! model's network, returned and stored as a `code` upload.

use accounts::ValidationErrors;
use actix_web::{HttpResponse, web};
use codegen::NetworkConfig;
use codegen::render::{DataDescription, DataKind as ScriptData, Framework, render};
use dataset::{DataKind, DataSpec};
use datastore::FileClass;
use models::ModelError;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::input::{SHAPE_HELP, parse_shape_value};
use crate::auth::Authenticated;
use crate::body::{Fields, REQUIRED, Text};
use crate::error::{ApiError, error_chain};
use crate::openapi::{DetailBody, ErrorBody};
use crate::state::{AppState, blocking};

/// Request fields that are not part of an inline configuration.
const NOT_CONFIG: [&str; 5] = ["modelName", "framework", "dataId", "input_shape", "classes"];

#[derive(Serialize, ToSchema)]
pub struct GeneratedCode {
    /// The stored script (class `code`).
    pub data_id: i64,
    /// The script itself.
    pub code: String,
}

/// The request body, for the document.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct GenerateBody {
    #[schema(rename = "modelName")]
    pub model_name: Option<String>,
    /// `pytorch` or `keras`.
    pub framework: String,
    /// Without a model: `[h, w, c]` or `[features]`.
    pub input_shape: Option<Vec<u64>>,
    /// Without a model: class names, or how many.
    #[schema(value_type = Option<Object>)]
    pub classes: Option<Value>,
}

/// What the script is generated from.
struct Request {
    model_name: Option<String>,
    framework: Framework,
    inline: Option<Value>,
    data: Option<DataDescription>,
}

fn read(mut fields: Fields) -> Result<Request, ApiError> {
    let model_name = fields.optional("modelName", Text::max(models::service::NAME_MAX));
    let framework =
        fields
            .required("framework", Text::plain())
            .and_then(|text| match Framework::parse(&text) {
                Some(f) => Some(f),
                None => {
                    fields.add_error(
                        "framework",
                        format!("\"{text}\" is not a valid choice: pytorch or keras."),
                    );
                    None
                }
            });
    let body = fields.all().clone();
    let inline = (body.contains_key("net_config") || body.contains_key("net_type")).then(|| {
        Value::Object(
            body.iter()
                .filter(|(k, _)| !NOT_CONFIG.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map<_, _>>(),
        )
    });
    let data = read_inline_data(&body, &mut fields);
    if model_name.is_none() && inline.is_none() && !body.contains_key("modelName") {
        fields.add_error("modelName", REQUIRED);
    }
    if model_name.is_none() && inline.is_some() && data.is_none() {
        for name in ["input_shape", "classes"] {
            if !body.contains_key(name) {
                fields.add_error(name, REQUIRED);
            }
        }
    }
    fields.finish()?;
    Ok(Request {
        model_name,
        framework: framework.unwrap_or(Framework::PyTorch),
        inline,
        data,
    })
}

/// `input_shape` + `classes` describe the data when no model does.
fn read_inline_data(body: &Map<String, Value>, fields: &mut Fields) -> Option<DataDescription> {
    let input = body.get("input_shape").and_then(|v| {
        parse_shape_value(v).or_else(|| {
            fields.add_error("input_shape", SHAPE_HELP);
            None
        })
    });
    let classes: Option<Vec<String>> = body.get("classes").and_then(|v| {
        let names = match v {
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
        };
        if names.is_none() {
            fields.add_error(
                "classes",
                "Enter the class names as a list (at least 2), or how many classes there are.",
            );
        }
        names
    });
    let (input, classes) = (input?, classes?);
    Some(match input {
        codegen::Shape::Image { .. } => DataDescription {
            kind: ScriptData::Images,
            input,
            classes,
            label_column: None,
            feature_columns: Vec::new(),
        },
        codegen::Shape::Vector(n) => DataDescription {
            kind: ScriptData::Csv,
            input,
            classes,
            label_column: Some("label".to_owned()),
            feature_columns: (0..n).map(|i| format!("x{i}")).collect(),
        },
    })
}

fn describe(spec: &DataSpec) -> DataDescription {
    DataDescription {
        kind: match spec.kind {
            DataKind::Images => ScriptData::Images,
            DataKind::Csv => ScriptData::Csv,
        },
        input: spec.input(),
        classes: spec.classes.clone(),
        label_column: spec.label_column.clone(),
        feature_columns: spec.feature_columns.clone(),
    }
}

/// Letters, digits, `-` and `_` only, so the stored name is predictable.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.trim_matches('_').is_empty() {
        "network".to_owned()
    } else {
        stem
    }
}

#[utoipa::path(post, path = "/generation/generate/", tag = "generation",
    summary = "Runnable PyTorch or Keras training code for a model's network (or an inline configuration), also stored as a code upload",
    security(("token" = [])), request_body = GenerateBody,
    responses((status = 200, body = GeneratedCode), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn generate(
    state: web::Data<AppState>,
    auth: Authenticated,
    fields: Fields,
) -> Result<HttpResponse, ApiError> {
    let request = read(fields)?;
    let owner = auth.0.user.id;
    let generated = blocking(move || {
        let model = request
            .model_name
            .as_deref()
            .map(|name| state.models.by_name(owner, name))
            .transpose()?;
        let config_value = match (&request.inline, &model) {
            (Some(inline), _) => inline.clone(),
            (None, Some(model)) => model.config.clone().ok_or_else(|| {
                ApiError::Validation(ValidationErrors::single(
                    "modelName",
                    "This model has no configuration yet: save one with POST /construct/config/ or send it inline.",
                ))
            })?,
            (None, None) => return Err(ApiError::Validation(ValidationErrors::single("modelName", REQUIRED))),
        };
        let config = NetworkConfig::from_value(&config_value)?;
        let data = match (request.data, model.as_ref().and_then(|m| m.data_spec.as_ref())) {
            (Some(data), _) => data,
            (None, Some(spec)) => {
                models::service::check_against(&config, spec)?;
                describe(spec)
            }
            (None, None) => return Err(ModelError::NoData.into()),
        };
        let name = model.as_ref().map_or("network", |m| m.name.as_str());
        let code = render(request.framework, name, &config, &data).map_err(|e| match e {
            codegen::render::RenderError::Shape(shape) => {
                ApiError::from(ModelError::shape(shape, config.middle_layers.len()))
            }
            codegen::render::RenderError::Data(message) => ApiError::Validation(
                ValidationErrors::single("non_field_errors", crate::error::sentence(&message)),
            ),
            other => ApiError::Internal(error_chain(&other)),
        })?;
        let file_name = format!("{}_{}.py", file_stem(name), request.framework.name());
        let staged = state.data.stage()?;
        let clean = datastore::naming::clean_file_name(&file_name);
        if let Err(e) = std::fs::write(staged.join(&clean), &code) {
            state.data.discard(&staged);
            return Err(ApiError::Internal(format!("writing generated code: {e}")));
        }
        let item = state.data.ingest_generated(owner, FileClass::Code, &file_name, &staged, false)?;
        Ok(GeneratedCode { data_id: item.id, code })
    })
    .await?;
    Ok(HttpResponse::Ok().json(generated))
}
