-- The rankings (issue 22), kept as rows: publishing a round or deciding an appeal
-- recomputes the week, month and term holding the round, so the public pages read a
-- few indexed rows rather than a term's results (8,000 rooms × 16 weeks).

-- One room's standing in a period: its average over the period's published rounds
-- (拒查 counts 0, nobody-in not at all), and whether its term makes it a 文明寝室.
create table inspection_standing (
    period text not null,
    starts_on date not null,
    room_id bigint not null references dorm_room,
    building_id bigint not null references dorm_building,
    college text not null,
    average double precision not null,
    rounds int not null,
    excellent int not null,
    fails int not null,
    civilised boolean not null,
    primary key (period, starts_on, room_id),
    constraint inspection_standing_period_kind check (period in ('week', 'month', 'term'))
);
create index inspection_standing_rank_idx on inspection_standing (period, starts_on, average desc, room_id);
create index inspection_standing_building_idx on inspection_standing (period, starts_on, building_id, average desc, room_id);
create index inspection_standing_college_idx on inspection_standing (period, starts_on, college, average desc, room_id);
create index inspection_standing_civilised_idx on inspection_standing (period, starts_on, building_id, room_id) where civilised;

-- The buildings' and colleges' averages of the same periods, for the charts.
create table inspection_group_standing (
    period text not null,
    starts_on date not null,
    -- building or college
    grouping text not null,
    name text not null,
    building_id bigint references dorm_building,
    average double precision not null,
    rooms int not null,
    primary key (period, starts_on, grouping, name),
    constraint inspection_group_standing_grouping_kind check (grouping in ('building', 'college'))
);
