-- Forgotten passwords: a one-time link, mailed to the account's address, valid for
-- half an hour. Only the token's SHA-256 is kept, as for sessions.
create table password_reset (
    password_reset_id bigint generated always as identity primary key,
    user_id bigint not null references app_user on delete cascade,
    token_hash bytea not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz
);
create index password_reset_user_idx on password_reset (user_id);

-- A mail whose link is a secret (a reset link) is never written to the log, and its
-- link is blanked once the mail is delivered.
alter table mail_outbox add column link_is_secret boolean not null default false;
