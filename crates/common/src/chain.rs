//! An error with all its causes on one line, for logs and for messages that must say
//! why (e.g. why a download failed).

/// `error: cause: cause of the cause ...`
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
