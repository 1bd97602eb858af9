-- The portal's own database role. The portal migrates as the role it is given (the
-- owner of the tables) and then runs every request as `portal_app` (SET ROLE on each
-- pooled connection, see cli::app_pool): it may read and change the portal's data,
-- but only insert into and read the audit trail, and it owns nothing, so it can
-- neither drop nor disable the trigger that keeps the trail append-only.
do $$
begin
    if not exists (select from pg_roles where rolname = 'portal_app') then
        create role portal_app nologin;
    end if;
    -- The migrating role must be able to become it (a superuser always can).
    if not pg_has_role(current_user, 'portal_app', 'member') then
        execute format('grant portal_app to %I', current_user);
    end if;
end
$$;

grant usage on schema public to portal_app;
grant select, insert, update, delete on all tables in schema public to portal_app;
grant usage, select on all sequences in schema public to portal_app;
-- Tables and sequences that later migrations create: the same, unless they say otherwise.
alter default privileges in schema public grant select, insert, update, delete on tables to portal_app;
alter default privileges in schema public grant usage, select on sequences to portal_app;

revoke update, delete, truncate on audit_log from portal_app;
-- The migrations' own bookkeeping is none of its business (absent when the files are
-- applied by psql, as scripts/sqlx-prepare does).
do $$
begin
    if to_regclass('_sqlx_migrations') is not null then
        revoke all on _sqlx_migrations from portal_app;
    end if;
end
$$;
