-- A reception day's page and the list of them read what they show, not everything (issue 20).

-- A session's commitments from their own index: the one plan kept for every filter of the
-- board read all of them to find a session's handful.
create index commitment_session_idx on commitment (session_id) where session_id is not null;

-- 0034's board index repeated 0012's `commitment_board_idx` to the column: one is enough.
drop index commitment_board_order_idx;

-- Each question's votes, kept as they are cast: a session's page shows its questions most
-- supported first, and counting every question's votes to choose fifty was most of its cost.
-- Kept by triggers, so every writer (the vote, a cascade, a bulk load) keeps it true.
alter table reception_question add column votes int not null default 0;
update reception_question q set votes = (select count(*) from reception_question_vote v where v.question_id = q.question_id);

create function reception_question_votes_added() returns trigger language plpgsql as $$
begin
    update reception_question q set votes = q.votes + added.n
    from (select question_id, count(*)::int as n from new_votes group by question_id) added
    where q.question_id = added.question_id;
    return null;
end $$;

create function reception_question_votes_removed() returns trigger language plpgsql as $$
begin
    update reception_question q set votes = q.votes - removed.n
    from (select question_id, count(*)::int as n from old_votes group by question_id) removed
    where q.question_id = removed.question_id;
    return null;
end $$;

create trigger reception_question_votes_added after insert on reception_question_vote
    referencing new table as new_votes for each statement execute function reception_question_votes_added();
create trigger reception_question_votes_removed after delete on reception_question_vote
    referencing old table as old_votes for each statement execute function reception_question_votes_removed();

-- A session's questions in their public order: on the agenda first, most votes, oldest.
create index reception_question_order_idx on reception_question (session_id, on_agenda desc, votes desc, question_id);
