//! The texts of the mails the accounts module sends.

use crate::mailer::OutgoingMail;

pub fn verification(site: &str, username: &str, to: &str, link: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: format!("[{site}] Please Confirm Your E-mail Address"),
        body: format!(
            "Hello from {site}!\n\n\
             You're receiving this e-mail because user {username} has given your e-mail \
             address to register an account on {site}.\n\n\
             To confirm this is correct, go to\n{link}\n\n\
             Thank you for using {site}!\n"
        ),
    }
}

pub fn password_reset(site: &str, username: &str, to: &str, link: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.to_owned(),
        subject: format!("[{site}] Password Reset E-mail"),
        body: format!(
            "Hello from {site}!\n\n\
             You're receiving this e-mail because you or someone else has requested a \
             password reset for your user account ({username}).\n\
             It can be safely ignored if you did not request a password reset. \
             Click the link below to reset your password.\n\n\
             {link}\n\n\
             Thank you for using {site}!\n"
        ),
    }
}
