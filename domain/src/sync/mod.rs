//! The sync protocol between devices and the server (the API boundary: these types are the
//! JSON on the wire), and the device's outbox of ops the server has not yet acknowledged.

mod outbox;

use serde::{Deserialize, Serialize};

use crate::ids::OpId;
use crate::ops::{Applied, Op, OpError, Record, RecordKey};
use crate::org::User;
use crate::words::Table;

pub use outbox::{Outbox, Rejection};

/// Most ops one `POST /v1/sync` may push. The server refuses a longer batch; a device sends its
/// outbox in batches of this size, the rest in the next round. (The OpenAPI `max_items` of
/// [`SyncRequest::ops`] repeats it as a literal, which utoipa requires; a server test keeps the
/// two equal.)
pub const MAX_OPS: usize = 200;

/// `POST /v1/sync`: push pending ops, pull what changed since `cursor`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRequest {
    /// Stable per installation; recorded in the audit log.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub device_id: String,
    /// The `cursor` of the last response; 0 (or absent) on first sync.
    #[serde(default)]
    pub cursor: u64,
    /// At most 200 per request.
    #[serde(default)]
    // `MAX_OPS`; utoipa takes only a literal, a test in `server/src/http/openapi.rs` checks.
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    /// One result per pushed op, in order.
    pub results: Vec<OpResult>,
    /// Records the caller may see that changed after the request's cursor, oldest first.
    pub changes: Vec<Change>,
    /// Send this back as the next request's cursor.
    pub cursor: u64,
    /// More changes are waiting: sync again straight away (first syncs are paged).
    pub more: bool,
    /// The server's clock when it answered: devices learn their clock's offset from it, so
    /// that the times they stamp on ops agree with the server's (which refuses ops from the
    /// future).
    #[serde(default)]
    pub server_time: Option<chrono::DateTime<chrono::Utc>>,
    /// This device was signed out remotely (a lost phone): it sends what it still has to send,
    /// then removes everything it holds and signs out. Its pushes are still applied.
    #[serde(default)]
    pub wipe: bool,
    /// The request's cursor is past the end of the server's change log: the server was
    /// restored from a backup taken before this device last synced. The device drops its
    /// replica and fetches everything again from cursor 0 (this answer's cursor), keeping the
    /// changes it has not sent yet; the pushed ops of this request were applied as usual.
    #[serde(default)]
    pub reset: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op: OpId,
    #[serde(flatten)]
    pub status: OpStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OpStatus {
    Applied {
        changed: Vec<RecordKey>,
    },
    /// `message` is the error in words (the request's `Accept-Language`, else English), for
    /// shells that do not decode `error`.
    Rejected {
        error: OpError,
        message: String,
    },
}

impl OpStatus {
    /// An op's outcome, a refusal worded from `words`.
    #[must_use]
    pub fn worded(r: Result<Applied, OpError>, words: &dyn Table) -> Self {
        match r {
            Ok(a) => OpStatus::Applied { changed: a.changed },
            Err(e) => OpStatus::Rejected {
                message: words.op_error(&e),
                error: e,
            },
        }
    }
}

/// In English.
impl From<Result<Applied, OpError>> for OpStatus {
    fn from(r: Result<Applied, OpError>) -> Self {
        OpStatus::worded(r, &crate::words::En)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    /// The record as it now is (masked as the caller's role requires).
    Put { record: Box<Record> },
    /// The caller may no longer see this record (e.g. a job moved to another technician).
    Gone { key: RecordKey },
}

/// `POST /v1/auth/login`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, or a recovery code: needed by admins of
    /// organizations that require a second factor (the server answers 401 with the problem
    /// type `urn:rounds:problem:second_factor_required` when it is missing or wrong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub otp: Option<String>,
    /// The installation signing in (as in `SyncRequest::device_id`): its sessions are bound to
    /// it, so that a remote sign-out of this device ends them and no other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub device_id: Option<String>,
    /// The `device_token` of this device's last successful sign-in to this account: attempts
    /// from a device known this way are not held up by other people's failed attempts from
    /// the same address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub device_token: Option<String>,
}

/// `POST /v1/auth/refresh`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds the access token stays valid.
    pub expires_in: u64,
    pub user: User,
    /// The organization requires a second factor and this admin has none yet: the access
    /// token only enrols one (`POST /v1/auth/second-factor`), and the refresh token does
    /// not work. Sign in again with a code once enrolled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub second_factor_setup: bool,
    /// Proof that this device signed in to this account; send it with the next sign-in
    /// (`LoginRequest::device_token`). Given when the sign-in named a device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
}
