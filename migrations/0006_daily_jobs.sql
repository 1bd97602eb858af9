-- Daily background jobs run once a day across every portal process: the first
-- process to claim the day runs the job.
create table daily_job (
    name text primary key,
    last_run_on date not null
);
