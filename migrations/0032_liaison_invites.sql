-- Liaisons invited by mail (issue 19): the presidium mails an address a one-time link; whoever
-- opens it signed in with a verified account becomes a liaison of the office. Only the token's
-- SHA-256 is kept (as for password resets and sessions); the link works until it expires, is
-- revoked or is used once.
create table office_invite (
    invite_id bigint generated always as identity primary key,
    office_id bigint not null references school_office on delete cascade,
    email text not null,
    token_hash bytea not null unique,
    invited_by bigint references app_user,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    accepted_by bigint references app_user,
    accepted_at timestamptz,
    revoked_by bigint references app_user,
    revoked_at timestamptz,
    constraint office_invite_settled_once check (accepted_at is null or revoked_at is null)
);
-- The presidium's page lists what is pending; the rate limit counts a member's recent invites.
create index office_invite_pending_idx on office_invite (office_id) where accepted_at is null and revoked_at is null;
create index office_invite_by_idx on office_invite (invited_by, created_at);
