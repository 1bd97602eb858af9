-- The handlers' queue pages by (created_at, complaint_id): with both in the index the
-- page is read in order, without sorting each batch of equal filing times.
drop index complaint_open_queue_idx;
create index complaint_open_queue_idx on complaint (department_id, created_at, complaint_id) include (status)
    where status in ('submitted', 'accepted', 'forwarded') and merged_into_id is null;
