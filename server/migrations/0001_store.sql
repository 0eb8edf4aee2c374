-- Rounds on PostgreSQL, schema version 1: what the sled store keeps (server/src/store/keys.rs),
-- as tables. Bodies are the same serde_json bytes sled stores, in bytea: jsonb would refuse the
-- \u0000 a JSON string may carry (a note, a search), and bytea keeps the bytes exact. To look
-- at one by hand: convert_from(body, 'UTF8')::jsonb.
-- Ids are uuid, sequence numbers bigint, kinds and link kinds smallint (keys::kind_tag,
-- keys::link_parts). Logins and device ids are bytea: text cannot hold a NUL.

-- Every record, at its latest version, with its place in its organization's change log: the
-- log keeps one entry per record, at its latest change, so it is this table ordered by seq.
CREATE TABLE records (
    id uuid NOT NULL,
    kind smallint NOT NULL,
    org uuid NOT NULL,
    seq bigint NOT NULL,
    -- Who the record concerns (store::Hint: stores, people, refs), read by a sync to skip
    -- changes its caller cannot see without reading the record.
    hint jsonb NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (id, kind)
);
CREATE UNIQUE INDEX records_log ON records (org, seq);
CREATE INDEX records_by_kind ON records (org, kind, id);

-- Per organization: the last change-log and audit sequence numbers handed out. A writer locks
-- the row (SELECT ... FOR UPDATE) for its whole transaction, so that one organization's commits
-- are serialised and sequence order is commit order (docs/ARCHITECTURE.md, "The PostgreSQL store").
CREATE TABLE heads (
    org uuid PRIMARY KEY,
    seq bigint NOT NULL,
    audit_seq bigint NOT NULL
);

-- The change log by person, job, customer...: a party (store::Hint::parties) and the change.
CREATE TABLE feed (
    org uuid NOT NULL,
    party uuid NOT NULL,
    seq bigint NOT NULL,
    kind smallint NOT NULL,
    id uuid NOT NULL,
    PRIMARY KEY (org, party, seq)
);

-- domain::ops::records::Link: a record belongs to a customer, is about a subject.
CREATE TABLE links (
    link_kind smallint NOT NULL,
    link_id uuid NOT NULL,
    kind smallint NOT NULL,
    id uuid NOT NULL,
    PRIMARY KEY (link_kind, link_id, kind, id)
);

CREATE TABLE technician_jobs (
    technician uuid NOT NULL,
    job uuid NOT NULL,
    PRIMARY KEY (technician, job)
);

-- How each op was decided (domain::ops::Decided), so that a replay gets its first outcome.
CREATE TABLE outcomes (
    org uuid NOT NULL,
    op uuid NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (org, op)
);

CREATE TABLE audit (
    org uuid NOT NULL,
    seq bigint NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (org, seq)
);

-- auth::normalize_login of each login.
CREATE TABLE logins (
    login bytea PRIMARY KEY,
    user_id uuid NOT NULL
);

CREATE TABLE passwords (
    user_id uuid PRIMARY KEY,
    hash text NOT NULL
);

-- Under sha256 of the refresh token.
CREATE TABLE refresh_sessions (
    token_hash bytea PRIMARY KEY,
    body bytea NOT NULL
);

CREATE TABLE session_epochs (
    user_id uuid PRIMARY KEY,
    epoch bigint NOT NULL
);

CREATE TABLE second_factors (
    user_id uuid PRIMARY KEY,
    body bytea NOT NULL
);

CREATE TABLE device_sign_outs (
    org uuid NOT NULL,
    device bytea NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (org, device)
);

-- The server's own settings: the key access tokens are signed with.
CREATE TABLE meta (
    name text PRIMARY KEY,
    value bytea NOT NULL
);
