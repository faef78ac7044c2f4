//! `GET /generation/options/list/` and `GET /generation/options/next/`.

use accounts::ValidationErrors;
use actix_web::{HttpResponse, web};
use codegen::{LayerOption, NetType, NetworkConfig, Shape, next_options, registry};
use dataset::DataKind;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::input::{SHAPE_HELP, default_input, parse_shape_text};
use crate::auth::Authenticated;
use crate::error::{ApiError, sentence};
use crate::openapi::{DetailBody, ErrorBody};
use crate::query::QueryParams;
use crate::routes::models::dto::LayerView;
use crate::state::{AppState, blocking};

#[utoipa::path(get, path = "/generation/options/list/", tag = "generation",
    summary = "Every network type, training parameter and layer kind with its parameters (type, range, default)",
    security(("token" = [])),
    responses((status = 200, description = "`{\"net_types\": [...], \"training\": [...], \"layers\": [...]}`"),
              (status = 401, body = DetailBody)))]
pub async fn list(_auth: Authenticated) -> HttpResponse {
    HttpResponse::Ok().json(registry())
}

#[derive(Serialize, ToSchema)]
pub struct NextOptions {
    pub net_type: String,
    /// The network's input.
    #[schema(value_type = Vec<u64>)]
    pub input_shape: Shape,
    /// The shape after the layers so far (what the next layer receives).
    #[schema(value_type = Vec<u64>)]
    pub current_shape: Shape,
    /// The layers so far, with their shapes and parameters.
    pub layers: Vec<LayerView>,
    /// The layer kinds that may come next, with ranges narrowed to `current_shape`.
    #[schema(value_type = Vec<Object>)]
    pub options: Vec<LayerOption>,
}

/// What `next` works from, once the query and the model are read.
struct Start {
    net_type: NetType,
    input: Shape,
    layers: Value,
}

#[utoipa::path(get, path = "/generation/options/next/", tag = "generation",
    summary = "The layer kinds valid after the layers so far, with parameters worked out from the current shape",
    security(("token" = [])),
    params(("layers" = Option<String>, Query, description = "JSON list of the layers so far, e.g. `[{\"layer\":\"conv\",\"filter\":[5,5,6]}]` (default: the model's saved layers, or none)"),
           ("model" = Option<String>, Query, description = "a model name: its data gives the input shape, its configuration the net type and layers"),
           ("net_type" = Option<String>, Query, description = "CNN, DNN or logistic (default: the model's, else CNN)"),
           ("input_shape" = Option<String>, Query, description = "without model data: `28x28x1` or `[64]` (default 28x28x1 for CNN, [784] otherwise)")),
    responses((status = 200, body = NextOptions), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
pub async fn next(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: QueryParams,
) -> Result<HttpResponse, ApiError> {
    let mut errors = ValidationErrors::new();
    let layers = query
        .get("layers")
        .and_then(|text| match serde_json::from_str::<Value>(text) {
            Ok(value) => Some(value),
            Err(e) => {
                errors.add("layers", format!("JSON parse error - {e}"));
                None
            }
        });
    let net_type = query.get("net_type").and_then(|text| {
        NetType::parse(text).or_else(|| {
            errors.add(
                "net_type",
                format!("\"{text}\" is not a valid choice: CNN, DNN or logistic."),
            );
            None
        })
    });
    let input = query.get("input_shape").and_then(|text| {
        parse_shape_text(text).or_else(|| {
            errors.add("input_shape", SHAPE_HELP);
            None
        })
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let model = query.get("model").map(str::to_owned);
    let owner = auth.0.user.id;
    let start = blocking(move || {
        let Some(name) = model else {
            let net_type = net_type.unwrap_or(NetType::Cnn);
            return Ok(Start {
                net_type,
                input: input.unwrap_or_else(|| default_input(net_type)),
                layers: layers.unwrap_or(Value::Array(Vec::new())),
            });
        };
        let model = state.models.by_name(owner, &name)?;
        let saved = model
            .config
            .as_ref()
            .and_then(|c| NetworkConfig::from_value(c).ok());
        let spec = model.data_spec.as_ref();
        let net_type = net_type
            .or(saved.as_ref().map(|c| c.net_type))
            .or(spec.map(|s| match s.kind {
                DataKind::Images => NetType::Cnn,
                DataKind::Csv => NetType::Dnn,
            }))
            .unwrap_or(NetType::Cnn);
        let layers = layers
            .or_else(|| {
                model
                    .config
                    .as_ref()
                    .and_then(|c| c.pointer("/net_config/middle_layer").cloned())
            })
            .unwrap_or(Value::Array(Vec::new()));
        Ok(Start {
            net_type,
            input: spec
                .map(|s| s.input())
                .or(input)
                .unwrap_or_else(|| default_input(net_type)),
            layers,
        })
    })
    .await?;
    let parsed = codegen::parse::parse_layers(&start.layers)?;
    let located = |e: codegen::ShapeError| {
        let field = if e.layer < parsed.len() {
            format!("layers[{}]", e.layer)
        } else {
            "layers".to_owned()
        };
        ApiError::Validation(ValidationErrors::single(&field, sentence(&e.reason)))
    };
    let summaries = codegen::infer_layers(start.net_type, start.input, &parsed).map_err(located)?;
    let options = next_options(start.net_type, start.input, &parsed).map_err(located)?;
    Ok(HttpResponse::Ok().json(NextOptions {
        net_type: start.net_type.name().to_owned(),
        input_shape: start.input,
        current_shape: summaries.last().map_or(start.input, |s| s.output),
        layers: summaries.iter().map(LayerView::from).collect(),
        options,
    }))
}
