-- Overdue complaints reach the next reception day by themselves (issue 19): the daily job
-- puts each complaint overdue by more than a configured number of days on the agenda of
-- the next 校领导接待日 as a question; organisers may take one off with a reason, which
-- its reporter is told; one answered meanwhile leaves the agenda.
alter table reception_question add column placed_overdue boolean not null default false;
alter table reception_question add column off_reason text;
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened',
    'assigned', 'transferred', 'escalated', 'agenda', 'merged', 'merged_in', 'commitment', 'commitment_update',
    'office_answer', 'office_question', 'office_plan', 'office_done', 'sent_back', 'agenda_off'));
