//! Mail delivery: SMTP when a server is configured, otherwise one RFC 5322 `.eml` file
//! per message in the outbox folder, written whole (temporary name, then rename).

use std::path::PathBuf;

use accounts::{MailError, Mailer, OutgoingMail};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{Message, SmtpTransport, Transport};
use rand::Rng;

pub enum MailTransport {
    Outbox {
        folder: PathBuf,
        from: Mailbox,
    },
    Smtp {
        transport: Box<SmtpTransport>,
        from: Mailbox,
    },
}

impl MailTransport {
    pub fn outbox(folder: PathBuf, from: &str) -> Result<Self, MailError> {
        std::fs::create_dir_all(&folder)
            .map_err(|e| MailError(format!("cannot create outbox {}: {e}", folder.display())))?;
        Ok(Self::Outbox {
            folder,
            from: parse_mailbox(from)?,
        })
    }

    pub fn smtp(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = SmtpTransport::from_url(url)
            .map_err(|e| MailError(format!("bad SMTP URL: {e}")))?
            .build();
        Ok(Self::Smtp {
            transport: Box::new(transport),
            from: parse_mailbox(from)?,
        })
    }

    fn from(&self) -> &Mailbox {
        match self {
            Self::Outbox { from, .. } | Self::Smtp { from, .. } => from,
        }
    }

    fn message(&self, mail: &OutgoingMail) -> Result<Message, MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| MailError(format!("bad recipient: {e}")))?;
        // 8bit keeps each link whole on one line, where quoted-printable would fold it
        // with '=' and a reader copying it from the file would get a broken link.
        let text = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
        let fits_8bit = !text.contains('\0') && text.split("\r\n").all(|line| line.len() <= 998);
        let body = if fits_8bit {
            Body::dangerous_pre_encoded(text.into_bytes(), ContentTransferEncoding::EightBit)
        } else {
            Body::new(text)
        };
        let body = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body);
        Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(mail.subject.clone())
            .date_now()
            .message_id(None)
            .singlepart(body)
            .map_err(|e| MailError(format!("cannot build message: {e}")))
    }
}

impl Mailer for MailTransport {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        match self {
            Self::Smtp { transport, .. } => {
                transport.send(&message).map_err(|e| MailError(e.to_string()))?;
            }
            Self::Outbox { folder, .. } => {
                let name = format!(
                    "{}-{:08x}",
                    chrono::Utc::now().format("%Y%m%d-%H%M%S%.6f"),
                    rand::rng().random::<u32>()
                );
                let partial = folder.join(format!(".{name}.tmp"));
                std::fs::write(&partial, message.formatted())
                    .and_then(|()| std::fs::rename(&partial, folder.join(format!("{name}.eml"))))
                    .map_err(|e| MailError(format!("cannot write to outbox: {e}")))?;
            }
        }
        Ok(())
    }
}

fn parse_mailbox(text: &str) -> Result<Mailbox, MailError> {
    text.parse()
        .map_err(|e| MailError(format!("bad sender address {text:?}: {e}")))
}
