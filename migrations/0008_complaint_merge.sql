-- A duplicate is merged into another complaint of the same department.
alter table complaint add column merged_into_id bigint references complaint;
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened', 'assigned',
    'transferred', 'escalated', 'agenda', 'merged', 'merged_in'));
