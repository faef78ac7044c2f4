//! The network configuration inside request bodies.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A network configuration, kept exactly as sent; the codegen crate parses it, and
/// its schema is drawn from the same registry that parser's rules come from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Configuration(pub Map<String, Value>);

impl PartialSchema for Configuration {
    fn schema() -> RefOr<Schema> {
        let registry = codegen::registry();
        let mut object = ObjectBuilder::new().schema_type(Type::Object).description(Some(
            "The network configuration of the original service (see `/generation/options/list/`).",
        ));
        for param in &registry.training {
            let mut property = ObjectBuilder::new().description(Some(param.meaning.clone()));
            property = match param.ty {
                codegen::ParamType::Int => property.schema_type(Type::Integer),
                codegen::ParamType::Float => property.schema_type(Type::Number),
                codegen::ParamType::Choice => property
                    .schema_type(Type::String)
                    .enum_values(Some(param.choices.iter().copied())),
                codegen::ParamType::IntList => property.schema_type(Type::Array),
            };
            if let Some(min) = param.min.as_ref().and_then(Value::as_f64) {
                property = if param.min_exclusive {
                    property.exclusive_minimum(Some(min))
                } else {
                    property.minimum(Some(min))
                };
            }
            if let Some(max) = param.max.as_ref().and_then(Value::as_f64) {
                property = if param.max_exclusive {
                    property.exclusive_maximum(Some(max))
                } else {
                    property.maximum(Some(max))
                };
            }
            if !param.default.is_null() {
                property = property.default(Some(param.default.clone()));
            }
            object = object.property(param.name, property);
            if param.required {
                object = object.required(param.name);
            }
        }
        let kinds: Vec<&str> = registry.layers.iter().map(|l| l.kind).collect();
        let layer = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(
                "layer",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(kinds)),
            )
            .required("layer")
            .description(Some(
                "A layer with its parameters, e.g. `{\"layer\": \"conv\", \"filter\": [2, 2, 10]}`.",
            ));
        let net_config = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("middle_layer", ArrayBuilder::new().items(layer))
            .property(
                "output_layer",
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some("Sized from the data's classes; `{}`.")),
            )
            .description(Some("The layers in order, then the output layer."))
            .examples([json!({"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]}, {"layer": "pool"}, {"layer": "connect"}], "output_layer": {}})]);
        object
            .property("net_config", net_config)
            .required("net_config")
            .into()
    }
}

impl ToSchema for Configuration {}
