-- Inspections, the inspector's one-tap report (issue 22): a finding on a room's result
-- opens a complaint to the handling department, linked to the result so that a second
-- tap goes to the complaint already filed instead of filing it twice.
create table inspection_report (
    result_id bigint not null references inspection_result on delete cascade,
    -- 'complaint' (a repair request may come later).
    kind text not null,
    complaint_id bigint not null references complaint,
    reported_by bigint not null references app_user,
    reported_at timestamptz not null default now(),
    primary key (result_id, kind),
    constraint inspection_report_kind check (kind in ('complaint'))
);
