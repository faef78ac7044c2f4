//! Django's `UnicodeUsernameValidator` and the model's length limit.

/// The longest username Django's user model stores, in characters.
pub const USERNAME_MAX_LENGTH: usize = 150;
/// Django's message for a username with a character outside letters, digits and `@.+-_`.
pub const INVALID_USERNAME: &str =
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";

/// Messages for a username that breaks the rules (empty when it is fine).
pub fn validate_username(username: &str) -> Vec<String> {
    let mut messages = Vec::new();
    if username.chars().count() > USERNAME_MAX_LENGTH {
        messages.push(format!(
            "Ensure this field has no more than {USERNAME_MAX_LENGTH} characters."
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '_' | '@' | '.' | '+' | '-');
    if username.is_empty() || !username.chars().all(allowed) {
        messages.push(INVALID_USERNAME.to_owned());
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_letters_digits_and_the_five_symbols() {
        assert!(validate_username("zqh").is_empty());
        assert!(validate_username("a.b@c+d-e_f9").is_empty());
        assert!(validate_username("用户").is_empty());
    }

    #[test]
    fn rejects_spaces_and_other_symbols() {
        assert_eq!(validate_username("a b"), vec![INVALID_USERNAME]);
        assert_eq!(validate_username("a/b"), vec![INVALID_USERNAME]);
        assert_eq!(validate_username("a!"), vec![INVALID_USERNAME]);
    }

    #[test]
    fn rejects_over_long_names() {
        assert!(validate_username(&"a".repeat(150)).is_empty());
        assert_eq!(
            validate_username(&"a".repeat(151)),
            vec!["Ensure this field has no more than 150 characters."]
        );
    }
}
