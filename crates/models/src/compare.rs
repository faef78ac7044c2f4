//! Configurations side by side: every field of any of them, one row each, with the
//! rows whose values differ marked.

use serde::Serialize;
use serde_json::Value;

/// One configuration field across the compared models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldRow {
    /// Path such as `net_config.middle_layer[1].filter`.
    pub field: String,
    /// The value in each model, in the order given (`null` where absent).
    pub values: Vec<Value>,
    /// Whether the values are not all equal.
    pub differs: bool,
}

/// The side-by-side view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Every field, in first-seen order.
    pub fields: Vec<FieldRow>,
    /// Paths of the fields that differ.
    pub differences: Vec<String>,
}

/// Compares configurations (`None` for a model without one). Objects and arrays are
/// walked down to their leaves, except short arrays of scalars such as a filter,
/// which are one value.
pub fn compare_configs(configs: &[Option<&Value>]) -> Comparison {
    let flattened: Vec<Vec<(String, Value)>> = configs
        .iter()
        .map(|config| {
            let mut leaves = Vec::new();
            if let Some(config) = config {
                flatten("", config, &mut leaves);
            }
            leaves
        })
        .collect();
    let mut paths: Vec<String> = Vec::new();
    for leaves in &flattened {
        for (path, _) in leaves {
            if !paths.contains(path) {
                paths.push(path.clone());
            }
        }
    }
    let fields: Vec<FieldRow> = paths
        .into_iter()
        .map(|field| {
            let values: Vec<Value> = flattened
                .iter()
                .map(|leaves| {
                    leaves
                        .iter()
                        .find(|(p, _)| *p == field)
                        .map_or(Value::Null, |(_, v)| v.clone())
                })
                .collect();
            let differs = values.windows(2).any(|w| w[0] != w[1]);
            FieldRow {
                field,
                values,
                differs,
            }
        })
        .collect();
    let differences = fields
        .iter()
        .filter(|f| f.differs)
        .map(|f| f.field.clone())
        .collect();
    Comparison { fields, differences }
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, child, out);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (index, child) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{index}]"), child, out);
            }
        }
        _ => out.push((prefix.to_owned(), value.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marks_the_fields_that_differ() {
        let a = json!({"iter": 1000, "learning_rate": 0.01, "net_type": "CNN",
            "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]}, {"layer": "pool"}], "output_layer": {}}});
        let b = json!({"iter": 1000, "learning_rate": 0.1, "net_type": "CNN",
            "net_config": {"middle_layer": [{"layer": "conv", "filter": [3, 3, 10]}], "output_layer": {}}});
        let view = compare_configs(&[Some(&a), Some(&b)]);
        assert_eq!(
            view.differences,
            vec![
                "learning_rate",
                "net_config.middle_layer[0].filter",
                "net_config.middle_layer[1].layer"
            ]
        );
        let filter = view
            .fields
            .iter()
            .find(|f| f.field == "net_config.middle_layer[0].filter")
            .expect("filter row");
        assert_eq!(filter.values, vec![json!([2, 2, 10]), json!([3, 3, 10])]);
        let iter = view.fields.iter().find(|f| f.field == "iter").expect("iter row");
        assert!(!iter.differs);
        let output = view
            .fields
            .iter()
            .find(|f| f.field == "net_config.output_layer")
            .expect("empty objects are a value");
        assert_eq!(output.values, vec![json!({}), json!({})]);
    }

    #[test]
    fn a_model_without_configuration_shows_nulls() {
        let a = json!({"iter": 5});
        let view = compare_configs(&[Some(&a), None]);
        assert_eq!(view.fields[0].values, vec![json!(5), Value::Null]);
        assert_eq!(view.differences, vec!["iter"]);
    }
}
