//! Passwords (argon2id), bearer tokens and login rate limits.
//!
//! Access tokens are stateless and short-lived: `v1.<payload>.<hmac-sha256>` signed with a
//! key the store makes on first start, so that checking one costs no database read beyond
//! the user record. Refresh tokens are random, stored only as their SHA-256, and rotate:
//! each works once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    login.trim().to_lowercase()
}

/// Limits for login attempts. See [`RateLimiter`] for how they combine.
#[derive(Clone, Copy, Debug)]
pub struct LoginLimits {
    /// Failed attempts per account and client address per window before that pair is
    /// throttled (its attempts go one at a time, each after [`LoginLimits::max_delay`]).
    pub per_pair: u32,
    /// Failures per account, from anywhere, before its attempts are delayed.
    pub free_failures: u32,
    /// The first delay after the free failures; it doubles with each further failure.
    pub base_delay: Duration,
    /// The longest delay any attempt is given: what an attacker can make a victim wait.
    pub max_delay: Duration,
    /// How long an attempt of a throttled pair waits for its turn before it is refused.
    pub queue_wait: Duration,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_pair: 10,
            free_failures: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(4),
            queue_wait: Duration::from_secs(8),
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// The delay after `failures` failures of an account: none for the first
/// [`LoginLimits::free_failures`], then `base * 2^(n - k)`, never more than `max_delay`.
#[must_use]
pub fn delay_after(limits: &LoginLimits, failures: u32) -> Duration {
    if failures < limits.free_failures {
        return Duration::ZERO;
    }
    let doublings = (failures - limits.free_failures).min(20);
    limits
        .base_delay
        .saturating_mul(1 << doublings)
        .min(limits.max_delay)
}

/// One login attempt, counted as a failure when it was begun (see [`RateLimiter::begin`]).
pub struct Attempt {
    key: String,
    origin: Origin,
    /// How long to sleep before the password is checked.
    pub delay: Duration,
    /// The pair is throttled: hold this turn while the attempt is checked, so that its
    /// attempts go one at a time.
    pub turn: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Failures of this account and address pair in the window, this one included.
    pub pair_failures: u32,
    /// Failures of the account from anywhere in the window, this one included.
    pub account_failures: u32,
    /// This attempt is the one that made the pair throttled (audited once per window).
    pub newly_throttled: bool,
}

struct Counter {
    start: Instant,
    failures: u32,
}

impl Counter {
    fn current(&mut self, now: Instant, window: Duration) -> &mut Self {
        if now.duration_since(self.start) >= window {
            self.start = now;
            self.failures = 0;
        }
        self
    }
}

struct Pair {
    counter: Counter,
    turn: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Default)]
struct Counters {
    accounts: HashMap<String, Counter>,
    pairs: HashMap<(String, Origin), Pair>,
}

/// Where an attempt comes from, for the per-pair limit: a device that proved it signed in to
/// this account before (its own queue, which strangers' failures cannot fill), or else the
/// client address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    Address(Option<IpAddr>),
    KnownDevice(String),
}

/// Login rate limits that slow guessing without letting anyone lock another person out.
///
/// - Per **account and client address pair**: after [`LoginLimits::per_pair`] failures in the
///   window, that pair's attempts go one at a time, each after the longest delay; an attempt
///   that cannot get its turn within [`LoginLimits::queue_wait`] is refused with 429. Other
///   addresses, and other accounts at the same address (colleagues in one shop behind one
///   NAT), are not affected.
/// - Per **account**: a delay that grows with failures from anywhere but is capped at
///   [`LoginLimits::max_delay`], served by sleeping before the password is checked. Attackers
///   on many addresses can make the right password wait a few seconds, never fail.
///
/// A throttled pair is never refused outright: its next attempt is checked within
/// `max_delay` of its turn, and the turns are handed out in arrival order, so the owner of
/// the account typing the right password behind the same address as someone hammering it
/// gets in after at most a turn or two, while the hammering gets one guess per `max_delay`.
/// Every attempt is counted as a failure before its password is checked, under one lock,
/// and refunded once it succeeds, so concurrent guesses are all counted.
///
/// Counters live in memory: each server instance limits on its own (the session epoch, by
/// contrast, is in the store). Several instances multiply the guessing budget by their
/// number, which the per-pair limit keeps small.
pub struct RateLimiter {
    limits: LoginLimits,
    counters: Mutex<Counters>,
}

/// More keys than this and expired counters are dropped (an attacker making up logins must
/// not grow memory without bound).
const MAX_KEYS: usize = 100_000;

