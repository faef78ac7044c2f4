//! The messages clients read: Django REST Framework's, verbatim, and our own shared ones.

/// How a shape may be written.
pub const SHAPE_HELP: &str =
    "Enter the input shape as [height, width, channels] or [features], e.g. [28, 28, 1] or 28x28x1.";

pub const REQUIRED: &str = "This field is required.";
pub const MAY_NOT_BE_NULL: &str = "This field may not be null.";
pub const MAY_NOT_BE_BLANK: &str = "This field may not be blank.";
pub const NOT_A_STRING: &str = "Not a valid string.";
/// DRF's `ProhibitNullCharactersValidator` (PostgreSQL cannot store them either).
pub const NULL_CHARACTERS: &str = "Null characters are not allowed.";
pub const INVALID_INTEGER: &str = "A valid integer is required.";
pub const INVALID_NUMBER: &str = "A valid number is required.";
pub const INVALID_BOOLEAN: &str = "Must be a valid boolean.";
pub const NO_FILE: &str = "No file was submitted.";
pub const EMPTY_FILE: &str = "The submitted file is empty.";
pub const NOT_A_FILE: &str = "The submitted data was not a file. Check the encoding type on the form.";

pub fn not_a_choice(value: &str) -> String {
    format!("\"{value}\" is not a valid choice.")
}

pub const EMPTY_LIST: &str = "This list may not be empty.";

pub fn not_a_list(input_type: &str) -> String {
    format!("Expected a list of items but got type \"{input_type}\".")
}

pub fn too_few_items(n: usize) -> String {
    format!("Ensure this field has at least {n} elements.")
}

pub fn too_many_items(n: usize) -> String {
    format!("Ensure this field has no more than {n} elements.")
}

pub fn max_length(n: usize) -> String {
    format!("Ensure this field has no more than {n} characters.")
}

pub fn min_length(n: usize) -> String {
    format!("Ensure this field has at least {n} characters.")
}

pub fn minimum(n: impl std::fmt::Display) -> String {
    format!("Ensure this value is greater than or equal to {n}.")
}

pub fn maximum(n: impl std::fmt::Display) -> String {
    format!("Ensure this value is less than or equal to {n}.")
}

/// The name Python gives a JSON value's type, as DRF's messages show it.
pub fn python_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Array(_) => "list",
        Value::String(_) => "str",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::Null => "NoneType",
        Value::Object(_) => "dict",
    }
}
