-- Reference data that every portal process keeps for a few seconds (app::Cached) is announced
-- on the channel `portal_reference` whenever it changes, by whichever writer: each process
-- LISTENs (app::reference_changes) and forgets what it kept at once. A trigger rather than a
-- NOTIFY in each handler: no writer (an admin page, a command, psql) can forget it.
-- NOTIFY is sent at commit, and repeated names in one transaction are sent once.
create function notify_reference_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('portal_reference', tg_table_name);
    return null;
end
$$;

create trigger reference_changed after insert or update or delete or truncate on complaint_category
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on school_office
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on department
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on membership
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on calendar_day
    for each statement execute function notify_reference_change();
create trigger reference_changed after insert or update or delete or truncate on commitment
    for each statement execute function notify_reference_change();
-- A new current term changes every department's members.
create trigger reference_changed after insert or update or delete or truncate on term
    for each statement execute function notify_reference_change();
