-- 会后反馈 (issue 19): a question asked after its session ended is a follow-up; the daily job
-- carries it onto the agenda of the next session of the same kind (`carried_to`).
alter table reception_question add column follow_up boolean not null default false;
alter table reception_question add column carried_to bigint references reception_question;
create index reception_question_follow_up_idx on reception_question (question_id) where follow_up and carried_to is null;
