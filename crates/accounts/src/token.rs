//! Login keys: HS256 JWTs that name a session. The signature proves we issued the key;
//! the session row, checked on every request, lets logout and password changes revoke it.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AccountError;
use crate::model::UserId;

/// What a login key says.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Claims {
    /// Session id.
    pub(crate) sid: String,
    /// User id, as a string as JWT prescribes.
    pub(crate) sub: String,
    /// Issued at, Unix seconds.
    pub(crate) iat: i64,
    /// Expires at, Unix seconds.
    pub(crate) exp: i64,
}

/// Signs and checks login keys with one secret.
pub(crate) struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenSigner {
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// A key naming `session_id` of `user_id`, valid from `issued` until `expires`.
    pub(crate) fn issue(
        &self,
        session_id: &str,
        user_id: UserId,
        issued: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<String, AccountError> {
        let claims = Claims {
            sid: session_id.to_owned(),
            sub: user_id.to_string(),
            iat: issued.timestamp(),
            exp: expires.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AccountError::Signing(e.to_string()))
    }

    /// The claims of a key we signed that has not expired at `now`.
    pub(crate) fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, AccountError> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the caller's clock below, to the second.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| (*s).to_owned()).collect();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| AccountError::InvalidToken)?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(AccountError::InvalidToken);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_key_verifies_until_it_expires() -> Result<(), AccountError> {
        let signer = TokenSigner::new(b"secret");
        let now = Utc::now();
        let key = signer.issue("sid-1", UserId(7), now, now + Duration::hours(1))?;
        let claims = signer.verify(&key, now)?;
        assert_eq!((claims.sid.as_str(), claims.sub.as_str()), ("sid-1", "7"));
        assert!(signer.verify(&key, now + Duration::minutes(59)).is_ok());
        assert!(matches!(
            signer.verify(&key, now + Duration::hours(1)),
            Err(AccountError::InvalidToken)
        ));
        Ok(())
    }

    #[test]
    fn keys_of_another_secret_or_tampered_keys_fail() -> Result<(), AccountError> {
        let now = Utc::now();
        let key = TokenSigner::new(b"one").issue("s", UserId(1), now, now + Duration::hours(1))?;
        assert!(TokenSigner::new(b"two").verify(&key, now).is_err());
        let mut tampered = key.clone();
        tampered.push('x');
        assert!(TokenSigner::new(b"one").verify(&tampered, now).is_err());
        assert!(TokenSigner::new(b"one").verify("garbage", now).is_err());
        Ok(())
    }
}
