-- A student's own votes on a session's page (issue 20): the primary key is (question, voter),
-- so finding which of a session's questions the viewer voted for probed the key once per
-- question (100 probes on a busy day, ~90 µs on every logged-in view of it). By voter, they
-- are the few the student cast. Deleting a user (its votes cascade) no longer reads them all.
create index reception_question_vote_voter_idx on reception_question_vote (user_id, question_id);
