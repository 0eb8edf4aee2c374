//! Passwords (argon2id), bearer tokens and login rate limits.
//!
//! Access tokens are stateless and short-lived: `v1.<payload>.<hmac-sha256>` signed with a
//! key the store makes on first start, so that checking one costs no database read beyond
//! the user record. Refresh tokens are random, stored only as their SHA-256, and rotate:
//! each works once.

use std::time::Duration;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use domain::ids::{OrgId, UserId};
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

mod limits;

pub use limits::{
    Attempt, Counted, LoginCounter, LoginLimits, Origin, RateLimiter, Turn, delay_after,
};

/// argon2id cost. The default is OWASP's recommendation (19 MiB, 2 passes); tests lower it.
#[derive(Clone, Copy, Debug)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self {
            memory_kib: Params::DEFAULT_M_COST,
            passes: Params::DEFAULT_T_COST,
        }
    }
}

#[derive(Debug, Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("passwords must be 8 to 200 characters")]
    Weak,
}

/// Hashes a password with argon2id and a fresh salt, as a PHC string.
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, PasswordError> {
    if !(8..=200).contains(&password.chars().count()) {
        return Err(PasswordError::Weak);
    }
    let params = Params::new(cost.memory_kib, cost.passes, 1, None)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Checks a password against a PHC string; the cost comes from the string itself.
#[must_use]
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A hash to verify against when the login does not exist, so that unknown logins take as
/// long as wrong passwords.
pub fn dummy_hash(cost: PasswordCost) -> String {
    hash_password("not-a-real-password", cost).unwrap_or_default()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    #[serde(rename = "u")]
    pub user: UserId,
    #[serde(rename = "o")]
    pub org: OrgId,
    /// Unix seconds.
    pub exp: i64,
    /// The user's session epoch when the token was issued: the token is refused once the
    /// store's epoch has moved on (password set, sessions ended). Tokens issued before
    /// epochs existed carry 0.
    #[serde(rename = "g", default)]
    pub epoch: u64,
    /// The token only lets an admin who must use a second factor enrol one.
    #[serde(rename = "s", default, skip_serializing_if = "std::ops::Not::not")]
    pub enrol_only: bool,
    /// The device the session was opened on, when it named one: a remote sign-out of that
    /// device ends the token (`http/devices.rs`).
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the access token is malformed or its signature is wrong")]
    Invalid,
    #[error("the access token has expired")]
    Expired,
}

type HmacSha256 = hmac::Hmac<Sha256>;

/// Issues and checks access tokens.
#[derive(Clone)]
pub struct Tokens {
    key: [u8; 32],
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl Tokens {
    #[must_use]
    pub fn new(key: [u8; 32], access_ttl: Duration, refresh_ttl: Duration) -> Self {
        Self {
            key,
            access_ttl,
            refresh_ttl,
        }
    }

    fn mac(&self, payload: &str) -> Vec<u8> {
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        m.update(payload.as_bytes());
        m.finalize().into_bytes().to_vec()
    }

    /// A full access token of `user` at session epoch 0 (tests; the server uses
    /// [`Tokens::issue_claims`] with the stored epoch).
    #[must_use]
    pub fn issue(&self, user: UserId, org: OrgId, now: DateTime<Utc>) -> String {
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX / 2);
        self.issue_claims(&Claims {
            user,
            org,
            exp: now.timestamp() + ttl,
            epoch: 0,
            enrol_only: false,
            device: None,
        })
    }

    /// The expiry of a token issued now.
    #[must_use]
    pub fn expiry(&self, now: DateTime<Utc>) -> i64 {
        now.timestamp() + i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX / 2)
    }

    #[must_use]
    pub fn issue_claims(&self, claims: &Claims) -> String {
        let payload = B64.encode(serde_json::to_vec(claims).unwrap_or_default());
        let sig = B64.encode(self.mac(&payload));
        format!("v1.{payload}.{sig}")
    }

    /// Proof that `device` signed in to the account `login` (normalised): an HMAC under the
    /// signing key, with its own label so that it can never pass for an access token.
    #[must_use]
    pub fn device_token(&self, login: &str, device: &str) -> String {
        B64.encode(self.mac(&format!("device\u{0}{login}\u{0}{device}")))
    }

    /// Whether `token` is [`Tokens::device_token`] of this login and device (constant time).
    #[must_use]
    pub fn is_device_token(&self, login: &str, device: &str, token: &str) -> bool {
        let Ok(sig) = B64.decode(token) else {
            return false;
        };
        let Ok(mut m) = <HmacSha256 as KeyInit>::new_from_slice(&self.key) else {
            return false;
        };
        m.update(format!("device\u{0}{login}\u{0}{device}").as_bytes());
        m.verify_slice(&sig).is_ok()
    }

    pub fn check(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some("v1"), Some(payload), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        let sig = B64.decode(sig).map_err(|_| TokenError::Invalid)?;
        let mut m =
            <HmacSha256 as KeyInit>::new_from_slice(&self.key).map_err(|_| TokenError::Invalid)?;
        m.update(payload.as_bytes());
        // Constant-time comparison.
        m.verify_slice(&sig).map_err(|_| TokenError::Invalid)?;
        let claims: Claims = B64
            .decode(payload)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Invalid)?;
        if claims.exp <= now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

/// A fresh refresh token and the hash it is stored under.
pub fn new_refresh_token() -> Result<(String, [u8; 32]), getrandom::Error> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw)?;
    let token = B64.encode(raw);
    let hash = refresh_hash(&token);
    Ok((token, hash))
}

#[must_use]
pub fn refresh_hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&Sha256::digest(token.as_bytes()));
    out
}

