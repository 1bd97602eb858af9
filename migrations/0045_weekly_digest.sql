-- The weekly digest (周报): one mail a week to each student who wants it, with what
-- happened that concerns them (issue 23 §3).
--
-- On by default, as the issue asks, for new accounts and for existing ones alike: the
-- digest only ever goes to the account's own address, carries a one-click way out in every
-- mail, and is not sent at all when a week had nothing for the student.
alter table app_user add column weekly_digest boolean not null default true;

-- The weekly job claims its week here like the daily jobs claim their day: `last_run_on`
-- holds the Monday of the week (Shanghai) it last ran (see jobs::claim_weekly_run).

-- Mail clients unsubscribe in one click (RFC 8058) from this header's URL; empty for
-- mails that have none.
alter table mail_outbox add column list_unsubscribe text not null default '';

-- Each digest's unsubscribe link carries a random token (web::session::random_token);
-- only its SHA-256 is kept, as for sessions and password resets, so the table cannot be
-- used to switch off anyone's digest. Rows older than the job's keep time are deleted.
create table digest_unsubscribe (
    token_hash bytea primary key,
    user_id bigint not null references app_user on delete cascade,
    created_at timestamptz not null default now()
);
create index digest_unsubscribe_created_idx on digest_unsubscribe (created_at);
