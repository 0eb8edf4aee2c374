//! Login rate limits that slow guessing without letting anyone lock another person out.
//!
//! One rule ([`LoginLimits::count`]) decides every attempt. It runs on counters in this
//! process's memory when one process owns the data (sled), and inside a database transaction
//! on counters every instance shares when several serve one PostgreSQL database
//! ([`Store::count_login`]): otherwise each instance would hand an attacker its own guessing
//! budget, and a throttled pair its own queue.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::store::{self, Store};

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
    /// How far ahead a throttled pair's next turn may be; an attempt that would wait longer
    /// is refused (429) without being counted.
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

/// Failed sign-ins in a window: an account's, or an account-and-origin pair's. For a
/// throttled pair, also when its next turn may start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginCounter {
    pub start: DateTime<Utc>,
    pub failures: u32,
    pub next_turn: Option<DateTime<Utc>>,
}

impl LoginCounter {
    #[must_use]
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            start: now,
            failures: 0,
            next_turn: None,
        }
    }

    fn expired(&self, now: DateTime<Utc>, window: Duration) -> bool {
        (now - self.start).to_std().unwrap_or_default() >= window
            && self.next_turn.is_none_or(|t| t <= now)
    }
}

/// When a counted attempt may have its password checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    /// After the account's delay.
    Now,
    /// The pair is throttled: its turn starts after this wait, and then it waits the
    /// longest delay. Turns are handed out in arrival order, one per `max_delay`.
    In(Duration),
    /// The pair's queue is longer than `queue_wait`: refused, and not counted.
    Refused,
}

/// What [`LoginLimits::count`] decided for one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    /// The account's failures in the window before this attempt.
    pub account_before: u32,
    /// The pair's failures in the window before this attempt.
    pub pair_before: u32,
    pub turn: Turn,
}

impl LoginLimits {
    /// Counts one attempt as a failure on the account's and the pair's counters (it is
    /// refunded if it succeeds) and books a throttled pair's turn. Run with both counters
    /// locked, so that concurrent guesses are all counted.
    pub fn count(
        &self,
        account: &mut LoginCounter,
        pair: &mut LoginCounter,
        now: DateTime<Utc>,
    ) -> Counted {
        for c in [&mut *account, &mut *pair] {
            if c.expired(now, self.window) {
                *c = LoginCounter::new(now);
            }
        }
        let (account_before, pair_before) = (account.failures, pair.failures);
        let turn = if pair_before >= self.per_pair {
            let slot = pair.next_turn.map_or(now, |t| t.max(now));
            let wait = (slot - now).to_std().unwrap_or_default();
            if wait > self.queue_wait {
                return Counted {
                    account_before,
                    pair_before,
                    turn: Turn::Refused,
                };
            }
            pair.next_turn = Some(slot + self.max_delay);
            Turn::In(wait)
        } else {
            Turn::Now
        };
        account.failures = account.failures.saturating_add(1);
        pair.failures = pair.failures.saturating_add(1);
        Counted {
            account_before,
            pair_before,
            turn,
        }
    }
}

/// Where an attempt comes from, for the per-pair limit: a device that proved it signed in to
/// this account before (its own queue, which strangers' failures cannot fill), or else the
/// client address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    Address(Option<IpAddr>),
    KnownDevice(String),
}

impl Origin {
    fn key(&self) -> String {
        match self {
            Self::Address(Some(a)) => format!("address {a}"),
            Self::Address(None) => "address unknown".into(),
            Self::KnownDevice(d) => format!("device {d}"),
        }
    }
}

/// One login attempt, counted as a failure when it was begun (see [`RateLimiter::begin`]).
pub struct Attempt {
    account: Vec<u8>,
    pair: Vec<u8>,
    /// How long to wait before the password is checked.
    pub delay: Duration,
    /// Refused outright (429): its pair's queue is full. Nothing was counted.
    pub refused: bool,
    /// Failures of this account and address pair in the window, this one included.
    pub pair_failures: u32,
    /// Failures of the account from anywhere in the window, this one included.
    pub account_failures: u32,
    /// This attempt is the one that made the pair throttled (audited once per window).
    pub newly_throttled: bool,
}

