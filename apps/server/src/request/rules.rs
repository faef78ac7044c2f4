//! The rules a request's fields are read by, taken from the OpenAPI document of the
//! request type itself — so what the document says is what the server accepts. Each
//! top-level field is checked as a DRF serializer field of its type would be, and
//! converted (strings trimmed, numbers from numeric text); nested objects and lists
//! are passed on for the domain's own parser.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use common::FieldErrors;
use serde_json::{Map, Number, Value};
use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::{RefOr, Required, path::Parameter};

use crate::messages::*;

/// How one field's value is read.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Text {
        min_length: Option<usize>,
        max_length: Option<usize>,
    },
    /// One of a list of strings.
    Choice(Vec<String>),
    Integer {
        minimum: Option<f64>,
        maximum: Option<f64>,
    },
    Number {
        minimum: Option<f64>,
        maximum: Option<f64>,
    },
    Boolean,
    /// A list (its items are the domain's to check).
    List {
        min_items: Option<usize>,
        max_items: Option<usize>,
    },
    /// A file part of a multipart form.
    File,
    /// Objects, lists and references: the domain parses them.
    Any,
}

#[derive(Debug, Clone, PartialEq)]
struct FieldRule {
    name: String,
    kind: Kind,
    required: bool,
    nullable: bool,
}

/// Every top-level field of a request, in the document's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    fields: Vec<FieldRule>,
}

fn number(n: &utoipa::Number) -> f64 {
    match *n {
        utoipa::Number::Int(i) => i as f64,
        utoipa::Number::UInt(u) => u as f64,
        utoipa::Number::Float(f) => f,
    }
}

/// The schemas a request type refers to by name (enums, file fields, ...).
pub type Referenced = [(String, RefOr<Schema>)];

/// The value type of a schema and whether `null` is allowed.
fn kind_of(schema: &RefOr<Schema>, referenced: &Referenced) -> (Kind, bool) {
    let object = match schema {
        RefOr::Ref(reference) => {
            let name = reference.ref_location.rsplit('/').next().unwrap_or_default();
            return match referenced.iter().find(|(n, _)| n == name) {
                Some((_, target)) => kind_of(target, referenced),
                None => (Kind::Any, false),
            };
        }
        RefOr::T(Schema::Object(object)) => object,
        RefOr::T(Schema::Array(array)) => {
            let nullable = matches!(&array.schema_type, SchemaType::Array(t) if t.contains(&Type::Null));
            return (
                Kind::List {
                    min_items: array.min_items,
                    max_items: array.max_items,
                },
                nullable,
            );
        }
        // `Option<T>` of a non-primitive `T`: `null`, or `T`.
        RefOr::T(Schema::OneOf(one_of)) => {
            let mut nullable = false;
            let mut kinds = Vec::new();
            for item in &one_of.items {
                match kind_of(item, referenced) {
                    (Kind::Any, true) => nullable = true,
                    (kind, item_nullable) => {
                        nullable |= item_nullable;
                        kinds.push(kind);
                    }
                }
            }
            return match <[Kind; 1]>::try_from(kinds) {
                Ok([kind]) => (kind, nullable),
                Err(_) => (Kind::Any, nullable),
            };
        }
        _ => return (Kind::Any, false),
    };
    if let Some(choices) = &object.enum_values {
        let names: Vec<String> = choices
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let nullable = choices.contains(&Value::Null)
            || matches!(&object.schema_type, SchemaType::Array(t) if t.contains(&Type::Null));
        return (Kind::Choice(names), nullable);
    }
    let types: Vec<&Type> = match &object.schema_type {
        SchemaType::Type(t) => vec![t],
        SchemaType::Array(types) => types.iter().collect(),
        SchemaType::AnyValue => return (Kind::Any, true),
    };
    if types == [&Type::Null] {
        return (Kind::Any, true);
    }
    let nullable = types.contains(&&Type::Null);
    let kind = match types.into_iter().find(|t| **t != Type::Null) {
        Some(Type::String) if object.format == Some(SchemaFormat::KnownFormat(KnownFormat::Binary)) => {
            Kind::File
        }
        Some(Type::String) => Kind::Text {
            min_length: object.min_length,
            max_length: object.max_length,
        },
        Some(Type::Integer) => Kind::Integer {
            minimum: bound(object, true),
            maximum: bound(object, false),
        },
        Some(Type::Number) => Kind::Number {
            minimum: bound(object, true),
            maximum: bound(object, false),
        },
        Some(Type::Boolean) => Kind::Boolean,
        _ => Kind::Any,
    };
    (kind, nullable)
}

