-- Reception days (校领导接待日) and academic-affairs meetings (教务见面会): sessions
-- with their leaders, seats (delegates per college, open seats, a waiting list),
-- questions and votes, minutes, and the public commitments (承诺) with their updates.

-- Each kind numbers its sessions on its own (the union held 第145–147期 on paper).
create table reception_kind (
    kind text primary key,
    name_zh text not null,
    name_en text not null,
    -- Public addresses: /reception/{prefix}{number}; the reception day has none (/reception/148).
    path_prefix text not null,
    last_number integer not null,
    constraint reception_kind_prefix_key unique (path_prefix)
);
insert into reception_kind (kind, name_zh, name_en, path_prefix, last_number) values
    ('leaders', '校领导接待日', 'Meet the University Leaders', '', 147),
    ('academic', '教务见面会', 'Academic Affairs Meeting', 'jw', 0);

create table reception_session (
    session_id bigint generated always as identity primary key,
    kind text not null references reception_kind,
    number integer not null,
    department_id bigint not null references department,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    -- 待定 until confirmed; every change of time bumps the calendar SEQUENCE.
    time_confirmed boolean not null default false,
    sequence integer not null default 0,
    place text not null,
    topic text not null,
    open_seats integer not null check (open_seats between 0 and 10000),
    signup_opens_at timestamptz not null,
    signup_closes_at timestamptz not null,
    signup_closed_early_at timestamptz,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    minutes_updated_at timestamptz,
    constraint reception_session_number_key unique (kind, number),
    constraint reception_session_times check (ends_at > starts_at and signup_closes_at > signup_opens_at)
);
create index reception_session_starts_idx on reception_session (starts_at);

create table reception_leader (
    leader_id bigint generated always as identity primary key,
    session_id bigint not null references reception_session on delete cascade,
    position smallint not null,
    name text not null,
    title text not null
);
create index reception_leader_session_idx on reception_leader (session_id, position);

-- Seats reserved for each college's delegates.
create table reception_quota (
    session_id bigint not null references reception_session on delete cascade,
    college text not null,
    seats integer not null check (seats between 1 and 1000),
    primary key (session_id, college)
);

create table reception_delegate (
    delegate_id bigint generated always as identity primary key,
    session_id bigint not null references reception_session on delete cascade,
    college text not null,
    student_no text not null,
    name text not null,
    user_id bigint references app_user,
    created_at timestamptz not null default now(),
    constraint reception_delegate_student_key unique (session_id, student_no),
    foreign key (session_id, college) references reception_quota (session_id, college)
);

-- One row per student and session: a seat, a place on the waiting list, or cancelled.
-- `queued_at` orders the waiting list (a student who cancels and comes back goes to the end).
create table reception_signup (
    session_id bigint not null references reception_session on delete cascade,
    user_id bigint not null references app_user on delete cascade,
    status text not null check (status in ('seat', 'waiting', 'cancelled')),
    queued_at timestamptz not null default clock_timestamp(),
    updated_at timestamptz not null default now(),
    primary key (session_id, user_id)
);
create index reception_signup_waiting_idx on reception_signup (session_id, queued_at) where status = 'waiting';
create index reception_signup_user_idx on reception_signup (user_id);

-- Students who want to hear of changes without a seat.
create table reception_follow (
    session_id bigint not null references reception_session on delete cascade,
    user_id bigint not null references app_user on delete cascade,
    primary key (session_id, user_id)
);

create table reception_question (
    question_id bigint generated always as identity primary key,
    session_id bigint not null references reception_session on delete cascade,
    author_id bigint not null references app_user,
    body text not null,
    is_anonymous boolean not null default false,
    complaint_id bigint references complaint,
    on_agenda boolean not null default false,
    created_at timestamptz not null default now()
);
create index reception_question_session_idx on reception_question (session_id);

create table reception_question_vote (
    question_id bigint not null references reception_question on delete cascade,
    user_id bigint not null references app_user on delete cascade,
    created_at timestamptz not null default now(),
    primary key (question_id, user_id)
);

-- The minutes: each question raised, and who answered it how.
create table reception_minute (
    minute_id bigint generated always as identity primary key,
    session_id bigint not null references reception_session on delete cascade,
    question_id bigint references reception_question,
    -- Shown as asked; empty when the asker stays anonymous.
    asked_by text not null default '',
    question text not null,
    answered_by text not null,
    answer text not null,
    recorded_by bigint references app_user,
    created_at timestamptz not null default now()
);
create index reception_minute_session_idx on reception_minute (session_id, minute_id);

create table commitment (
    commitment_id bigint generated always as identity primary key,
    minute_id bigint not null references reception_minute on delete cascade,
    session_id bigint not null references reception_session on delete cascade,
    what text not null,
    office_id bigint not null references school_office,
    due_on date not null,
    -- Overdue is not stored: it is pending or in progress past its due date.
    status text not null default 'pending' check (status in ('pending', 'in_progress', 'done')),
    done_on date,
    complaint_id bigint references complaint,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint commitment_done_complete check ((status = 'done') = (done_on is not null))
);
create index commitment_office_idx on commitment (office_id, due_on);
create index commitment_due_idx on commitment (due_on, commitment_id);
create index commitment_complaint_idx on commitment (complaint_id) where complaint_id is not null;

create table commitment_update (
    update_id bigint generated always as identity primary key,
    commitment_id bigint not null references commitment on delete cascade,
    author_id bigint references app_user,
    body text not null,
    status_after text not null check (status_after in ('pending', 'in_progress', 'done')),
    photo_name text,
    thumb_name text,
    created_at timestamptz not null default now()
);
create index commitment_update_commitment_idx on commitment_update (commitment_id, update_id);

-- A commitment made about a complaint, and its updates, show on the complaint's timeline.
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened',
    'assigned', 'transferred', 'escalated', 'agenda', 'merged', 'merged_in', 'commitment', 'commitment_update'));
