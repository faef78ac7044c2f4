//! Field-keyed validation messages, in the shape Django REST Framework reports them:
//! `{"field": ["message", ...], "non_field_errors": [...]}`.

use std::fmt;

/// The key under which errors that belong to no single field are reported.
pub const NON_FIELD_ERRORS: &str = "non_field_errors";

/// Messages per field, fields in the order they were first found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    fields: Vec<(String, Vec<String>)>,
}

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One message for one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Adds a message under `field` (after the field's earlier messages).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.fields.iter_mut().find(|(name, _)| name == field) {
            Some((_, messages)) => messages.push(message),
            None => self.fields.push((field.to_owned(), vec![message])),
        }
    }

    /// Adds several messages under `field`.
    pub fn extend(&mut self, field: &str, messages: impl IntoIterator<Item = String>) {
        for message in messages {
            self.add(field, message);
        }
    }

    /// Adds every message of `other`, field by field.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.fields {
            self.extend(&field, messages);
        }
    }

    /// Whether `field` has a message.
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|(name, _)| name == field)
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Each field with its messages, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.fields
            .iter()
            .map(|(name, messages)| (name.as_str(), messages.as_slice()))
    }

    /// `Ok(())` when nothing was found, else the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_their_order_per_field() {
        let mut errors = FieldErrors::single("email", "Enter a valid email address.");
        errors.add("password1", "This password is too short.");
        errors.add("email", "Taken.");
        let seen: Vec<(&str, Vec<String>)> = errors.iter().map(|(f, m)| (f, m.to_vec())).collect();
        assert_eq!(
            seen,
            vec![
                (
                    "email",
                    vec!["Enter a valid email address.".to_owned(), "Taken.".to_owned()]
                ),
                ("password1", vec!["This password is too short.".to_owned()]),
            ]
        );
        assert_eq!(
            errors.to_string(),
            "email: Enter a valid email address. Taken.; password1: This password is too short."
        );
        assert!(FieldErrors::new().into_result().is_ok());
    }
}