fn bound(object: &Object, lower: bool) -> Option<f64> {
    if lower {
        object.minimum.as_ref()
    } else {
        object.maximum.as_ref()
    }
    .map(number)
}

impl Rules {
    /// The rules of a request body's schema: its own properties (parts flattened in
    /// from other types are the domain's to check). Top-level fields never take `null`
    /// unless the type says so outside `Option` (the document is cleaned the same way).
    pub fn of_body(schema: &RefOr<Schema>, referenced: &Referenced) -> Self {
        let mut rules = Self::default();
        let mut add = |object: &Object| {
            for (name, property) in &object.properties {
                let (kind, _) = kind_of(property, referenced);
                rules.fields.push(FieldRule {
                    name: name.clone(),
                    kind,
                    required: object.required.contains(name),
                    nullable: false,
                });
            }
        };
        match schema {
            RefOr::T(Schema::Object(object)) => add(object),
            RefOr::T(Schema::AllOf(all)) => {
                for item in &all.items {
                    if let RefOr::T(Schema::Object(object)) = item {
                        add(object);
                    }
                }
            }
            _ => {}
        }
        rules
    }

    /// The rules of query parameters.
    pub fn of_params(params: &[Parameter]) -> Self {
        Self {
            fields: params
                .iter()
                .map(|p| {
                    let (kind, nullable) = p
                        .schema
                        .as_ref()
                        .map_or((Kind::Any, true), |schema| kind_of(schema, &[]));
                    FieldRule {
                        name: p.name.clone(),
                        kind,
                        required: p.required == Required::True,
                        nullable,
                    }
                })
                .collect(),
        }
    }

    /// The names of file fields.
    pub fn is_file(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name && f.kind == Kind::File)
    }

    /// Checks and converts the fields of `map` in place; a field that fails is removed
    /// and its message recorded. `files` names the fields a multipart form sent as files.
    pub fn apply(&self, map: &mut Map<String, Value>, files: &[String], errors: &mut FieldErrors) {
        for rule in &self.fields {
            let value = map.remove(&rule.name);
            let is_file = files.contains(&rule.name);
            let checked = match (value, &rule.kind) {
                (None, Kind::File) if is_file => Ok(Some(Value::String(rule.name.clone()))),
                (None, Kind::File) if rule.required => Err(NO_FILE.to_owned()),
                (None, _) if rule.required => Err(REQUIRED.to_owned()),
                (None, _) => Ok(None),
                (Some(_), Kind::File) => Err(NOT_A_FILE.to_owned()),
                (Some(Value::Null), _) if rule.nullable => Ok(Some(Value::Null)),
                (Some(Value::Null), _) => Err(MAY_NOT_BE_NULL.to_owned()),
                // An empty choice is no choice (as forms send an unset field).
                (Some(Value::String(s)), Kind::Choice(_)) if s.trim().is_empty() && rule.required => {
                    Err(REQUIRED.to_owned())
                }
                (Some(Value::String(s)), Kind::Choice(_)) if s.trim().is_empty() => Ok(None),
                (Some(value), kind) => check(kind, value).map(Some),
            };
            match checked {
                Ok(Some(value)) => {
                    map.insert(rule.name.clone(), value);
                }
                Ok(None) => {}
                Err(message) => errors.add(&rule.name, message),
            }
        }
    }
}