/// TOTP (RFC 6238) as authenticator apps expect it: HMAC-SHA1, 6 digits, 30-second steps,
/// one step of clock skew either way.
pub mod totp {
    use totp_rs::{Builder, Totp};

    /// 160 bits, as RFC 4226 recommends.
    pub const SECRET_BYTES: usize = 20;

    fn totp(secret: &[u8], login: &str) -> Option<Totp> {
        Builder::new()
            .with_secret(secret.to_vec())
            // A colon separates issuer and account in the URI label; logins may hold one.
            .with_account_name(login.replace(':', "_"))
            .with_issuer(Some("Rounds"))
            .build()
            .ok()
    }

    /// A fresh secret.
    pub fn new_secret() -> Result<Vec<u8>, getrandom::Error> {
        let mut s = vec![0u8; SECRET_BYTES];
        getrandom::fill(&mut s)?;
        Ok(s)
    }

    /// The secret in base32 (what people type when they cannot scan).
    #[must_use]
    pub fn base32(secret: &[u8]) -> String {
        totp_rs::Secret::from(secret.to_vec()).to_base32()
    }

    /// The `otpauth://totp/Rounds:<login>?secret=...&issuer=Rounds` URI of a secret.
    #[must_use]
    pub fn uri(secret: &[u8], login: &str) -> Option<String> {
        totp(secret, login)?.to_url().ok()
    }

    /// The step a 6-digit `code` is valid for at `unix_seconds`, if it is valid.
    #[must_use]
    pub fn check(secret: &[u8], code: &str, unix_seconds: u64) -> Option<u64> {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        totp(secret, "x")?.check(code, unix_seconds)
    }

    /// The code of `unix_seconds` (tests, and the enrolment test of the API).
    #[must_use]
    pub fn code(secret: &[u8], unix_seconds: u64) -> Option<String> {
        Some(totp(secret, "x")?.generate(unix_seconds).to_string())
    }
}

/// How many recovery codes an enrolment makes.
pub const RECOVERY_CODES: usize = 10;

/// Fresh recovery codes (`xxxxx-xxxxx`, 50 random bits each) and the hashes they are stored
/// under. 50 bits need no slow hash: they cannot be guessed offline from a SHA-256.
pub fn new_recovery_codes() -> Result<Vec<(String, [u8; 32])>, getrandom::Error> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i
    let mut out = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut raw = [0u8; 10];
        getrandom::fill(&mut raw)?;
        let chars: String = raw
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let code = format!("{}-{}", &chars[..5], &chars[5..]);
        let hash = recovery_hash(&code);
        out.push((code, hash));
    }
    Ok(out)
}

/// The hash a recovery code is stored under; spaces, dashes and case do not matter.
#[must_use]
pub fn recovery_hash(code: &str) -> [u8; 32] {
    let clean: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    refresh_hash(&clean)
}

/// The one normalisation of a login: the account lookup (`store::keys::login`) and the rate
/// limiter's key both use it, so that `" Admin "` and `admin` are the same account to both.
#[must_use]
pub fn normalize_login(login: &str) -> String {
    domain::org::normalize_login(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: PasswordCost = PasswordCost {
        memory_kib: 64,
        passes: 1,
    };

    #[test]
    fn a_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password("correct horse", CHEAP).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsf", &h));
        assert!(matches!(
            hash_password("short", CHEAP),
            Err(PasswordError::Weak)
        ));
    }

    #[test]
    fn tokens_expire_and_reject_tampering() {
        let t = Tokens::new([7; 32], Duration::from_secs(60), Duration::from_secs(3600));
        let now = Utc::now();
        let tok = t.issue(UserId::new(), OrgId::new(), now);
        assert!(t.check(&tok, now).is_ok());
        assert_eq!(
            t.check(&tok, now + chrono::Duration::seconds(61)),
            Err(TokenError::Expired)
        );
        let other = Tokens::new([8; 32], t.access_ttl, t.refresh_ttl);
        assert_eq!(other.check(&tok, now), Err(TokenError::Invalid));
        let mut forged = tok.clone();
        forged.insert(5, 'x');
        assert_eq!(t.check(&forged, now), Err(TokenError::Invalid));
    }

    #[test]
    fn totp_matches_the_rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B (SHA-1, 8 digits) through totp-rs; our 6-digit codes are the
        // last six digits of the same values.
        let secret = b"12345678901234567890".to_vec();
        let t = totp_rs::Builder::new()
            .with_secret(secret.clone())
            .with_digits(8)
            .build()
            .unwrap();
        for (time, want) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(t.generate(time).to_string(), want);
            assert_eq!(totp::code(&secret, time).unwrap(), want[2..]);
            assert!(totp::check(&secret, &want[2..], time).is_some());
        }
        // One step of skew either way, not two.
        let now = 1_234_567_890;
        let code = totp::code(&secret, now).unwrap();
        assert_eq!(totp::check(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(totp::check(&secret, &code, now + 60), None);
        assert_eq!(totp::check(&secret, "12345", now), None);
        assert_eq!(totp::check(&secret, "abcdef", now), None);
        let uri = totp::uri(&secret, "ad:min").unwrap();
        assert!(uri.starts_with("otpauth://totp/Rounds:ad_min?"), "{uri}");
        assert!(uri.contains(&format!("secret={}", totp::base32(&secret))));
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_loosely() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let (code, hash) = &codes[0];
        assert_eq!(recovery_hash(&code.to_uppercase().replace('-', " ")), *hash);
        let set: std::collections::HashSet<_> = codes.iter().map(|c| c.1).collect();
        assert_eq!(set.len(), RECOVERY_CODES);
    }
}
