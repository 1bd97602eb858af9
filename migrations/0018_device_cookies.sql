-- Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a
-- browser that has logged in to an account gets a random token in a cookie; only its
-- SHA-256 is kept here, one row per account it logged in to. With it, the right
-- password works whatever its address did; failures made with it count against it
-- alone. Browsers without one are limited per address and per account as before.
create table trusted_device (
    device_hash bytea not null,
    user_id bigint not null references app_user on delete cascade,
    created_at timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    primary key (device_hash, user_id)
);
create index trusted_device_user_idx on trusted_device (user_id);

-- The device cookie an attempt came with (when it was valid for that account), and
-- whether the attempt was judged as a trusted browser's: untrusted limits count only
-- the others. Written false first, so a burst counts against every limit at once.
alter table login_attempt add column device_hash bytea,
                          add column trusted boolean not null default false;
