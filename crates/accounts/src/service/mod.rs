//! The account use cases, over a repository and a mailer. Every method blocks (bcrypt,
//! storage, mail): callers run them off their async threads.

mod forms;
mod login;
mod mails;
mod password;
mod profile;
mod registration;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use crate::error::AccountError;
use crate::hashing::PasswordHasher;
use crate::mailer::{Mailer, OutgoingMail};
use crate::model::{Session, User};
use crate::repository::AccountRepository;
use crate::reset_token::ResetTokens;
use crate::throttle::{LoginThrottle, ThrottleLimits};
use crate::token::TokenSigner;

pub use forms::{LoginForm, PasswordChangeForm, PasswordResetConfirmForm, ProfileForm, RegistrationForm};
pub use registration::RegistrationOutcome;

/// django-allauth's `ACCOUNT_EMAIL_VERIFICATION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmailVerification {
    /// No login before the address is confirmed.
    #[default]
    Mandatory,
    /// A confirmation mail is sent, but login works without it.
    Optional,
    /// No confirmation mail at all.
    None,
}

/// How the account service behaves; read once at start.
#[derive(Debug, Clone)]
pub struct AccountSettings {
    /// Whether an address must be confirmed before login.
    pub email_verification: EmailVerification,
    /// Base of links in mails, without a trailing slash.
    pub frontend_url: String,
    /// The site's name in mail subjects and bodies.
    pub site_name: String,
    /// bcrypt's work factor: log2 of the rounds, 4 to 31 (each step doubles the time).
    pub bcrypt_cost: u32,
    /// How many bcrypt hashes may run at once.
    pub hashing_threads: usize,
    /// Signs login keys (HS256) and reset tokens (HMAC); changing it logs everyone out.
    pub secret_key: Vec<u8>,
    /// How long a login key and its session stay valid.
    pub session_lifetime: Duration,
    /// How long a password-reset link works.
    pub reset_timeout: Duration,
    /// How long a mailed confirmation key works.
    pub email_key_lifetime: Duration,
    /// Failed-login limits.
    pub throttle: ThrottleLimits,
}

/// Who a request is authenticated as, and by which session.
#[derive(Debug, Clone)]
pub struct AuthContext {
    /// The logged-in user, as stored when the request came in.
    pub user: User,
    /// The session the login key names; logout ends it.
    pub session_id: String,
}

/// The account use cases (registration, login, passwords, profile) over a repository
/// `R` and a mailer `M`. Holds the bcrypt pool, the key signer and the login throttle,
/// so one instance serves the whole process.
pub struct AccountService<R, M> {
    repo: R,
    mailer: M,
    settings: AccountSettings,
    hasher: PasswordHasher,
    signer: TokenSigner,
    reset_tokens: ResetTokens,
    throttle: LoginThrottle,
}

impl<R: AccountRepository, M: Mailer> AccountService<R, M> {
    /// A service over `repo` and `mailer`. Fails only if bcrypt cannot hash with
    /// `settings.bcrypt_cost` (it hashes one throw-away password up front).
    pub fn new(repo: R, mailer: M, settings: AccountSettings) -> Result<Self, AccountError> {
        let hasher = PasswordHasher::new(settings.bcrypt_cost, settings.hashing_threads)?;
        let signer = TokenSigner::new(&settings.secret_key);
        let reset_tokens = ResetTokens::new(&settings.secret_key, settings.reset_timeout.num_seconds());
        let throttle = LoginThrottle::new(settings.throttle);
        Ok(Self {
            repo,
            mailer,
            settings,
            hasher,
            signer,
            reset_tokens,
            throttle,
        })
    }

    /// The settings the service was made with.
    pub fn settings(&self) -> &AccountSettings {
        &self.settings
    }

    /// The server is shutting down: password work not yet begun (registrations, logins
    /// waiting for a hashing slot) fails with [`AccountError::ShuttingDown`] at once.
    pub fn shut_down(&self) {
        self.hasher.close();
    }

    /// The user and session behind a login key; revoked, expired or forged keys fail.
    pub fn authenticate(&self, key: &str) -> Result<AuthContext, AccountError> {
        let now = Utc::now();
        let claims = self.signer.verify(key, now)?;
        let user = self
            .repo
            .user_for_session(&claims.sid, now)?
            .ok_or(AccountError::InvalidToken)?;
        if user.id.to_string() != claims.sub {
            return Err(AccountError::InvalidToken);
        }
        Ok(AuthContext {
            user,
            session_id: claims.sid,
        })
    }

    /// Ends the session, so its key stops working.
    pub fn logout(&self, auth: &AuthContext) -> Result<(), AccountError> {
        Ok(self.repo.end_session(&auth.session_id)?)
    }

    /// Starts a session for the user and returns its login key.
    fn start_session(&self, user: &User) -> Result<String, AccountError> {
        let now = Utc::now();
        let session = Session {
            id: random_token(32),
            user_id: user.id,
            created_at: now,
            expires_at: now + self.settings.session_lifetime,
        };
        self.repo.start_session(&session)?;
        self.signer.issue(&session.id, user.id, now, session.expires_at)
    }

    /// Sends a mail. A failure is logged, not shown to the client: the account change
    /// it reports is already stored, and the client can ask again (resend, reset).
    fn deliver(&self, mail: OutgoingMail) {
        if let Err(error) = self.mailer.send(&mail) {
            tracing::error!(%error, subject = %mail.subject, "could not send mail");
        }
    }

    fn link(&self, path: &str) -> String {
        format!("{}/{}", self.settings.frontend_url.trim_end_matches('/'), path)
    }
}

/// A random string of lowercase letters and digits.
pub(crate) fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

fn is_expired(created: DateTime<Utc>, lifetime: Duration, now: DateTime<Utc>) -> bool {
    created + lifetime < now
}
