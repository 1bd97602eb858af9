-- Dorm hygiene inspections (宿舍卫生检查, issue 22): buildings, rooms and their residents,
-- versioned rubrics, rounds scored room after room on a phone, drafts until a round is
-- published, one appeal per room per term, and rankings by room number only.

-- Running inspections is a desk, like the others: data, not code.
alter table department add column runs_inspections boolean not null default false;
update department set runs_inspections = true where slug in ('life', 'girls', 'safety');

create table dorm_building (
    building_id bigint generated always as identity primary key,
    -- "北区24栋": the name residents and notices use.
    name text not null,
    constraint dorm_building_name_key unique (name),
    constraint dorm_building_name_length check (char_length(name) between 1 and 40)
);

create table dorm_room (
    room_id bigint generated always as identity primary key,
    building_id bigint not null references dorm_building,
    -- "305", "A-1203": as on the door.
    room_number text not null,
    floor int not null,
    -- The inspector's path through a floor: rooms are listed in this order.
    walk_order int not null,
    capacity int not null,
    college text not null default '',
    gender text not null,
    retired_at timestamptz,
    constraint dorm_room_number_key unique (building_id, room_number),
    constraint dorm_room_number_length check (char_length(room_number) between 1 and 20),
    constraint dorm_room_floor_range check (floor between -5 and 200),
    constraint dorm_room_capacity_range check (capacity between 1 and 20),
    constraint dorm_room_gender_kind check (gender in ('m', 'f', 'x'))
);
create index dorm_room_walk_idx on dorm_room (building_id, floor, walk_order);

-- Residents by student number: the import needs no account; a verified account with
-- that number is the resident (app_user.student_no, verified_by not null).
create table dorm_resident (
    student_no text primary key,
    room_id bigint not null references dorm_room,
    added_at timestamptz not null default now(),
    constraint dorm_resident_number_length check (char_length(student_no) between 1 and 32)
);
create index dorm_resident_room_idx on dorm_resident (room_id);

-- A rubric version never changes once saved: editing saves the next version, and the
-- rounds already started keep theirs.
create table inspection_rubric (
    rubric_id bigint generated always as identity primary key,
    version int not null,
    -- The lowest score of each grade: 优秀 ≥ excellent_min > 良好 ≥ good_min > 合格 ≥ pass_min.
    excellent_min int not null,
    good_min int not null,
    pass_min int not null,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    constraint inspection_rubric_version_key unique (version),
    constraint inspection_rubric_grade_order check (excellent_min > good_min and good_min > pass_min and pass_min >= 0)
);

create table inspection_item (
    item_id bigint generated always as identity primary key,
    rubric_id bigint not null references inspection_rubric on delete cascade,
    position int not null,
    name text not null,
    max_points int not null,
    -- A finding under a veto item fails the room outright (违禁电器, private wiring).
    veto boolean not null default false,
    -- Preset deduction reasons, each "points reason" (e.g. {"2 床铺未整理", "5 地面有垃圾"}).
    reasons text[] not null default '{}',
    constraint inspection_item_position_key unique (rubric_id, position),
    constraint inspection_item_name_length check (char_length(name) between 1 and 40),
    constraint inspection_item_points_range check (max_points between 0 and 100)
);

create table inspection_round (
    round_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    -- weekly (每周三), spot (突击), college (院查), school (校查).
    kind text not null,
    held_on date not null,
    rubric_id bigint not null references inspection_rubric,
    published_at timestamptz,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    constraint inspection_round_kind check (kind in ('weekly', 'spot', 'college', 'school'))
);
create index inspection_round_held_idx on inspection_round (held_on desc);

create table inspection_round_building (
    round_id bigint not null references inspection_round on delete cascade,
    building_id bigint not null references dorm_building,
    primary key (round_id, building_id)
);

-- Inspectors are members of a department with this desk, of the round's department or another.
create table inspection_inspector (
    round_id bigint not null references inspection_round on delete cascade,
    user_id bigint not null references app_user,
    primary key (round_id, user_id)
);
create index inspection_inspector_user_idx on inspection_inspector (user_id);

create table inspection_result (
    result_id bigint generated always as identity primary key,
    round_id bigint not null references inspection_round on delete cascade,
    room_id bigint not null references dorm_room,
    -- scored, refused (拒查: its own result, graded 不合格), absent (nobody in: no score).
    outcome text not null,
    score int,
    grade text,
    vetoed boolean not null default false,
    note text not null default '',
    inspected_by bigint references app_user,
    inspected_at timestamptz not null default now(),
    -- Bumped on every save: a form saved over a newer save is a conflict, not an overwrite.
    revision int not null default 1,
    -- Set when an appeal changed the score: the score before it.
    score_before_appeal int,
    constraint inspection_result_once unique (round_id, room_id),
    constraint inspection_result_outcome_kind check (outcome in ('scored', 'refused', 'absent')),
    constraint inspection_result_grade_kind check (grade in ('excellent', 'good', 'pass', 'fail')),
    constraint inspection_result_scored_whole check ((outcome = 'scored') = (score is not null)),
    constraint inspection_result_graded check ((outcome = 'absent') = (grade is null)),
    constraint inspection_result_note_length check (char_length(note) <= 500)
);
create index inspection_result_room_idx on inspection_result (room_id, round_id);

create table inspection_deduction (
    deduction_id bigint generated always as identity primary key,
    result_id bigint not null references inspection_result on delete cascade,
    item_id bigint not null references inspection_item,
    points int not null,
    reason text not null,
    photo_name text,
    thumb_name text,
    constraint inspection_deduction_points_range check (points between 0 and 100),
    constraint inspection_deduction_reason_length check (char_length(reason) between 1 and 200),
    constraint inspection_deduction_photo_whole check ((photo_name is null) = (thumb_name is null))
);
create index inspection_deduction_result_idx on inspection_deduction (result_id);

-- One appeal per room per term (term: e.g. '2026-autumn'), by a resident, decided once.
create table inspection_appeal (
    appeal_id bigint generated always as identity primary key,
    result_id bigint not null references inspection_result on delete cascade,
    room_id bigint not null references dorm_room,
    term text not null,
    filed_by bigint not null references app_user,
    body text not null,
    photo_name text,
    thumb_name text,
    filed_at timestamptz not null default now(),
    -- upheld (the score stands) or changed (new_score replaced it).
    decision text,
    new_score int,
    decision_reason text,
    decided_by bigint references app_user,
    decided_at timestamptz,
    constraint inspection_appeal_once unique (room_id, term),
    constraint inspection_appeal_body_length check (char_length(body) between 1 and 1000),
    constraint inspection_appeal_decision_kind check (decision in ('upheld', 'changed')),
    constraint inspection_appeal_decided_whole check ((decision is null) = (decided_at is null)),
    constraint inspection_appeal_photo_whole check ((photo_name is null) = (thumb_name is null))
);
create index inspection_appeal_waiting_idx on inspection_appeal (filed_at) where decision is null;

-- Photos residents choose to share for the 寝室文化节 (opt-in; withdrawn at any time).
create table dorm_room_photo (
    photo_id bigint generated always as identity primary key,
    room_id bigint not null references dorm_room,
    term text not null,
    shared_by bigint not null references app_user,
    file_name text not null,
    thumb_name text not null,
    created_at timestamptz not null default now()
);
create index dorm_room_photo_room_idx on dorm_room_photo (room_id, term);

-- How many days after a round is published its residents may appeal.
alter table department add column appeal_days int not null default 3
    constraint department_appeal_days_range check (appeal_days between 1 and 30);