/// Login rate limits that slow guessing without letting anyone lock another person out.
///
/// - Per **account and client address pair**: after [`LoginLimits::per_pair`] failures in the
///   window, that pair's attempts go one at a time, each after the longest delay; an attempt
///   whose turn is more than [`LoginLimits::queue_wait`] away is refused with 429. Other
///   addresses, and other accounts at the same address (colleagues in one shop behind one
///   NAT), are not affected.
/// - Per **account**: a delay that grows with failures from anywhere but is capped at
///   [`LoginLimits::max_delay`], served by sleeping before the password is checked. Attackers
///   on many addresses can make the right password wait a few seconds, never fail.
///
/// A throttled pair is never refused for long: turns are booked in arrival order, one per
/// `max_delay`, so the owner of the account typing the right password behind the same address
/// as someone hammering it gets in after a turn or two, while the hammering gets one guess per
/// `max_delay`. Every attempt is counted as a failure before its password is checked, with its
/// counters locked, and refunded once it succeeds.
///
/// The counters are the store's when it shares them between instances (PostgreSQL), so that
/// every instance counts the same failures and books the same turns; else this process's.
pub struct RateLimiter {
    limits: LoginLimits,
    counters: Mutex<HashMap<Vec<u8>, LoginCounter>>,
    shared: Option<Arc<dyn Store>>,
}

/// More keys than this and expired counters are dropped (an attacker making up logins must
/// not grow memory without bound).
const MAX_KEYS: usize = 200_000;

impl RateLimiter {
    /// Counters in this process's memory.
    #[must_use]
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            counters: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Counters in `store` when it shares them with other instances, else in memory.
    #[must_use]
    pub fn over(limits: LoginLimits, store: Arc<dyn Store>) -> Self {
        Self {
            shared: store.shares_login_counts().then_some(store),
            ..Self::new(limits)
        }
    }

    #[must_use]
    pub fn limits(&self) -> &LoginLimits {
        &self.limits
    }

    /// Counts an attempt on `login` (a `normalize_login`d key) from `addr` as a failure,
    /// atomically, and says how it must wait before its password is checked.
    pub async fn begin(&self, login: &str, addr: Option<IpAddr>) -> Result<Attempt, store::Error> {
        self.begin_from(login, Origin::Address(addr)).await
    }

    /// [`RateLimiter::begin`] for an attempt whose origin is known (see [`Origin`]).
    pub async fn begin_from(&self, login: &str, origin: Origin) -> Result<Attempt, store::Error> {
        // The prefixes keep an account's key apart from every pair's.
        let account = [b"account\x1f", login.as_bytes()].concat();
        let pair = [
            b"pair\x1f",
            login.as_bytes(),
            b"\x1f",
            origin.key().as_bytes(),
        ]
        .concat();
        let counted = match &self.shared {
            Some(store) => {
                store
                    .count_login(self.limits, account.clone(), pair.clone())
                    .await?
            }
            None => self.count_here(&account, &pair),
        };
        let throttled = counted.pair_before >= self.limits.per_pair;
        Ok(Attempt {
            delay: match counted.turn {
                Turn::Now => delay_after(&self.limits, counted.account_before),
                Turn::In(wait) => wait + self.limits.max_delay,
                Turn::Refused => Duration::ZERO,
            },
            refused: counted.turn == Turn::Refused,
            pair_failures: counted.pair_before + 1,
            account_failures: counted.account_before + 1,
            newly_throttled: throttled && counted.pair_before == self.limits.per_pair,
            account,
            pair,
        })
    }

    fn count_here(&self, account: &[u8], pair: &[u8]) -> Counted {
        let now = Utc::now();
        let mut c = self
            .counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if c.len() > MAX_KEYS {
            let window = self.limits.window;
            c.retain(|_, v| !v.expired(now, window));
        }
        let mut a = *c
            .entry(account.to_vec())
            .or_insert_with(|| LoginCounter::new(now));
        let mut p = *c
            .entry(pair.to_vec())
            .or_insert_with(|| LoginCounter::new(now));
        let counted = self.limits.count(&mut a, &mut p, now);
        c.insert(account.to_vec(), a);
        c.insert(pair.to_vec(), p);
        counted
    }

