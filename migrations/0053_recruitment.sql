-- Recruitment (招新): the presidium opens a round for a term, departments publish positions
-- with their own questions (a named questionnaire of theirs), verified students apply to
-- up to N departments in order of preference, book interviews in slots, and the department
-- offers a place, puts them on its waiting list or declines. A student accepts one offer;
-- the others are released to the next on those waiting lists. An accepted student becomes
-- a member through the same membership records as a head's grant.

-- A term named ahead by a round recruiting for the next 届: it holds the new members'
-- memberships until the handover of that name makes it current.
alter table term add column prepared boolean not null default false;

create table recruitment_round (
    round_id bigint generated always as identity primary key,
    title text not null,
    opens_at timestamptz not null,
    closes_at timestamptz not null,
    -- Offers made before this are answered by it; an offer made later (from a waiting
    -- list) has two days.
    answer_by timestamptz not null,
    -- How many departments a student may apply to, in order of preference.
    max_choices int not null default 2,
    -- The term the accepted join: null for the current one (now), else the next 届's name.
    term_name text,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    constraint recruitment_round_title check (char_length(title) between 1 and 100),
    constraint recruitment_round_window check (closes_at > opens_at and answer_by >= closes_at),
    constraint recruitment_round_choices check (max_choices between 1 and 5)
);
create index recruitment_round_closes_idx on recruitment_round (closes_at desc);

create table recruitment_position (
    position_id bigint generated always as identity primary key,
    round_id bigint not null references recruitment_round,
    department_id bigint not null references department,
    -- 部员, or a named role (宣传干事).
    title text not null,
    description text not null default '',
    places int not null,
    -- The department's own questions: one of its questionnaires, answered with the application.
    survey_id bigint references survey,
    created_at timestamptz not null default now(),
    constraint recruitment_position_title check (char_length(title) between 1 and 50),
    constraint recruitment_position_places check (places between 1 and 500),
    constraint recruitment_position_key unique (round_id, department_id, title)
);
create index recruitment_position_department_idx on recruitment_position (department_id, round_id);

-- Interview times a department offers; applicants choose one (capacity per slot).
create table recruitment_slot (
    slot_id bigint generated always as identity primary key,
    round_id bigint not null references recruitment_round,
    department_id bigint not null references department,
    starts_at timestamptz not null,
    minutes int not null default 30,
    place text not null,
    capacity int not null,
    constraint recruitment_slot_capacity check (capacity between 1 and 200),
    constraint recruitment_slot_minutes check (minutes between 5 and 480),
    constraint recruitment_slot_place check (char_length(place) between 1 and 100)
);
create index recruitment_slot_department_idx on recruitment_slot (department_id, round_id, starts_at);

create table recruitment_application (
    application_id bigint generated always as identity primary key,
    position_id bigint not null references recruitment_position,
    round_id bigint not null references recruitment_round,
    department_id bigint not null references department,
    user_id bigint not null references app_user,
    preference int not null,
    statement text not null,
    -- The version of the department's questionnaire answered, and the answers (keyed by question).
    survey_id bigint references survey,
    answers jsonb not null default '{}',
    status text not null default 'applied',
    slot_id bigint references recruitment_slot,
    -- The department's message to the student with its decision.
    message text not null default '',
    decided_at timestamptz,
    -- The waiting list's order.
    waitlisted_at timestamptz,
    -- An offer's deadline.
    answer_by timestamptz,
    created_at timestamptz not null default now(),
    constraint recruitment_application_status check (status in
        ('applied', 'offered', 'waitlisted', 'declined', 'accepted', 'released', 'expired', 'withdrawn')),
    constraint recruitment_application_preference check (preference between 1 and 5),
    constraint recruitment_application_statement check (char_length(statement) between 1 and 2000),
    constraint recruitment_application_offer check ((status = 'offered') <= (answer_by is not null))
);
-- A live application per department and per preference: with preference ≤ the round's
-- max_choices (checked by the insert), a student holds at most that many.
create unique index recruitment_application_department_key on recruitment_application (round_id, user_id, department_id)
    where status <> 'withdrawn';
create unique index recruitment_application_preference_key on recruitment_application (round_id, user_id, preference)
    where status <> 'withdrawn';
create index recruitment_application_position_idx on recruitment_application (position_id, status);
create index recruitment_application_department_idx on recruitment_application (department_id, round_id);
create index recruitment_application_user_idx on recruitment_application (user_id, round_id);
create index recruitment_application_offers_idx on recruitment_application (answer_by) where status = 'offered';
create index recruitment_application_slot_idx on recruitment_application (slot_id) where slot_id is not null;

-- Interview notes and scores: read inside the department only.
create table recruitment_note (
    note_id bigint generated always as identity primary key,
    application_id bigint not null references recruitment_application,
    author_id bigint not null references app_user,
    score int,
    body text not null,
    created_at timestamptz not null default now(),
    constraint recruitment_note_score check (score between 1 and 10),
    constraint recruitment_note_body check (char_length(body) between 1 and 2000)
);
create index recruitment_note_application_idx on recruitment_note (application_id);
