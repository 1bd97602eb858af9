-- Promises by a union department as well as by a school office, made at a session or on a
-- complaint's page, each with a named owner who is reminded.
--
-- keeper_department_id: the department that recorded the commitment and keeps it up to date (the
-- session's organisers, or the complaint's handling department). office_id null means that
-- department promised it itself (部门承诺).
alter table commitment alter column minute_id drop not null;
alter table commitment alter column session_id drop not null;
alter table commitment alter column office_id drop not null;
alter table commitment add column keeper_department_id bigint references department;
update commitment m set keeper_department_id = s.department_id from reception_session s where s.session_id = m.session_id;
alter table commitment alter column keeper_department_id set not null;
-- Whoever answers for it: a liaison of the office, or a member of the department. Without one, an
-- office's commitment is answered for by all the office's liaisons.
alter table commitment add column owner_id bigint references app_user;
alter table commitment add constraint commitment_made_somewhere check (
    (minute_id is null) = (session_id is null) and (minute_id is not null or complaint_id is not null));
alter table commitment add constraint commitment_department_has_owner check (office_id is not null or owner_id is not null);
create index commitment_keeper_idx on commitment (keeper_department_id, due_on);
create index commitment_owner_idx on commitment (owner_id) where owner_id is not null;
-- A commitment made at a session is kept by the session's organisers unless the insert names a
-- keeper (the portal always does; older scripts and seeds name the session only).
create function commitment_keeper_from_session() returns trigger language plpgsql as $$
begin
    if new.keeper_department_id is null and new.session_id is not null then
        select department_id into new.keeper_department_id from reception_session where session_id = new.session_id;
    end if;
    return new;
end $$;
create trigger commitment_keeper_from_session before insert on commitment
    for each row execute function commitment_keeper_from_session();
