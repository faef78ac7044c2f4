//! The input a network sees when no data says: shapes written by people (`28x28x1`,
//! `[28, 28, 1]`, `[64]`, `64`) and the input each net type is shown on by default.

use serde_json::Value;

use crate::config::NetType;
use crate::shape::Shape;

/// The input a net type is shown on when no data says: a CNN gets 28x28 gray pictures
/// (MNIST's), a DNN or logistic regression their 784 pixels as a vector.
pub fn default_input(net_type: NetType) -> Shape {
    match net_type {
        NetType::Cnn => Shape::Image { h: 28, w: 28, c: 1 },
        NetType::Dnn | NetType::Logistic => Shape::Vector(784),
    }
}

/// Reads `28x28x1` (height x width x channels), `[28,28,1]`, `[64]` or `64` (features);
/// `None` for anything else (dimensions of 0 or above a million, more than 4 channels,
/// other ranks).
pub fn parse_shape_text(text: &str) -> Option<Shape> {
    let text = text.trim();
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return parse_shape_value(&value);
    }
    let dims: Vec<u64> = text
        .split(['x', 'X', ','])
        .map(|d| d.trim().parse().ok())
        .collect::<Option<_>>()?;
    from_dims(&dims)
}

/// Reads `[h, w, c]`, `[n]`, `n`, or a string of [`parse_shape_text`], from JSON.
pub fn parse_shape_value(value: &Value) -> Option<Shape> {
    match value {
        Value::Number(n) => from_dims(&[n.as_u64()?]),
        Value::Array(items) => {
            let dims: Vec<u64> = items.iter().map(Value::as_u64).collect::<Option<_>>()?;
            from_dims(&dims)
        }
        Value::String(s) => parse_shape_text(s),
        _ => None,
    }
}

/// `[n]` or `[h, w, c]`, within the limits of [`parse_shape_text`].
fn from_dims(dims: &[u64]) -> Option<Shape> {
    if dims.iter().any(|d| *d == 0 || *d > 1_000_000) {
        return None;
    }
    match *dims {
        [n] => Some(Shape::Vector(n)),
        [h, w, c] if c <= 4 => Some(Shape::Image { h, w, c }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_in_every_spelling() {
        let mnist = Some(Shape::Image { h: 28, w: 28, c: 1 });
        assert_eq!(parse_shape_text("28x28x1"), mnist);
        assert_eq!(parse_shape_text("[28, 28, 1]"), mnist);
        assert_eq!(parse_shape_text("64"), Some(Shape::Vector(64)));
        assert_eq!(parse_shape_text("[64]"), Some(Shape::Vector(64)));
        assert_eq!(parse_shape_text("28x28"), None);
        assert_eq!(parse_shape_text("0x28x1"), None);
        assert_eq!(parse_shape_text("[28, 28, 9]"), None);
    }
}