impl RateLimiter {
    #[must_use]
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            counters: Mutex::new(Counters::default()),
        }
    }

    #[must_use]
    pub fn limits(&self) -> &LoginLimits {
        &self.limits
    }

    /// Counts an attempt on `login` (a [`normalize_login`]d key) from `addr` as a failure,
    /// atomically, and says how it must wait before its password is checked.
    pub fn begin(&self, login: &str, addr: Option<IpAddr>) -> Attempt {
        self.begin_from(login, Origin::Address(addr))
    }

    /// [`RateLimiter::begin`] for an attempt whose origin is known (see [`Origin`]).
    pub fn begin_from(&self, login: &str, origin: Origin) -> Attempt {
        let now = Instant::now();
        let window = self.limits.window;
        let mut c = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if c.accounts.len() > MAX_KEYS || c.pairs.len() > MAX_KEYS {
            c.accounts
                .retain(|_, v| now.duration_since(v.start) < window);
            c.pairs
                .retain(|_, v| now.duration_since(v.counter.start) < window);
        }
        let account = c.accounts.entry(login.to_owned()).or_insert(Counter {
            start: now,
            failures: 0,
        });
        let account_before = account.current(now, window).failures;
        account.failures += 1;
        let pair = c
            .pairs
            .entry((login.to_owned(), origin.clone()))
            .or_insert_with(|| Pair {
                counter: Counter {
                    start: now,
                    failures: 0,
                },
                turn: Arc::new(tokio::sync::Mutex::new(())),
            });
        let pair_before = pair.counter.current(now, window).failures;
        pair.counter.failures += 1;
        let throttled = pair_before >= self.limits.per_pair;
        Attempt {
            key: login.to_owned(),
            origin,
            delay: if throttled {
                self.limits.max_delay
            } else {
                delay_after(&self.limits, account_before)
            },
            turn: throttled.then(|| pair.turn.clone()),
            pair_failures: pair_before + 1,
            account_failures: account_before + 1,
            newly_throttled: pair_before == self.limits.per_pair,
        }
    }

    /// Takes back the failure counted by [`RateLimiter::begin`]: the attempt succeeded, or
    /// it was refused without its password being checked. Only this attempt is taken back,
    /// so that someone's success hands no free guesses to whoever shares the pair.
    pub fn refund(&self, attempt: &Attempt) {
        let mut c = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(a) = c.accounts.get_mut(&attempt.key) {
            a.failures = a.failures.saturating_sub(1);
        }
        if let Some(p) = c
            .pairs
            .get_mut(&(attempt.key.clone(), attempt.origin.clone()))
        {
            p.counter.failures = p.counter.failures.saturating_sub(1);
        }
    }

    /// Failures of an account in the current window (for tests and the logs).
    #[must_use]
    pub fn failures(&self, login: &str) -> u32 {
        let c = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        c.accounts.get(login).map_or(0, |a| {
            if a.start.elapsed() < self.limits.window {
                a.failures
            } else {
                0
            }
        })
    }
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

    fn limits() -> LoginLimits {
        LoginLimits {
            per_pair: 3,
            free_failures: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            queue_wait: Duration::from_secs(1),
            window: Duration::from_secs(60),
        }
    }

    #[test]
    fn the_delay_doubles_after_the_free_failures_and_is_capped() {
        let l = limits();
        let ms: Vec<u128> = (0..7).map(|n| delay_after(&l, n).as_millis()).collect();
        assert_eq!(ms, [0, 0, 100, 200, 400, 400, 400]);
        assert_eq!(delay_after(&l, u32::MAX), l.max_delay);
    }

    #[test]
    fn a_pair_is_throttled_but_other_addresses_and_accounts_are_not() {
        let r = RateLimiter::new(limits());
        let attacker: IpAddr = "10.0.0.66".parse().unwrap();
        let victim: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(r.begin("ann", Some(attacker)).turn.is_none());
        }
        let a = r.begin("ann", Some(attacker));
        assert!(a.turn.is_some() && a.newly_throttled);
        assert_eq!(a.delay, limits().max_delay);
        assert!(!r.begin("ann", Some(attacker)).newly_throttled);
        // The victim's own address: not throttled, only the capped account delay.
        let v = r.begin("ann", Some(victim));
        assert!(v.turn.is_none());
        assert!(v.delay <= limits().max_delay);
        // A colleague behind the attacker's address is not slowed at all.
        let b = r.begin("bob", Some(attacker));
        assert!(b.turn.is_none() && b.delay.is_zero());
    }

    #[test]
    fn one_normalisation_for_the_limit_and_the_lookup() {
        let r = RateLimiter::new(limits());
        for login in ["ann", " Ann", "ANN ", "\tann\n"] {
            r.begin(&normalize_login(login), None);
        }
        assert_eq!(r.failures("ann"), 4);
        assert_eq!(
            crate::store::login_key(" ÄNN "),
            crate::store::login_key(&normalize_login("änn"))
        );
    }

    #[test]
    fn concurrent_attempts_are_all_counted_and_a_success_refunds_one() {
        let r = Arc::new(RateLimiter::new(limits()));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let r = r.clone();
                std::thread::spawn(move || {
                    for _ in 0..25 {
                        let _ = r.begin("ann", None);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(r.failures("ann"), 400);
        let a = r.begin("ann", None);
        r.refund(&a);
        assert_eq!(r.failures("ann"), 400);
    }
}
