-- Rate limits shared by every portal process (web/limits.rs): GCRA keeps one "theoretical
-- arrival time" per key; a request is let through when moving it on by the request's cost
-- keeps it within the hour. Several processes then give one limit, not one each.
-- UNLOGGED: its writes skip the WAL (one per limited request), and a crash empties it, which
-- only forgets the last hour's counts. Not copied to replicas, which never read it.
create unlogged table rate_limit (
    -- SHA-256 of the limit's name and its key (a user id, a student number): no one's
    -- number or id in the clear.
    key bytea primary key,
    tat timestamptz not null
);
