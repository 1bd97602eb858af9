-- Who vouches that an account's student number is its holder's (issue 18).
--   cas, oidc    signed in through the school's own identity service (统一身份认证);
--   campus_mail  confirmed a mail sent to the number's campus address;
--   admin        an administrator checked it (the audit trail says who and when);
--   cli          created from the command line or the demo seed by whoever runs the server;
--   role         held a union or department role when this migration ran: an administrator
--                or a head vouched for the number when granting it.
-- Null is unverified: such an account browses and files complaints, and nothing bound to
-- the number (roles, card notices, seats, draws, once-per-student answers) is given to it.
alter table app_user
    add column verified_by text check (verified_by in ('cas', 'oidc', 'campus_mail', 'admin', 'cli', 'role')),
    add column verified_at timestamptz,
    add column identity_source text not null default 'local' check (identity_source in ('local', 'cas', 'oidc')),
    add constraint app_user_verified_has_time check ((verified_by is null) = (verified_at is null));

update app_user u set verified_by = 'role', verified_at = now()
 where exists (select 1 from union_role r where r.user_id = u.user_id)
    or exists (select 1 from membership m where m.user_id = u.user_id);

create index app_user_unverified_idx on app_user (user_id) where verified_by is null;

-- A campus sign-in's service ticket, hashed, on the session it started: the CAS server's
-- single-logout request names that ticket, and the session ends.
alter table user_session add column cas_ticket_hash bytea;
create index user_session_cas_ticket_idx on user_session (cas_ticket_hash) where cas_ticket_hash is not null;
