//! Sign-in under attack, sessions that end at once, and the second factor (issue 10,
//! findings 5, 6 and 9): a real server on 127.0.0.1 over sled in a temp dir. Clients bind
//! to other loopback addresses (127.0.0.2, ...) to play attackers elsewhere.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use chrono::Utc;
use domain::ops::{Record, RecordKey};
use domain::org::{Role, User};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::auth::{LoginLimits, totp};
use server::http::ApiConfig;
use server::run;
use server::store::{AuditEntry, AuditWhat, Store};

/// Limits scaled down so that a test takes seconds: 3 failures per pair, 2 free per
/// account, delays 50 ms doubling to 200 ms.
fn limits() -> LoginLimits {
    LoginLimits {
        per_pair: 3,
        free_failures: 2,
        base_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
        queue_wait: Duration::from_secs(2),
        window: Duration::from_secs(600),
    }
}

async fn env_with_limits(limits: LoginLimits) -> Env {
    env_with(ApiConfig {
        login_limits: limits,
        ..ApiConfig::default()
    })
    .await
}

/// A client whose requests come from `from` (any 127.x.y.z reaches the server on Linux).
fn client(from: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(from.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

impl Env {
    /// A user matching `f` (the demo's logins are named by role).
    fn find(&self, f: impl Fn(&User) -> bool) -> User {
        self.records
            .iter()
            .find_map(|r| match r {
                Record::User(u) if f(u) => Some(u.clone()),
                _ => None,
            })
            .unwrap()
    }

    async fn post_from(
        &self,
        http: &reqwest::Client,
        token: Option<&str>,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut r = http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let res = r.send().await.unwrap();
        let status = res.status();
        if status.is_client_error() || status.is_server_error() {
            assert_eq!(res.headers()["content-type"], "application/problem+json");
        }
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn status_of(&self, token: &str, path: &str) -> StatusCode {
        client("127.0.0.1")
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
    }

    async fn login(&self, login: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            None,
            "/v1/auth/login",
            json!({"login": login, "password": password}),
        )
        .await
    }

    /// Signs in; the access and refresh tokens.
    async fn session(&self, login: &str, password: &str) -> (String, String) {
        let (s, v) = self.login(login, password).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        (
            v["access_token"].as_str().unwrap().to_owned(),
            v["refresh_token"].as_str().unwrap().to_owned(),
        )
    }

    async fn refresh(&self, refresh: &str) -> StatusCode {
        self.post(None, "/v1/auth/refresh", json!({"refresh_token": refresh}))
            .await
            .0
    }

    fn audit(&self, user: &User) -> Vec<AuditEntry> {
        self.store.audit_log(user.org, 0, 100_000).unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_victim_signs_in_while_attackers_hammer_from_elsewhere_and_from_their_own_address() {
    let e = Arc::new(env_with_limits(limits()).await);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut attackers = Vec::new();
    for from in ["127.0.0.2", "127.0.0.3", "127.0.0.1"] {
        for _ in 0..2 {
            let (e, stop) = (e.clone(), stop.clone());
            attackers.push(tokio::spawn(async move {
                let http = client(from);
                let mut answers = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (s, _) = e
                        .post_from(
                            &http,
                            None,
                            "/v1/auth/login",
                            json!({"login": "admin", "password": "guess-guess"}),
                        )
                        .await;
                    answers.push(s);
                }
                answers
            }));
        }
    }
    // Let the attack pass every limit: the account's delay is at its cap and each attacking
    // pair is throttled.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let admin = e.user("admin");
    assert!(
        e.audit(&admin)
            .iter()
            .filter(|a| matches!(&a.what, AuditWhat::LoginThrottled { .. }))
            .count()
            >= 3,
        "every attacking address is throttled"
    );
    for from in ["127.0.0.1", "127.0.0.9"] {
        let started = Instant::now();
        let (s, v) = e
            .post_from(
                &client(from),
                None,
                "/v1/auth/login",
                json!({"login": "admin", "password": DEMO_PASSWORD}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "the victim at {from} gets in: {v}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "within a few seconds: {:?}",
            started.elapsed()
        );
    }
    // A colleague behind the same address signs in (and is not delayed: see the limiter's
    // unit tests).
    let dispatcher = e.find(|u| u.roles == vec![Role::Dispatcher]);
    e.session(&dispatcher.login, DEMO_PASSWORD).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answers = Vec::new();
    for a in attackers {
        answers.extend(a.await.unwrap());
    }
    // The attack itself never got further than wrong-password answers and throttling.
    assert!(
        answers
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spaces_and_case_around_the_login_count_on_the_same_key() {
    let e = env_with_limits(limits()).await;
    let admin = e.user("admin");
    for login in [" admin", "ADMIN ", "\tAdmin\n", "admin"] {
        let (s, _) = e.login(login, "wrong-password").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let audit = e.audit(&admin);
    let counts: Vec<u32> = audit
        .iter()
        .filter_map(|a| match &a.what {
            AuditWhat::LoginFailed {
                login,
                failures,
                address,
                second_factor: false,
            } => {
                assert_eq!(login, "admin");
                assert_eq!(address.as_deref(), Some("127.0.0.1"));
                Some(*failures)
            }
            _ => None,
        })
        .collect();
    assert_eq!(counts, [1, 2, 3, 4], "one key for every spelling");
    assert!(
        audit.iter().any(|a| a.actor == admin.id
            && matches!(&a.what, AuditWhat::LoginThrottled { login, failures: 4, .. } if login == "admin")),
        "the fourth failure from this address throttles it, whatever the spelling"
    );
    // The right password in any spelling still works.
    e.session("  ADMIN ", DEMO_PASSWORD).await;
    // Unknown logins are logged, not audited (they belong to no organization).
    e.login("nobody-here", "wrong-password").await;
    assert!(!e.audit(&admin).iter().any(
        |a| matches!(&a.what, AuditWhat::LoginFailed { login, .. } if login == "nobody-here")
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_wrong_guesses_are_all_counted() {
    let e = Arc::new(
        env_with_limits(LoginLimits {
            queue_wait: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            ..limits()
        })
        .await,
    );
    let n = 12;
    let guesses: Vec<_> = (0..n)
        .map(|_| {
            let e = e.clone();
            tokio::spawn(async move { e.login("admin", "wrong-password").await.0 })
        })
        .collect();
    let mut answers = Vec::new();
    for g in guesses {
        answers.push(g.await.unwrap());
    }
    let checked = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, n);
    assert!(
        refused > 0 && checked < n,
        "the limit holds against a burst: {answers:?}"
    );
    let admin = e.user("admin");
    let mut counts: Vec<u32> = e
        .audit(&admin)
        .iter()
        .filter_map(|a| match &a.what {
            AuditWhat::LoginFailed { failures, .. } => Some(*failures),
            _ => None,
        })
        .collect();
    assert_eq!(counts.len(), checked, "every checked guess is audited");
    counts.sort_unstable();
    counts.dedup();
    assert_eq!(counts.len(), checked, "each guess was counted on its own");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_and_ending_sessions_end_access_and_refresh_tokens_at_once() {
    let e = env_with_limits(limits()).await;
    let (admin_token, _) = e.session("admin", DEMO_PASSWORD).await;
    let tech = e.find(|u| u.roles == vec![Role::Technician]);
    let store = tech.stores[0];

    // "End sessions": both tokens stop working at once; the password still signs in.
    let (access, refresh) = e.session(&tech.login, DEMO_PASSWORD).await;
    assert_eq!(e.status_of(&access, "/v1/jobs").await, StatusCode::OK);
    let path = format!("/v1/admin/users/{}/sessions/end", tech.id);
    let (s, v) = e.post(Some(&admin_token), &path, json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(
        e.status_of(&access, "/v1/jobs").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(e.refresh(&refresh).await, StatusCode::UNAUTHORIZED);
    let (access, refresh) = e.session(&tech.login, DEMO_PASSWORD).await;
    assert_eq!(e.status_of(&access, "/v1/jobs").await, StatusCode::OK);

    // A password set by the dispatcher of the technician's store: the same, and only the
    // new password works.
    let dispatcher = e.find(|u| u.roles == vec![Role::Dispatcher] && u.stores.contains(&store));
    let (disp_token, _) = e.session(&dispatcher.login, DEMO_PASSWORD).await;
    let path = format!("/v1/admin/users/{}/password", tech.id);
    let (s, v) = e
        .post(Some(&disp_token), &path, json!({"password": "short"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["field"], "password");
    let (s, v) = e
        .post(
            Some(&disp_token),
            &path,
            json!({"password": "new-password-1"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(
        e.status_of(&access, "/v1/jobs").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(e.refresh(&refresh).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        e.login(&tech.login, DEMO_PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (access, _) = e.session(&tech.login, "new-password-1").await;

    // Who may: not a dispatcher of another store, not a rep, not a dispatcher on an admin;
    // unknown ids and other organizations' ids are not found.
    let other = e.find(|u| u.roles == vec![Role::Dispatcher] && !u.stores.contains(&store));
    let (other_token, _) = e.session(&other.login, DEMO_PASSWORD).await;
    let body = json!({"password": "hijacked-password"});
    assert_eq!(
        e.post(Some(&other_token), &path, body.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let rep = e.find(|u| u.roles == vec![Role::Sales] && u.stores.contains(&store));
    let (rep_token, _) = e.session(&rep.login, DEMO_PASSWORD).await;
    assert_eq!(
        e.post(Some(&rep_token), &path, body.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let admin = e.user("admin");
    let admin_path = format!("/v1/admin/users/{}/password", admin.id);
    assert_eq!(
        e.post(Some(&disp_token), &admin_path, body.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let unknown = format!("/v1/admin/users/{}/password", uuid::Uuid::now_v7());
    assert_eq!(
        e.post(Some(&admin_token), &unknown, body.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    let dyn_store: Arc<dyn Store> = e.store.clone();
    let (_, foreign) = run::create_org(
        &dyn_store,
        "Other chain",
        "other-admin",
        "Other",
        "other-password",
        CHEAP,
    )
    .await
    .unwrap();
    let foreign_path = format!("/v1/admin/users/{}/password", foreign.0);
    assert_eq!(
        e.post(Some(&admin_token), &foreign_path, body.clone())
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let foreign_end = format!("/v1/admin/users/{}/sessions/end", foreign.0);
    assert_eq!(
        e.post(Some(&admin_token), &foreign_end, json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(e.status_of(&access, "/v1/jobs").await, StatusCode::OK);

    // The operator's CLI path ends sessions too.
    let (access, refresh) = e.session(&tech.login, "new-password-1").await;
    run::reset_password(&dyn_store, &tech.login, "cli-password-1", CHEAP)
        .await
        .unwrap();
    assert_eq!(
        e.status_of(&access, "/v1/jobs").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(e.refresh(&refresh).await, StatusCode::UNAUTHORIZED);

    // Deactivation (the record says `active: false`) refuses both tokens as well.
    let (access, refresh) = e.session(&tech.login, "cli-password-1").await;
    let mut inactive = tech.clone();
    inactive.active = false;
    e.store.import(vec![Record::User(inactive)]).await.unwrap();
    assert_eq!(
        e.status_of(&access, "/v1/jobs").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(e.refresh(&refresh).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        e.login(&tech.login, "cli-password-1").await.0,
        StatusCode::UNAUTHORIZED
    );

    // Anyone may end their own sessions (signed out everywhere).
    let own = format!("/v1/admin/users/{}/sessions/end", rep.id);
    assert_eq!(
        e.post(Some(&rep_token), &own, json!({})).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        e.status_of(&rep_token, "/v1/jobs").await,
        StatusCode::UNAUTHORIZED
    );

    let audit = e.audit(&admin);
    assert!(audit.iter().any(|a| a.actor == dispatcher.id
        && a.what == AuditWhat::PasswordSet { user: tech.id }));
    assert!(
        audit
            .iter()
            .any(|a| a.actor == admin.id && a.what == AuditWhat::SessionsEnded { user: tech.id })
    );
}

/// Turns the organization's second factor for admins on.
async fn require_second_factor(e: &Env) {
    let org = e.user("admin").org;
    let Some(Record::Org(mut o)) = e.store.get(RecordKey::Org(org)).unwrap() else {
        panic!("no org")
    };
    o.settings.admin_second_factor = true;
    e.store.import(vec![Record::Org(o)]).await.unwrap();
}

fn now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_sign_in_with_a_second_factor_when_the_organization_requires_it() {
    let e = env_with_limits(limits()).await;
    let admin = e.user("admin");
    // Off by default: the password is enough; enrolling is allowed anyway.
    let (full, full_refresh) = e.session("admin", DEMO_PASSWORD).await;
    require_second_factor(&e).await;
    // A session from before does not refresh into a session without the second factor.
    assert_eq!(e.refresh(&full_refresh).await, StatusCode::UNAUTHORIZED);

    // Not enrolled yet: a session that can only enrol (no data, no refresh).
    let (s, v) = e.login("admin", DEMO_PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["second_factor_setup"], true);
    let setup = v["access_token"].as_str().unwrap().to_owned();
    assert_eq!(e.status_of(&setup, "/v1/jobs").await, StatusCode::FORBIDDEN);
    assert_eq!(
        e.refresh(v["refresh_token"].as_str().unwrap()).await,
        StatusCode::UNAUTHORIZED
    );
    let (s, v) = e
        .post(Some(&setup), "/v1/auth/second-factor", json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let uri = v["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Rounds:admin?"), "{uri}");
    let secret = totp_rs::Secret::try_from_base32(v["secret"].as_str().unwrap())
        .unwrap()
        .as_ref()
        .to_vec();
    let (s, v) = e
        .post(
            Some(&setup),
            "/v1/auth/second-factor/confirm",
            json!({"code": "000000"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let t = now();
    let (s, v) = e
        .post(
            Some(&setup),
            "/v1/auth/second-factor/confirm",
            json!({"code": totp::code(&secret, t).unwrap()}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let recovery: Vec<String> = serde_json::from_value(v["recovery_codes"].clone()).unwrap();
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        e.post(Some(&full), "/v1/auth/second-factor", json!({}))
            .await
            .0,
        StatusCode::CONFLICT,
        "an enrolled factor is not replaced with a token alone"
    );

    // Without a code: a distinct problem; not counted as a failure.
    let (s, v) = e.login("admin", DEMO_PASSWORD).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["type"], "urn:rounds:problem:second_factor_required");
    // A wrong code: the same problem, counted and audited.
    let login = |otp: String| {
        let e = &e;
        async move {
            e.post(
                None,
                "/v1/auth/login",
                json!({"login": "admin", "password": DEMO_PASSWORD, "otp": otp}),
            )
            .await
        }
    };
    let (s, v) = login("000000".into()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["type"], "urn:rounds:problem:second_factor_required");
    assert!(e.audit(&admin).iter().any(|a| a.actor == admin.id
        && matches!(
            &a.what,
            AuditWhat::LoginFailed {
                second_factor: true,
                failures: 1,
                ..
            }
        )));
    // A wrong password with a code is a plain wrong password.
    let (s, v) = e
        .post(
            None,
            "/v1/auth/login",
            json!({"login": "admin", "password": "wrong-password", "otp": "000000"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(v["type"], "about:blank");

    // The next step's code (the confirming one is spent) signs in; once.
    let next = totp::code(&secret, t + 30).unwrap();
    let (s, v) = login(next.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v.get("second_factor_setup").is_none());
    let access = v["access_token"].as_str().unwrap().to_owned();
    assert_eq!(e.status_of(&access, "/v1/jobs").await, StatusCode::OK);
    assert_eq!(
        e.refresh(v["refresh_token"].as_str().unwrap()).await,
        StatusCode::OK,
        "a session signed in with the second factor refreshes"
    );
    assert_eq!(login(next).await.0, StatusCode::UNAUTHORIZED, "replayed");

    // A recovery code works once, however it is typed.
    let code = recovery[3].to_uppercase().replace('-', " ");
    let (s, v) = login(code.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(login(code).await.0, StatusCode::UNAUTHORIZED, "used up");
    assert!(
        e.audit(&admin)
            .iter()
            .any(|a| a.actor == admin.id && a.what == AuditWhat::RecoveryCodeUsed { left: 9 })
    );
    assert!(
        e.audit(&admin)
            .iter()
            .any(|a| a.actor == admin.id && a.what == AuditWhat::SecondFactorEnrolled)
    );

    // Only admins: a dispatcher still signs in with the password alone.
    let dispatcher = e.find(|u| u.roles == vec![Role::Dispatcher]);
    e.session(&dispatcher.login, DEMO_PASSWORD).await;
    // The body still refuses unknown fields; a null code is no code.
    let (s, _) = e
        .post(
            None,
            "/v1/auth/login",
            json!({"login": dispatcher.login, "password": DEMO_PASSWORD, "code": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = e
        .post(
            None,
            "/v1/auth/login",
            json!({"login": dispatcher.login, "password": DEMO_PASSWORD, "otp": null}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

/// A flood of concurrent guesses from the victim's own address (someone on the shop's wifi)
/// fills that address's queue for the account; a device that signed in to the account
/// before has its own queue and gets in at once (without its proof it waited 2.2 s and more).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_device_gets_in_through_a_flood_from_its_own_address() {
    let e = Arc::new(env_with_limits(limits()).await);
    let shop = "127.0.0.5";
    let (s, v) = e
        .post_from(
            &client(shop),
            None,
            "/v1/auth/login",
            json!({"login": "admin", "password": DEMO_PASSWORD, "device_id": "front-desk"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let device_token = v["device_token"]
        .as_str()
        .expect("a device token")
        .to_owned();

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut attackers = Vec::new();
    for _ in 0..24 {
        let (e, stop) = (e.clone(), stop.clone());
        attackers.push(tokio::spawn(async move {
            let http = client(shop);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                e.post_from(
                    &http,
                    None,
                    "/v1/auth/login",
                    // A stolen device id without its token buys nothing.
                    json!({"login": "admin", "password": "guess-guess", "device_id": "front-desk"}),
                )
                .await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let started = Instant::now();
    let (s, v) = e
        .post_from(
            &client(shop),
            None,
            "/v1/auth/login",
            json!({"login": " Admin", "password": DEMO_PASSWORD, "device_id": "front-desk",
                   "device_token": device_token}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "the known device gets in: {v}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "without queueing behind the flood: {:?}",
        started.elapsed()
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for a in attackers {
        a.await.unwrap();
    }
}
