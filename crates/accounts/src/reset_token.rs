//! Password-reset tokens in the manner of Django's `PasswordResetTokenGenerator`:
//! `<timestamp base36>-<HMAC>` over the user's id, password hash, last login and e-mail.
//! Nothing is stored: a reset or any login changes the hashed state, so a token works
//! once, and the timestamp makes it expire.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::{User, UserId};

/// Django's epoch for these timestamps.
fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Makes and checks reset tokens with one secret and lifetime.
pub(crate) struct ResetTokens {
    secret: Vec<u8>,
    timeout_secs: i64,
}

impl ResetTokens {
    /// Tokens keyed by `secret` (namespaced, so login keys and reset tokens never
    /// share a key) that expire after `timeout_secs`.
    pub(crate) fn new(secret: &[u8], timeout_secs: i64) -> Self {
        let mut key = b"netsmith.password-reset:".to_vec();
        key.extend_from_slice(secret);
        Self {
            secret: key,
            timeout_secs,
        }
    }

    /// A token for `user`, stamped `now`.
    pub(crate) fn make(&self, user: &User, now: DateTime<Utc>) -> String {
        let ts = (now - epoch()).num_seconds().max(0);
        format!("{}-{}", to_base36(ts), self.digest(user, ts))
    }

    /// Whether `token` was made for `user` in its current state and has not expired at `now`.
    pub(crate) fn check(&self, user: &User, token: &str, now: DateTime<Utc>) -> bool {
        let Some((ts_part, digest)) = token.split_once('-') else {
            return false;
        };
        let Some(ts) = from_base36(ts_part) else {
            return false;
        };
        let expected = self.digest(user, ts);
        let fresh = (now - epoch()).num_seconds() - ts <= self.timeout_secs;
        constant_time_eq(expected.as_bytes(), digest.as_bytes()) && fresh
    }

    fn digest(&self, user: &User, ts: i64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).unwrap_or_else(|_| {
            // HMAC takes keys of any length; this branch cannot be reached.
            unreachable!("HMAC accepts any key length")
        });
        let login = user
            .last_login
            .map(|t| t.timestamp_micros().to_string())
            .unwrap_or_default();
        mac.update(
            format!(
                "{}\0{}\0{}\0{}\0{}",
                user.id, user.password_hash, login, ts, user.email
            )
            .as_bytes(),
        );
        let bytes = mac.finalize().into_bytes();
        // Django keeps every second hex digit: 32 characters are plenty.
        bytes.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The `uid` of reset links: the user's id, base64url-encoded, as Django does.
pub(crate) fn encode_uid(id: UserId) -> String {
    URL_SAFE_NO_PAD.encode(id.to_string())
}

/// The id in a reset link's `uid`; `None` for anything malformed.
pub(crate) fn decode_uid(uid: &str) -> Option<UserId> {
    let bytes = URL_SAFE_NO_PAD.decode(uid.trim_end_matches('=')).ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok()
}

fn to_base36(mut n: i64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".to_owned();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn from_base36(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 12 {
        return None;
    }
    i64::from_str_radix(s, 36).ok()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn user() -> User {
        User {
            id: UserId(3),
            username: "zqh".into(),
            email: "zqh@example.com".into(),
            first_name: String::new(),
            last_name: String::new(),
            password_hash: "hash-1".into(),
            is_active: true,
            is_staff: false,
            email_verified: true,
            date_joined: Utc::now(),
            last_login: None,
        }
    }

    #[test]
    fn a_token_is_valid_for_its_user_until_the_timeout() {
        let tokens = ResetTokens::new(b"secret", 3600);
        let now = Utc::now();
        let token = tokens.make(&user(), now);
        assert!(tokens.check(&user(), &token, now));
        assert!(tokens.check(&user(), &token, now + Duration::seconds(3600)));
        assert!(!tokens.check(&user(), &token, now + Duration::seconds(3601)));
    }

    #[test]
    fn a_password_change_or_login_invalidates_it() {
        let tokens = ResetTokens::new(b"secret", 3600);
        let now = Utc::now();
        let token = tokens.make(&user(), now);
        let changed = User {
            password_hash: "hash-2".into(),
            ..user()
        };
        assert!(!tokens.check(&changed, &token, now));
        let logged_in = User {
            last_login: Some(now),
            ..user()
        };
        assert!(!tokens.check(&logged_in, &token, now));
        let other = User {
            id: UserId(4),
            ..user()
        };
        assert!(!tokens.check(&other, &token, now));
        assert!(!tokens.check(&user(), "zz-abc", now));
        assert!(!tokens.check(&user(), "garbage", now));
    }

    #[test]
    fn uids_round_trip() {
        assert_eq!(encode_uid(UserId(3)), "Mw");
        assert_eq!(decode_uid("Mw"), Some(UserId(3)));
        assert_eq!(decode_uid("!!"), None);
        assert_eq!(decode_uid(&encode_uid(UserId(123_456))), Some(UserId(123_456)));
    }
}
