//! The audit of reads and writes, as the server keeps it and an admin browses it
//! (`GET /v1/audit`): who did or saw what, when, from which device. The server writes it
//! (`server/src/store`); the console words it (`words::Table::audit_what`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, OpId, UserId};
use crate::ops::{Record, RecordKey};

/// An append-only audit line: who did or saw what, when, from which device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Assigned by the store; strictly increasing per organization.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: UserId,
    pub device: String,
    pub what: AuditWhat,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AuditWhat {
    /// An op was decided (applied or rejected) for the first time.
    Op {
        op: OpId,
        kind: String,
        /// The time the person made it, on their device.
        made_at: DateTime<Utc>,
        applied: bool,
        detail: String,
        changed: Vec<RecordKey>,
        /// Each field the op changed, before and after (new records: every field).
        #[serde(default)]
        changes: Vec<FieldChange>,
    },
    /// Personal data was returned without masking.
    UnmaskedRead { keys: Vec<RecordKey> },
    /// A device was signed out remotely, or a signed-out device was told to wipe itself.
    DeviceSignOut {
        user: UserId,
        device_id: String,
        wiped: bool,
    },
    /// A search ran; `masked` counts the results whose personal data was hidden.
    Search {
        query: String,
        results: usize,
        masked: usize,
    },
    /// A sign-in to this account failed (the actor is the account's user). `failures` counts
    /// this account's failures in the limiter's window, from anywhere.
    LoginFailed {
        login: String,
        address: Option<String>,
        /// The password was right but the second-factor code was wrong.
        second_factor: bool,
        failures: u32,
    },
    /// Sign-ins to this account from this address are now throttled (once per window).
    LoginThrottled {
        login: String,
        address: Option<String>,
        failures: u32,
    },
    /// A user's password was set by an admin or dispatcher (the actor); their sessions ended.
    PasswordSet { user: UserId },
    /// Every session of a user was ended (password kept).
    SessionsEnded { user: UserId },
    /// The actor enrolled a second factor.
    SecondFactorEnrolled,
    /// The actor signed in with a recovery code; `left` remain.
    RecoveryCodeUsed { left: usize },
    /// The actor exported a customer's personal data on their request (`crate::privacy`).
    Export {
        customer: CustomerId,
        format: String,
    },
    /// The actor asked for the export of a customer they may not see or export.
    ExportRefused { customer: CustomerId },
}

/// One field of one record as an op changed it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub record: RecordKey,
    /// The field's path in the record, e.g. `phones` or `address.street`.
    pub field: String,
    /// `null` when the record or field did not exist.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub before: serde_json::Value,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub after: serde_json::Value,
}

impl FieldChange {
    /// The fields that differ between two versions of a record, by path; objects are walked,
    /// anything else (lists included) is compared whole.
    #[must_use]
    pub fn between(key: RecordKey, before: Option<&Record>, after: Option<&Record>) -> Vec<Self> {
        fn body(r: Option<&Record>) -> serde_json::Value {
            // A record serialises as `{"Kind": {...}}`: compare what is inside.
            match r.and_then(|r| serde_json::to_value(r).ok()) {
                Some(serde_json::Value::Object(m)) if m.len() == 1 => {
                    m.into_iter().next().map(|(_, v)| v).unwrap_or_default()
                }
                Some(v) => v,
                None => serde_json::Value::Null,
            }
        }
        fn walk(
            key: RecordKey,
            path: &str,
            a: &serde_json::Value,
            b: &serde_json::Value,
            out: &mut Vec<FieldChange>,
        ) {
            use serde_json::Value;
            if a == b {
                return;
            }
            match (a, b) {
                (Value::Object(x), Value::Object(y)) => {
                    let mut fields: Vec<&String> = x.keys().chain(y.keys()).collect();
                    fields.sort();
                    fields.dedup();
                    for f in fields {
                        let p = if path.is_empty() {
                            f.clone()
                        } else {
                            format!("{path}.{f}")
                        };
                        let none = Value::Null;
                        walk(
                            key,
                            &p,
                            x.get(f).unwrap_or(&none),
                            y.get(f).unwrap_or(&none),
                            out,
                        );
                    }
                }
                (Value::Null, Value::Object(_)) => {
                    walk(key, path, &Value::Object(Default::default()), b, out);
                }
                _ => out.push(FieldChange {
                    record: key,
                    field: path.to_owned(),
                    before: a.clone(),
                    after: b.clone(),
                }),
            }
        }
        let mut out = Vec::new();
        walk(key, "", &body(before), &body(after), &mut out);
        // Who last changed each customer field (`domain::conflicts::FieldEdit`) is what the
        // audit entry itself says: not a change of its own.
        if matches!(key, RecordKey::Customer(_)) {
            out.retain(|c| c.field != "edits");
        }
        out
    }
}

/// A page of the audit as `GET /v1/audit` answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Where to continue; `None` at the end of the audit.
    pub next: Option<u64>,
}

/// The kinds of event an admin filters the audit by, as the entries name them (`event`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, facet::Facet)]
#[repr(C)]
pub enum AuditKind {
    Op,
    UnmaskedRead,
    Search,
    Export,
    ExportRefused,
    LoginFailed,
    DeviceSignOut,
    PasswordSet,
    SessionsEnded,
}

impl AuditKind {
    pub const ALL: [AuditKind; 9] = [
        AuditKind::Op,
        AuditKind::UnmaskedRead,
        AuditKind::Search,
        AuditKind::Export,
        AuditKind::ExportRefused,
        AuditKind::LoginFailed,
        AuditKind::DeviceSignOut,
        AuditKind::PasswordSet,
        AuditKind::SessionsEnded,
    ];

    /// The `event` name the entries carry.
    #[must_use]
    pub fn event(self) -> &'static str {
        match self {
            AuditKind::Op => "op",
            AuditKind::UnmaskedRead => "unmasked_read",
            AuditKind::Search => "search",
            AuditKind::Export => "export",
            AuditKind::ExportRefused => "export_refused",
            AuditKind::LoginFailed => "login_failed",
            AuditKind::DeviceSignOut => "device_sign_out",
            AuditKind::PasswordSet => "password_set",
            AuditKind::SessionsEnded => "sessions_ended",
        }
    }
}
