//! `GET /generation/options/list/` and `GET /generation/options/next/`.

use actix_web::{HttpResponse, get, web};
use codegen::{LayerOption, NetType, Shape, parse_shape_text, registry};
use common::FieldErrors;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use workbench::NextRequest;

use crate::auth::Authenticated;
use crate::error::{ApiError, DetailBody, ErrorBody};
use crate::messages::SHAPE_HELP;
use crate::request::Query;
use crate::routes::models::dto::LayerView;
use crate::state::{AppState, blocking};

/// An engine this server knows, and whether runs may choose it here.
#[derive(Serialize, ToSchema)]
pub struct EngineView {
    /// `builtin` or `pytorch`.
    pub name: &'static str,
    pub available: bool,
    /// Why it is not available.
    pub reason: Option<String>,
    /// The devices it trains on here.
    pub devices: Vec<&'static str>,
    pub max_workers: u64,
}

#[utoipa::path(tag = "generation",
    summary = "Every network type, training parameter and layer kind with its parameters (type, range, default), and the engines this server can run",
    security(("token" = [])),
    responses((status = 200, description = "`{\"net_types\": [...], \"training\": [...], \"layers\": [...], \"engines\": [...]}`"),
              (status = 401, body = DetailBody)))]
#[get("/generation/options/list/")]
pub async fn list(state: web::Data<AppState>, _auth: Authenticated) -> Result<HttpResponse, ApiError> {
    // Asking the PyTorch engine's Python what it has may take seconds, once.
    let engines = blocking(move || Ok(state.bench.engines())).await?;
    let mut body =
        serde_json::to_value(registry()).map_err(|e| ApiError::internal(e.to_string(), "options"))?;
    let engines: Vec<EngineView> = engines
        .into_iter()
        .map(|e| EngineView {
            name: e.name,
            available: e.available,
            reason: e.reason,
            devices: e.devices,
            max_workers: e.max_workers,
        })
        .collect();
    body["engines"] =
        serde_json::to_value(engines).map_err(|e| ApiError::internal(e.to_string(), "options"))?;
    Ok(HttpResponse::Ok().json(body))
}

/// What the guide works from; every parameter is optional.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NextParams {
    /// JSON list of the layers so far, e.g. `[{"layer":"conv","filter":[5,5,6]}]` (default: the model's saved layers, or none).
    pub layers: Option<String>,
    /// A model name: its data gives the input shape, its configuration the net type and layers.
    pub model: Option<String>,
    /// CNN, DNN or logistic (default: the model's, else CNN).
    pub net_type: Option<String>,
    /// Without model data: `28x28x1` or `[64]` (default 28x28x1 for CNN, [784] otherwise).
    pub input_shape: Option<String>,
}

impl NextParams {
    fn into_request(self) -> Result<NextRequest, FieldErrors> {
        let mut errors = FieldErrors::new();
        let layers = self
            .layers
            .and_then(|text| match serde_json::from_str::<Value>(&text) {
                Ok(value) => Some(value),
                Err(e) => {
                    errors.add("layers", format!("JSON parse error - {e}"));
                    None
                }
            });
        let net_type = self.net_type.and_then(|text| {
            NetType::parse(&text).or_else(|| {
                errors.add(
                    "net_type",
                    format!("\"{text}\" is not a valid choice: CNN, DNN or logistic."),
                );
                None
            })
        });
        let input = self.input_shape.and_then(|text| {
            parse_shape_text(&text).or_else(|| {
                errors.add("input_shape", SHAPE_HELP);
                None
            })
        });
        errors.into_result()?;
        Ok(NextRequest {
            layers,
            model: self.model,
            net_type,
            input,
        })
    }
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

#[utoipa::path(tag = "generation",
    summary = "The layer kinds valid after the layers so far, with parameters worked out from the current shape",
    security(("token" = [])), params(NextParams),
    responses((status = 200, body = NextOptions), (status = 400, body = ErrorBody),
              (status = 401, body = DetailBody), (status = 404, body = DetailBody)))]
#[get("/generation/options/next/")]
pub async fn next(
    state: web::Data<AppState>,
    auth: Authenticated,
    query: Query<NextParams>,
) -> Result<HttpResponse, ApiError> {
    let params = query.into_inner()?;
    let request = params.into_request()?;
    let owner = auth.user();
    let next = blocking(move || Ok(state.bench.next_layers(owner, request)?)).await?;
    Ok(HttpResponse::Ok().json(NextOptions {
        net_type: next.net_type.name().to_owned(),
        input_shape: next.input,
        current_shape: next.current,
        layers: next.layers.iter().map(LayerView::from).collect(),
        options: next.options,
    }))
}
