-- Complaints (权益投诉): categories and school offices as data, complaints with a
-- timeline of events, supports (同问), and in-portal notifications.

create table school_office (
    office_id bigint generated always as identity primary key,
    name_zh text not null,
    name_en text not null,
    sort_order integer not null default 100,
    constraint school_office_name_zh_key unique (name_zh)
);

insert into school_office (name_zh, name_en, sort_order) values
    ('后勤处', 'Logistics Office', 10),
    ('基建处', 'Campus Construction Office', 20),
    ('保卫处', 'Security Office', 30),
    ('教务处', 'Academic Affairs Office', 40),
    ('图书馆', 'Library', 50),
    ('学生处', 'Student Affairs Office', 60),
    ('宿舍管理中心', 'Dormitory Management Centre', 70);

-- Each category routes new complaints to a handling department.
create table complaint_category (
    category_id bigint generated always as identity primary key,
    slug text not null,
    name_zh text not null,
    name_en text not null,
    department_id bigint not null references department,
    sort_order integer not null default 100,
    constraint complaint_category_slug_key unique (slug)
);

insert into complaint_category (slug, name_zh, name_en, department_id, sort_order)
select c.slug, c.name_zh, c.name_en, d.department_id, c.sort_order
from (values
    ('dorm',       '宿舍',     'Dormitories',          'life',   10),
    ('girls-dorm', '女生宿舍', 'Women''s dormitories', 'girls',  15),
    ('canteen',    '食堂',     'Canteens',             'rights', 20),
    ('teaching',   '教学设施', 'Teaching facilities',  'rights', 30),
    ('safety',     '安全',     'Safety',               'safety', 40),
    ('logistics',  '后勤',     'Logistics',            'rights', 50),
    ('library',    '图书馆',   'Library',              'rights', 60),
    ('transport',  '交通',     'Transport',            'rights', 70),
    ('other',      '其他',     'Other',                'rights', 80)
) as c(slug, name_zh, name_en, dept, sort_order)
join department d on d.slug = c.dept;

-- One row per year: tracking numbers are handed out by an atomic increment,
-- so concurrent submissions never share a number.
create table tracking_counter (
    year integer primary key,
    last_number integer not null
);

create table complaint (
    complaint_id bigint generated always as identity primary key,
    tracking_no text not null,
    reporter_id bigint not null references app_user,
    category_id bigint not null references complaint_category,
    department_id bigint not null references department,
    office_id bigint references school_office,
    assignee_id bigint references app_user,
    title text not null,
    location text not null,
    description text not null,
    is_public boolean not null,
    is_anonymous boolean not null,
    status text not null default 'submitted'
        check (status in ('submitted', 'accepted', 'rejected', 'forwarded', 'responded', 'resolved')),
    rating smallint check (rating between 1 and 5),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    accepted_at timestamptz,
    first_public_reply_at timestamptz,
    resolved_at timestamptz,
    confirmed_at timestamptz,
    constraint complaint_tracking_no_key unique (tracking_no)
);
create index complaint_public_board_idx on complaint (created_at desc, complaint_id desc) where is_public;
create index complaint_department_status_idx on complaint (department_id, status, created_at);
create index complaint_reporter_idx on complaint (reporter_id, created_at desc);

create table complaint_event (
    event_id bigint generated always as identity primary key,
    complaint_id bigint not null references complaint on delete cascade,
    actor_id bigint references app_user,
    -- The department the actor acted for; null when the reporter acted.
    department_id bigint references department,
    kind text not null check (kind in ('submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened', 'assigned')),
    from_status text,
    to_status text,
    body text not null default '',
    is_public boolean not null,
    created_at timestamptz not null default now()
);
create index complaint_event_complaint_idx on complaint_event (complaint_id, event_id);

create table complaint_support (
    complaint_id bigint not null references complaint on delete cascade,
    user_id bigint not null references app_user,
    created_at timestamptz not null default now(),
    primary key (complaint_id, user_id)
);
create index complaint_support_user_idx on complaint_support (user_id);

-- In-portal notifications, rendered in the reader's language from a catalogue key.
create table notification (
    notification_id bigint generated always as identity primary key,
    user_id bigint not null references app_user on delete cascade,
    message_key text not null,
    param text not null default '',
    link text not null,
    created_at timestamptz not null default now(),
    read_at timestamptz
);
create index notification_unread_idx on notification (user_id, notification_id desc) where read_at is null;
create index notification_user_idx on notification (user_id, notification_id desc);
