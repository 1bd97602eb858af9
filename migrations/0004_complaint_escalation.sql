-- Handlers can transfer a complaint to another department, escalate it to the
-- presidium, and put it on the agenda of the next reception day.
alter table complaint add column escalated_at timestamptz;
alter table complaint add column on_reception_agenda boolean not null default false;
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened', 'assigned',
    'transferred', 'escalated', 'agenda'));
