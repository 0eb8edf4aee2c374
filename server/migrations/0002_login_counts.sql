-- Failed sign-ins, shared by every instance (auth::RateLimiter, store/postgres/login_counts.rs):
-- per account, and per account and client address (or known device), the window's start, the
-- failures in it, and for a throttled pair when its next turn may start. Times are the
-- database's clock in milliseconds since 1970, so that instances with different clocks agree.
-- Keys are bytea: a login may hold any character, NUL included.
CREATE TABLE login_counts (
    key bytea PRIMARY KEY,
    start_ms bigint NOT NULL,
    failures integer NOT NULL,
    next_turn_ms bigint
);
CREATE INDEX login_counts_start ON login_counts (start_ms);
