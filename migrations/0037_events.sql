-- Events with limited places (食堂开放日 and every oversubscribed activity, issue 21):
-- applications, first come first served or a draw whose every input is published
-- before anyone can influence it (docs/verify-draw.py recomputes it), confirmation,
-- the waiting list and attendance.

-- Running events is a desk, like the others: data, not code.
alter table department add column runs_events boolean not null default false;
update department set runs_events = true where slug in ('rights', 'life');

create table event (
    event_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    title text not null,
    -- Markdown, sanitised when shown.
    description text not null default '',
    place text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    places int not null,
    applications_open_at timestamptz not null,
    applications_close_at timestamptz not null,
    -- Who may apply besides being verified: empty means anyone.
    colleges text[] not null default '{}',
    -- Entry years (年级), read from the first four digits of the student number.
    grades int[] not null default '{}',
    -- Up to five short questions on the application form.
    questions text[] not null default '{}',
    selection text not null,
    quota_rule text not null default 'none',
    -- The public value the beacon ends with, named before the window closes (e.g. a
    -- lottery draw of a stated date), and the value itself, entered for the draw.
    public_value_source text not null default '',
    public_value text,
    -- Until then the draw waits for every witness's reveal; after it, the published
    -- rule lets it go on with the reveals made (at least one).
    reveal_deadline timestamptz not null,
    -- Hours a selected student has to confirm before the place moves on.
    confirm_hours int not null default 48,
    -- The last application number handed out (A001, A002, …): the row's lock numbers them.
    applications_count int not null default 0,
    -- Frozen when the window closes: the pool file, its hash and the quotas, published at once.
    pool_frozen_at timestamptz,
    pool text,
    pool_hash text,
    quotas jsonb,
    -- The draw, run once: exactly the draw.json anyone can fetch.
    drawn_at timestamptz,
    draw jsonb,
    cancelled_at timestamptz,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- A calendar's SEQUENCE: bumped when the time or place changes.
    sequence int not null default 0,
    constraint event_title_length check (char_length(title) between 1 and 100),
    constraint event_places_range check (places between 1 and 10000),
    constraint event_time_order check (ends_at > starts_at),
    constraint event_window_order check (applications_close_at > applications_open_at and applications_close_at <= starts_at),
    constraint event_reveal_after_close check (reveal_deadline >= applications_close_at),
    constraint event_selection_kind check (selection in ('first_come', 'draw')),
    constraint event_quota_rule_kind check (quota_rule in ('none', 'fixed', 'proportional', 'one_per_college')),
    constraint event_questions_count check (coalesce(array_length(questions, 1), 0) <= 5),
    constraint event_confirm_hours_range check (confirm_hours between 1 and 336),
    constraint event_frozen_whole check ((pool_frozen_at is null) = (pool_hash is null) and (pool_hash is null) = (pool is null)),
    constraint event_drawn_whole check ((drawn_at is null) = (draw is null))
);
create index event_department_idx on event (department_id, starts_at desc);
create index event_starts_idx on event (starts_at desc);
-- The freezing job's and the home card's question: whose window is open or just closed.
create index event_window_idx on event (applications_close_at) where cancelled_at is null and pool_frozen_at is null;

-- Fixed quotas, as the organisers set them (the `fixed` rule).
create table event_quota (
    event_id bigint not null references event on delete cascade,
    college text not null,
    places int not null,
    primary key (event_id, college),
    constraint event_quota_places_range check (places between 0 and 10000)
);

-- Witnesses of the draw's randomness: each commits to the SHA-256 of a secret before
-- the window closes and reveals the secret after it.
create table event_witness (
    witness_id bigint generated always as identity primary key,
    event_id bigint not null references event on delete cascade,
    user_id bigint not null references app_user,
    -- How the page names them: "权益服务部干事 张三", "学生代表 李四".
    label text not null,
    commitment text,
    committed_at timestamptz,
    secret text,
    revealed_at timestamptz,
    constraint event_witness_once unique (event_id, user_id),
    constraint event_witness_commitment_hex check (commitment is null or commitment ~ '^[0-9a-f]{64}$'),
    constraint event_witness_reveal_after_commit check (secret is null or commitment is not null)
);

create table event_application (
    application_id bigint generated always as identity primary key,
    event_id bigint not null references event on delete cascade,
    user_id bigint not null references app_user,
    -- The pseudonymous number the pool and the draw use (1 → A001).
    app_number int not null,
    -- As they were when the student applied: the pool is built from these.
    college text not null,
    answers text[] not null default '{}',
    -- applied → (draw) selected | waiting; selected → confirmed | lapsed; anyone → withdrawn.
    status text not null default 'applied',
    -- The place in the draw's order (or in application order, first come first served).
    rank int,
    confirm_by timestamptz,
    -- Shown on the student's own page; organisers find them by it at the door.
    check_code text not null,
    attended_at timestamptz,
    checked_by bigint references app_user,
    applied_at timestamptz not null default now(),
    decided_at timestamptz,
    constraint event_application_once unique (event_id, user_id),
    constraint event_application_number unique (event_id, app_number),
    constraint event_application_code unique (event_id, check_code),
    constraint event_application_status_kind check (status in ('applied', 'selected', 'confirmed', 'waiting', 'lapsed', 'withdrawn'))
);
create index event_application_user_idx on event_application (user_id);
-- The waiting list moves up in order.
create index event_application_waiting_idx on event_application (event_id, rank) where status = 'waiting';
-- The job that moves places on when a confirmation is overdue.
create index event_application_confirm_idx on event_application (confirm_by) where status = 'selected';
