-- The grants every logged-in request reads with its session (web::viewer), kept on the user:
-- `<department_id>:<role>` for this term's memberships, `union:<role>` for the admin and this
-- term's presidium, `office:<id>` for an office liaison. Computed per request they were a
-- three-branch array with two look-ups of the current term: about 40 µs of the ~140 µs the
-- session statement costs (docs/benchmarks.md, "The third round"). Triggers keep the column
-- true for every writer (handlers, commands, psql), inside the writer's own transaction, so a
-- revoked role is gone from the next request exactly as before.
alter table app_user add column grants text[] not null default '{}';

create function user_grants(uid bigint) returns text[]
language sql stable as $$
    select array(
        select m.department_id::text || ':' || m.role from membership m
        where m.user_id = uid and m.term_id = (select term_id from term where is_current)
        union all
        select 'union:' || r.role from union_role r
        where r.user_id = uid
          and (r.role = 'admin' or r.term_id = (select term_id from term where is_current))
        union all
        select 'office:' || l.office_id from office_liaison l where l.user_id = uid
    )
$$;

-- The user's row is locked by a statement of its own first: a concurrent change to the same
-- user's roles then commits before the next statement reads them (a new snapshot under READ
-- COMMITTED), so two grants at once cannot leave only one of them in the column.
create function refresh_user_grants(uid bigint) returns void
language plpgsql as $$
declare
    fresh text[];
begin
    perform 1 from app_user where user_id = uid for update;
    fresh := user_grants(uid);
    update app_user set grants = fresh where user_id = uid and grants is distinct from fresh;
end
$$;

create function user_grants_changed() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform refresh_user_grants(old.user_id);
    end if;
    if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.user_id <> old.user_id) then
        perform refresh_user_grants(new.user_id);
    end if;
    return null;
end
$$;

create trigger grants_changed after insert or update or delete on membership
    for each row execute function user_grants_changed();
create trigger grants_changed after insert or update or delete on union_role
    for each row execute function user_grants_changed();
create trigger grants_changed after insert or update or delete on office_liaison
    for each row execute function user_grants_changed();

-- A new current term (the handover) changes the grants of everyone who held or will hold a
-- role: the members and union roles of any term, and the liaisons. (Also how the column is
-- filled below.)
create function refresh_role_holders_grants() returns void
language sql as $$
    update app_user u set grants = fresh.grants
    from (select user_id, user_grants(user_id) as grants
          from (select user_id from membership union select user_id from union_role
                union select user_id from office_liaison) as holders) as fresh
    where u.user_id = fresh.user_id and u.grants is distinct from fresh.grants
$$;

create function term_grants_changed() returns trigger
language plpgsql as $$
begin
    perform refresh_role_holders_grants();
    return null;
end
$$;

create trigger grants_changed after insert or update or delete on term
    for each statement execute function term_grants_changed();

select refresh_role_holders_grants();
