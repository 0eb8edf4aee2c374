//! Passwords (argon2id), bearer tokens and login rate limits.
//!
//! Access tokens are stateless and short-lived: `v1.<payload>.<hmac-sha256>` signed with a
//! key the store makes on first start, so that checking one costs no database read beyond
//! the user record. Refresh tokens are random, stored only as their SHA-256, and rotate:
//! each works once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::ids::{OrgId, UserId};
use thiserror::Error;

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

    #[must_use]
    pub fn issue(&self, user: UserId, org: OrgId, now: DateTime<Utc>) -> String {
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = Claims {
            user,
            org,
            exp: now.timestamp() + ttl,
        };
        let payload = B64.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let sig = B64.encode(self.mac(&payload));
        format!("v1.{payload}.{sig}")
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

/// Limits for login attempts.
#[derive(Clone, Copy, Debug)]
pub struct LoginLimits {
    /// Failed attempts per account per window.
    pub per_account: u32,
    /// Attempts (failed or not) per client address per window.
    pub per_address: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 30,
            window: Duration::from_secs(300),
        }
    }
}

/// Fixed-window counters in memory: enough for one instance; a multi-instance deployment
/// would keep them in the shared database.
pub struct RateLimiter {
    limits: LoginLimits,
    accounts: Mutex<HashMap<String, (Instant, u32)>>,
    addresses: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    #[must_use]
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            accounts: Mutex::new(HashMap::new()),
            addresses: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt from `addr` and says whether the login may be tried; `Err` carries
    /// the seconds to wait.
    pub fn attempt(&self, login: &str, addr: Option<IpAddr>) -> Result<(), u64> {
        let now = Instant::now();
        if let Some(addr) = addr
            && let Ok(mut map) = self.addresses.lock()
        {
            let wait = bump(
                &mut map,
                addr,
                now,
                self.limits.window,
                self.limits.per_address,
            );
            if map.len() > 100_000 {
                map.retain(|_, (start, _)| now.duration_since(*start) < self.limits.window);
            }
            wait?;
        }
        if let Ok(map) = self.accounts.lock()
            && let Some((start, n)) = map.get(&login.to_lowercase())
        {
            let elapsed = now.duration_since(*start);
            if elapsed < self.limits.window && *n >= self.limits.per_account {
                return Err((self.limits.window - elapsed).as_secs().max(1));
            }
        }
        Ok(())
    }

    pub fn failed(&self, login: &str) {
        let now = Instant::now();
        if let Ok(mut map) = self.accounts.lock() {
            let _ = bump(
                &mut map,
                login.to_lowercase(),
                now,
                self.limits.window,
                u32::MAX,
            );
            if map.len() > 100_000 {
                map.retain(|_, (start, _)| now.duration_since(*start) < self.limits.window);
            }
        }
    }

    pub fn succeeded(&self, login: &str) {
        if let Ok(mut map) = self.accounts.lock() {
            map.remove(&login.to_lowercase());
        }
    }
}

fn bump<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, (Instant, u32)>,
    key: K,
    now: Instant,
    window: Duration,
    max: u32,
) -> Result<(), u64> {
    let e = map.entry(key).or_insert((now, 0));
    if now.duration_since(e.0) >= window {
        *e = (now, 0);
    }
    if e.1 >= max {
        return Err((window - now.duration_since(e.0)).as_secs().max(1));
    }
    e.1 += 1;
    Ok(())
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
    fn failed_logins_lock_the_account_but_not_others() {
        let r = RateLimiter::new(LoginLimits {
            per_account: 2,
            per_address: 100,
            window: Duration::from_secs(60),
        });
        for _ in 0..2 {
            assert!(r.attempt("ann", None).is_ok());
            r.failed("ann");
        }
        assert!(r.attempt("Ann", None).is_err());
        assert!(r.attempt("bob", None).is_ok());
    }

    #[test]
    fn one_address_is_limited_across_accounts() {
        let r = RateLimiter::new(LoginLimits {
            per_account: 100,
            per_address: 3,
            window: Duration::from_secs(60),
        });
        let ip: IpAddr = "127.0.0.9".parse().unwrap();
        for i in 0..3 {
            assert!(r.attempt(&format!("u{i}"), Some(ip)).is_ok());
        }
        assert!(r.attempt("u9", Some(ip)).is_err());
    }
}
