-- Verification by campus mail (issue 18): a one-time link mailed to the number's campus address
-- ({学号}@the configured domain). Only its hash is kept; it works for a day, once, and only for
-- the signed-in account it was made for.
create table mail_verification (
    token_hash bytea primary key,
    user_id bigint not null references app_user on delete cascade,
    created_at timestamptz not null default now(),
    used_at timestamptz
);
create index mail_verification_user_idx on mail_verification (user_id, created_at);
