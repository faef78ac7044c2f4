//! Outgoing mail, as the domain sees it.

use common::ErrorCode;

/// One plain-text message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// The recipient's address, as stored on the user.
    pub to: String,
    /// The subject line, `[<site>] ...` as allauth words it.
    pub subject: String,
    /// Plain text (no HTML), lines separated by `\n`.
    pub body: String,
}

/// A mail that could not be handed to the transport; the text says why.
#[derive(Debug, thiserror::Error)]
#[error("mail delivery failed: {0}")]
pub struct MailError(pub String);

impl ErrorCode for MailError {
    fn code(&self) -> &'static str {
        "mail_delivery"
    }
}

/// Delivers mail (SMTP, or files in an outbox). Called from blocking threads.
pub trait Mailer: Send + Sync + 'static {
    /// Hands `mail` over for delivery. An error is logged by the service and not shown
    /// to the client: the change the mail reports is already stored.
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}
