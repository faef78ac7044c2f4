//! Django's four default password validators, run in Django's order, with its messages:
//! user-attribute similarity, minimum length, common password, entirely numeric.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::LazyLock;

/// Django's `MinimumLengthValidator` default, in characters.
pub const MIN_LENGTH: usize = 8;
/// Django's `UserAttributeSimilarityValidator.DEFAULT_MAX_SIMILARITY`.
pub const MAX_SIMILARITY: f64 = 0.7;

/// The message for a password shorter than [`MIN_LENGTH`].
pub const TOO_SHORT: &str = "This password is too short. It must contain at least 8 characters.";
/// The message for a password on Django's list of common passwords (compared
/// lower-cased and trimmed).
pub const TOO_COMMON: &str = "This password is too common.";
/// The message for a password of digits only.
pub const ENTIRELY_NUMERIC: &str = "This password is entirely numeric.";

/// Django's 19,640-entry list, embedded compressed and expanded on first use.
static COMMON_PASSWORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let compressed = include_bytes!("../../data/common-passwords.txt.gz");
    let mut text = String::new();
    // The embedded file is fixed at build time; a unit test proves it decodes.
    let _ = flate2::read::GzDecoder::new(&compressed[..]).read_to_string(&mut text);
    text.lines()
        .map(|line| line.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
});

/// The user attributes a password is compared with, each with the name Django's
/// message uses for it. Empty values are skipped; each value's parts between non-word
/// characters (`someone`, `example`, `com` of an address) are compared too.
#[derive(Debug, Default, Clone)]
pub struct PasswordContext<'a> {
    /// Reported as "the username".
    pub username: Option<&'a str>,
    /// Reported as "the first name".
    pub first_name: Option<&'a str>,
    /// Reported as "the last name".
    pub last_name: Option<&'a str>,
    /// Reported as "the email address".
    pub email: Option<&'a str>,
}

impl PasswordContext<'_> {
    fn attributes(&self) -> [(Option<&str>, &'static str); 4] {
        [
            (self.username, "username"),
            (self.first_name, "first name"),
            (self.last_name, "last name"),
            (self.email, "email address"),
        ]
    }
}

/// Every message the four validators give for `password` (empty when it passes).
pub fn validate_password(password: &str, context: &PasswordContext<'_>) -> Vec<String> {
    let mut messages = Vec::new();
    if let Some(attribute) = too_similar_to(password, context) {
        messages.push(format!("The password is too similar to the {attribute}."));
    }
    if password.chars().count() < MIN_LENGTH {
        messages.push(TOO_SHORT.to_owned());
    }
    if COMMON_PASSWORDS.contains(&password.trim().to_lowercase()) {
        messages.push(TOO_COMMON.to_owned());
    }
    if !password.is_empty() && password.chars().all(|c| c.is_numeric()) {
        messages.push(ENTIRELY_NUMERIC.to_owned());
    }
    messages
}

/// The first attribute the password resembles, compared as Django does: the whole
/// value and each of its `\W+`-separated parts, by `SequenceMatcher.quick_ratio`.
fn too_similar_to(password: &str, context: &PasswordContext<'_>) -> Option<&'static str> {
    let password = password.to_lowercase();
    for (value, name) in context.attributes() {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            continue;
        };
        let value = value.to_lowercase();
        let parts = value
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .chain(std::iter::once(value.as_str()));
        for part in parts {
            if exceeds_maximum_length_ratio(&password, part) {
                continue;
            }
            if quick_ratio(&password, part) >= MAX_SIMILARITY {
                return Some(name);
            }
        }
    }
    None
}

/// Django skips parts much shorter than the password: they cannot make it guessable.
fn exceeds_maximum_length_ratio(password: &str, value: &str) -> bool {
    let password_len = password.chars().count();
    let value_len = value.chars().count();
    let length_bound_similarity = MAX_SIMILARITY / 2.0 * password_len as f64;
    password_len >= 10 * value_len && (value_len as f64) < length_bound_similarity
}

/// Python's `difflib.SequenceMatcher(a=a, b=b).quick_ratio()`: twice the size of the
/// characters' multiset intersection over the total length.
fn quick_ratio(a: &str, b: &str) -> f64 {
    let total = a.chars().count() + b.chars().count();
    if total == 0 {
        return 1.0;
    }
    let mut available: HashMap<char, usize> = HashMap::new();
    for c in b.chars() {
        *available.entry(c).or_default() += 1;
    }
    let mut matches = 0usize;
    for c in a.chars() {
        if let Some(n) = available.get_mut(&c).filter(|n| **n > 0) {
            *n -= 1;
            matches += 1;
        }
    }
    2.0 * matches as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(password: &str) -> Vec<String> {
        validate_password(password, &PasswordContext::default())
    }

    #[test]
    fn the_common_list_is_complete() {
        assert_eq!(COMMON_PASSWORDS.len(), 19_640);
    }

    #[test]
    fn a_strong_password_passes() {
        assert!(plain("correct-horse-battery").is_empty());
    }

    #[test]
    fn short_common_numeric_all_reported_together() {
        assert_eq!(plain("123"), vec![TOO_SHORT, TOO_COMMON, ENTIRELY_NUMERIC]);
        assert_eq!(plain("12345678"), vec![TOO_COMMON, ENTIRELY_NUMERIC]);
        assert_eq!(plain("xq7"), vec![TOO_SHORT]);
        assert_eq!(plain("Password"), vec![TOO_COMMON]);
        assert_eq!(plain("  password "), vec![TOO_COMMON]);
    }

    #[test]
    fn similarity_to_each_attribute_names_it() {
        let ctx = PasswordContext {
            username: Some("zhangqinghua"),
            first_name: Some("Qinghua"),
            last_name: Some("Zhang"),
            email: Some("someone@example.com"),
        };
        assert_eq!(
            validate_password("zhangqinghua1", &ctx),
            vec!["The password is too similar to the username."]
        );
        let only_email = PasswordContext {
            email: Some("oliverqueen@example.com"),
            ..Default::default()
        };
        assert_eq!(
            validate_password("oliverqueen", &only_email),
            vec!["The password is too similar to the email address."]
        );
        let only_first = PasswordContext {
            first_name: Some("Bartholomew"),
            ..Default::default()
        };
        assert_eq!(
            validate_password("bartholomew2", &only_first),
            vec!["The password is too similar to the first name."]
        );
    }

    #[test]
    fn dissimilar_or_tiny_attributes_do_not_count() {
        let ctx = PasswordContext {
            username: Some("zqh"),
            ..Default::default()
        };
        assert!(validate_password("plum-orchard-sky", &ctx).is_empty());
        // A one-letter part of a long password is skipped by the length ratio.
        let ctx = PasswordContext {
            username: Some("a"),
            ..Default::default()
        };
        assert!(validate_password("a-very-long-passphrase", &ctx).is_empty());
    }

    #[test]
    fn quick_ratio_matches_python() {
        // difflib.SequenceMatcher(a="abcd", b="bcde").quick_ratio() == 0.75
        assert!((quick_ratio("abcd", "bcde") - 0.75).abs() < 1e-12);
        assert!((quick_ratio("aab", "abb") - 2.0 * 2.0 / 6.0).abs() < 1e-12);
    }
}
