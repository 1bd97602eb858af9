-- The presidium handles escalated complaints (issue 19): its own steps on the timeline,
-- and an escalation that ends when the presidium sends the case back or moves it on.
alter table complaint add column escalation_handled_at timestamptz;
create index complaint_escalation_queue_idx on complaint (escalated_at)
    where escalated_at is not null and escalation_handled_at is null and merged_into_id is null;
alter table complaint_event add column by_presidium boolean not null default false;
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened',
    'assigned', 'transferred', 'escalated', 'agenda', 'merged', 'merged_in', 'commitment', 'commitment_update',
    'office_answer', 'office_question', 'office_plan', 'office_done', 'sent_back'));