fn check(kind: &Kind, value: Value) -> Result<Value, String> {
    match kind {
        Kind::Text {
            min_length: shortest,
            max_length: longest,
        } => {
            // Text is text: DRF would turn a JSON number into its digits, but the
            // document says string, and a client that sends a number has a bug.
            let Value::String(text) = value else {
                return Err(NOT_A_STRING.to_owned());
            };
            let text = text.trim().to_owned();
            if text.contains('\0') {
                return Err(NULL_CHARACTERS.to_owned());
            }
            let length = text.chars().count();
            match (shortest, longest) {
                (Some(1), _) if length == 0 => Err(MAY_NOT_BE_BLANK.to_owned()),
                (Some(min), _) if length < *min => Err(min_length(*min)),
                (_, Some(max)) if length > *max => Err(max_length(*max)),
                _ => Ok(Value::String(text)),
            }
        }
        Kind::Choice(names) => {
            let text = match &value {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            if names.contains(&text) {
                Ok(Value::String(text))
            } else {
                Err(not_a_choice(&text))
            }
        }
        Kind::Integer { minimum, maximum } => {
            let n = match &value {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            }
            .ok_or_else(|| INVALID_INTEGER.to_owned())?;
            in_range(n as f64, *minimum, *maximum)?;
            Ok(Value::Number(n.into()))
        }
        Kind::Number { minimum, maximum } => {
            let n = match &value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                _ => None,
            }
            .ok_or_else(|| INVALID_NUMBER.to_owned())?;
            in_range(n, *minimum, *maximum)?;
            Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| INVALID_NUMBER.to_owned())
        }
        Kind::Boolean => match &value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
                "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
                _ => Err(INVALID_BOOLEAN.to_owned()),
            },
            Value::Number(n) if n.as_i64() == Some(1) => Ok(Value::Bool(true)),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(Value::Bool(false)),
            _ => Err(INVALID_BOOLEAN.to_owned()),
        },
        Kind::List { min_items, max_items } => {
            let Value::Array(items) = &value else {
                return Err(not_a_list(python_type(&value)));
            };
            match (min_items, max_items) {
                (Some(1), _) if items.is_empty() => Err(EMPTY_LIST.to_owned()),
                (Some(min), _) if items.len() < *min => Err(too_few_items(*min)),
                (_, Some(max)) if items.len() > *max => Err(too_many_items(*max)),
                _ => Ok(value),
            }
        }
        Kind::File => Err(NOT_A_FILE.to_owned()),
        Kind::Any => Ok(value),
    }
}

fn in_range(n: f64, minimum: Option<f64>, maximum: Option<f64>) -> Result<(), String> {
    let shown = |b: f64| {
        if b.fract() == 0.0 {
            format!("{b:.0}")
        } else {
            b.to_string()
        }
    };
    if let Some(min) = minimum.filter(|min| n < *min) {
        return Err(crate::messages::minimum(shown(min)));
    }
    if let Some(max) = maximum.filter(|max| n > *max) {
        return Err(crate::messages::maximum(shown(max)));
    }
    Ok(())
}

static CACHE: LazyLock<RwLock<HashMap<TypeId, Arc<Rules>>>> = LazyLock::new(Default::default);

/// The rules of `T`, worked out once from `make`.
pub fn cached<T: 'static>(make: impl FnOnce() -> Rules) -> Arc<Rules> {
    let id = TypeId::of::<T>();
    if let Some(rules) = CACHE.read().unwrap_or_else(PoisonError::into_inner).get(&id) {
        return rules.clone();
    }
    let rules = Arc::new(make());
    CACHE
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, rules.clone());
    rules
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use utoipa::{PartialSchema, ToSchema};

    use super::*;

    #[allow(dead_code)]
    #[derive(ToSchema)]
    struct Example {
        #[schema(required = true, min_length = 1, max_length = 5)]
        name: Option<String>,
        #[schema(minimum = 0)]
        count: Option<i64>,
        notes: Option<String>,
        layers: Option<Vec<serde_json::Value>>,
    }

    fn apply(body: serde_json::Value) -> (Map<String, Value>, FieldErrors) {
        let rules = Rules::of_body(&Example::schema(), &[]);
        let mut map = body.as_object().cloned().unwrap_or_default();
        let mut errors = FieldErrors::new();
        rules.apply(&mut map, &[], &mut errors);
        (map, errors)
    }

    #[test]
    fn fields_are_read_as_drf_reads_them() {
        let (map, errors) =
            apply(json!({"name": " ab ", "count": "3", "notes": "", "layers": [1], "extra": 1}));
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(
            Value::Object(map),
            json!({"name": "ab", "count": 3, "notes": "", "layers": [1], "extra": 1})
        );
        let (_, errors) = apply(json!({"name": "abcdef", "count": -1, "notes": null}));
        let seen: Vec<(&str, Vec<String>)> = errors.iter().map(|(f, m)| (f, m.to_vec())).collect();
        assert_eq!(
            seen,
            vec![
                ("name", vec![max_length(5)]),
                ("count", vec![minimum(0)]),
                ("notes", vec![MAY_NOT_BE_NULL.to_owned()]),
            ]
        );
        let (_, errors) = apply(json!({"name": "  ", "count": "x"}));
        assert_eq!(errors.iter().count(), 2);
        assert!(errors.has("name") && errors.has("count"));
        let (_, errors) = apply(json!({}));
        assert_eq!(errors, FieldErrors::single("name", REQUIRED));
        let (_, errors) = apply(json!({"name": true}));
        assert_eq!(errors, FieldErrors::single("name", NOT_A_STRING));
        let (_, errors) = apply(json!({"name": 12}));
        assert_eq!(errors, FieldErrors::single("name", NOT_A_STRING));
    }
}
