//! Outgoing mail, as the domain sees it.

/// One plain-text message to one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("mail delivery failed: {0}")]
pub struct MailError(pub String);

/// Delivers mail (SMTP, or files in an outbox). Called from blocking threads.
pub trait Mailer: Send + Sync + 'static {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}
