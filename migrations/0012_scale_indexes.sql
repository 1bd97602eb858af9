-- Indexes found by the benchmark at university scale (docs/benchmarks.md).

-- The handlers' queue: open complaints of a department, oldest first, and their
-- counts per status from the index alone.
create index complaint_open_queue_idx on complaint (department_id, created_at) include (status)
    where status in ('submitted', 'accepted', 'forwarded') and merged_into_id is null;

-- The commitments board: open ones first, by due date, a page at a time.
create index commitment_board_idx on commitment ((status = 'done'), due_on, commitment_id);
