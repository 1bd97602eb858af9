-- Lost and found (失物招领): collection points, found items with their fate,
-- students' lost reports, suggested matches between the two, and numbered bulletins.

create table collection_point (
    point_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    name_zh text not null,
    name_en text not null,
    address text not null,
    opening_hours text not null,
    sort_order integer not null default 100,
    archived_at timestamptz,
    constraint collection_point_name_key unique (department_id, name_zh)
);

insert into collection_point (department_id, name_zh, name_en, address, opening_hours, sort_order)
select d.department_id, p.name_zh, p.name_en, p.address, p.hours, p.sort_order
from (values
    ('西区学生活动中心', 'West: Student Activity Centre', '西区学生活动中心一楼 学生会权益服务部办公室', '周一至周五 12:00–13:30，17:30–21:00', 10),
    ('西区第一教学楼',   'West: Teaching Building 1',     '西区第一教学楼一楼值班室',                   '每天 8:00–21:30', 20),
    ('西区第一食堂',     'West: Canteen 1',               '西区第一食堂二楼服务台',                     '每天 11:00–13:00，17:00–19:00', 30),
    ('北区图书馆',       'North: Library',                '北区图书馆一楼总服务台',                     '每天 8:00–22:00', 40),
    ('北区24栋',         'North: Dorm 24',                '北区24栋宿管值班室',                         '每天 7:00–23:00', 50)
) as p(name_zh, name_en, address, hours, sort_order)
join department d on d.slug = 'rights';

-- Numbered for the notice boards (第57期); the number is taken under an advisory
-- lock, and the unique key makes a duplicate impossible whatever happens.
create table bulletin (
    bulletin_id bigint generated always as identity primary key,
    number integer not null,
    department_id bigint not null references department,
    published_by bigint references app_user,
    published_at timestamptz not null default now(),
    item_count integer not null,
    constraint bulletin_number_key unique (number)
);

create table found_item (
    item_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    point_id bigint not null references collection_point,
    category text not null
        check (category in ('card', 'electronics', 'keys', 'books', 'clothing', 'umbrella', 'wallet', 'other')),
    description text not null,
    colour text not null default '',
    found_place text not null,
    found_on date not null,
    -- A campus card's student number and the name on it: never shown publicly.
    card_student_no text,
    card_name text not null default '',
    -- The card's owner when they have an account (told at once).
    owner_id bigint references app_user,
    photo_name text,
    thumb_name text,
    status text not null default 'held' check (status in ('held', 'claimed', 'returned', 'disposed')),
    registered_by bigint references app_user,
    registered_at timestamptz not null default now(),
    claimant_student_no text,
    claimant_name text,
    closed_by bigint references app_user,
    closed_at timestamptz,
    close_note text not null default '',
    bulletin_id bigint references bulletin,
    search_doc tsvector not null default ''::tsvector,
    constraint found_item_claim_complete check (status <> 'claimed' or (claimant_student_no is not null and claimant_name is not null)),
    constraint found_item_closed_complete check ((status = 'held') = (closed_at is null))
);
create index found_item_public_idx on found_item (item_id desc) where status = 'held';
create index found_item_held_point_idx on found_item (point_id, item_id desc) where status = 'held';
create index found_item_held_found_on_idx on found_item (found_on) where status = 'held';
create index found_item_point_idx on found_item (point_id, registered_at);
create index found_item_department_registered_idx on found_item (department_id, registered_at);
create index found_item_registrar_idx on found_item (registered_by, department_id, item_id desc);
create index found_item_unpublished_idx on found_item (department_id, item_id) where bulletin_id is null and status = 'held';
create index found_item_bulletin_idx on found_item (bulletin_id, point_id, item_id);
create index found_item_held_registered_idx on found_item (department_id, registered_at) where status = 'held';
create index found_item_search_idx on found_item using gin (search_doc);
create index found_item_match_idx on found_item (category, found_on) where status = 'held';
create index found_item_card_idx on found_item (card_student_no) where card_student_no is not null and status = 'held';

create table lost_report (
    report_id bigint generated always as identity primary key,
    owner_id bigint not null references app_user on delete cascade,
    category text not null
        check (category in ('card', 'electronics', 'keys', 'books', 'clothing', 'umbrella', 'wallet', 'other')),
    what text not null,
    place text not null,
    lost_on date not null,
    description text not null default '',
    -- Seen by the lost-and-found officers (and the presidium, who reads everything); never public.
    contact text not null default '',
    status text not null default 'open' check (status in ('open', 'closed')),
    created_at timestamptz not null default now(),
    closed_at timestamptz,
    search_doc tsvector not null default ''::tsvector
);
create index lost_report_owner_idx on lost_report (owner_id, report_id desc);
create index lost_report_open_idx on lost_report (lost_on) where status = 'open';
create index lost_report_open_recent_idx on lost_report (report_id desc) where status = 'open';

create table lost_match (
    item_id bigint not null references found_item on delete cascade,
    report_id bigint not null references lost_report on delete cascade,
    score integer not null,
    created_at timestamptz not null default now(),
    primary key (item_id, report_id)
);
create index lost_match_report_idx on lost_match (report_id);