    /// Takes back the failure counted by [`RateLimiter::begin`]: the attempt succeeded, or
    /// it was refused without its password being checked. Only this attempt is taken back,
    /// so that someone's success hands no free guesses to whoever shares the pair.
    pub async fn refund(&self, attempt: &Attempt) {
        if attempt.refused {
            return;
        }
        match &self.shared {
            Some(store) => {
                if let Err(e) = store
                    .refund_login(attempt.account.clone(), attempt.pair.clone())
                    .await
                {
                    tracing::warn!(error = %e, "a sign-in's failure could not be taken back");
                }
            }
            None => {
                let mut c = self
                    .counters
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                for key in [&attempt.account, &attempt.pair] {
                    if let Some(v) = c.get_mut(key) {
                        v.failures = v.failures.saturating_sub(1);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn a_pair_is_throttled_but_other_addresses_and_accounts_are_not() {
        let r = RateLimiter::new(limits());
        let attacker: IpAddr = "10.0.0.66".parse().unwrap();
        let victim: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            let a = r.begin("ann", Some(attacker)).await.unwrap();
            assert!(!a.newly_throttled && !a.refused);
        }
        let a = r.begin("ann", Some(attacker)).await.unwrap();
        assert!(a.newly_throttled && !a.refused);
        assert_eq!(a.delay, limits().max_delay, "its turn is now");
        let b = r.begin("ann", Some(attacker)).await.unwrap();
        assert!(!b.newly_throttled);
        assert!(
            b.delay >= limits().max_delay * 2 - Duration::from_millis(50),
            "the next turn is one max_delay later: {:?}",
            b.delay
        );
        // The victim's own address: not throttled, only the capped account delay.
        let v = r.begin("ann", Some(victim)).await.unwrap();
        assert!(!v.refused);
        assert!(v.delay <= limits().max_delay);
        // A colleague behind the attacker's address is not slowed at all.
        let c = r.begin("bob", Some(attacker)).await.unwrap();
        assert!(c.delay.is_zero() && !c.refused);
    }

    #[test]
    fn turns_are_one_per_max_delay_and_a_queue_past_queue_wait_is_refused_uncounted() {
        let l = limits();
        let now = Utc::now();
        let (mut a, mut p) = (LoginCounter::new(now), LoginCounter::new(now));
        let turns: Vec<Turn> = (0..8).map(|_| l.count(&mut a, &mut p, now).turn).collect();
        let ms = |n| Turn::In(Duration::from_millis(n));
        assert_eq!(
            turns,
            [
                Turn::Now,
                Turn::Now,
                Turn::Now,
                ms(0),
                ms(400),
                ms(800),
                Turn::Refused,
                Turn::Refused
            ]
        );
        assert_eq!(p.failures, 6, "refused attempts are not counted");
        // Once the queue has moved on, a turn is booked again.
        let later = now + Duration::from_millis(800);
        assert_eq!(l.count(&mut a, &mut p, later).turn, ms(400));
        // A new window forgets the past failures.
        let next_window = now + Duration::from_secs(61);
        let c = l.count(&mut a, &mut p, next_window);
        assert_eq!((c.account_before, c.pair_before, c.turn), (0, 0, Turn::Now));
    }

    #[tokio::test]
    async fn one_normalisation_for_the_limit_and_the_lookup() {
        let r = RateLimiter::new(limits());
        let mut last = None;
        for login in ["ann", " Ann", "ANN ", "\tann\n"] {
            last = Some(
                r.begin(&crate::auth::normalize_login(login), None)
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(last.unwrap().account_failures, 4);
        assert_eq!(
            crate::store::login_key(" ÄNN "),
            crate::store::login_key(&crate::auth::normalize_login("änn"))
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_attempts_are_all_counted_and_a_success_refunds_one() {
        let r = Arc::new(RateLimiter::new(LoginLimits {
            per_pair: 1_000,
            ..limits()
        }));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let r = r.clone();
                tokio::spawn(async move {
                    for _ in 0..25 {
                        let _ = r.begin("ann", None).await.unwrap();
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        let a = r.begin("ann", None).await.unwrap();
        assert_eq!(a.account_failures, 401);
        r.refund(&a).await;
        assert_eq!(r.begin("ann", None).await.unwrap().account_failures, 401);
    }
}
