-- Foundation: accounts, sessions, departments, terms, memberships, audit, mail outbox.

create table app_user (
    user_id bigint generated always as identity primary key,
    student_no text not null,
    name text not null,
    college text not null default '',
    email text not null default '',
    password_hash text not null,
    must_change_password boolean not null default false,
    email_notifications boolean not null default true,
    disabled_at timestamptz,
    created_at timestamptz not null default now(),
    password_changed_at timestamptz not null default now(),
    constraint app_user_student_no_key unique (student_no)
);

-- The cookie carries a random id; only its SHA-256 is stored, so a leaked
-- table does not hand out live sessions.
create table user_session (
    session_hash bytea primary key,
    user_id bigint not null references app_user on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now()
);
create index user_session_user_id_idx on user_session (user_id);

create table login_attempt (
    login_attempt_id bigint generated always as identity primary key,
    student_no text not null,
    client_ip text not null,
    succeeded boolean not null,
    attempted_at timestamptz not null default now()
);
create index login_attempt_ip_idx on login_attempt (client_ip, attempted_at);
create index login_attempt_student_no_idx on login_attempt (student_no, attempted_at);

-- 届: memberships belong to a term; a handover makes a new term current and the
-- old officers lose their roles while their records stay.
create table term (
    term_id bigint generated always as identity primary key,
    name text not null,
    started_on date not null default current_date,
    is_current boolean not null default false,
    created_at timestamptz not null default now(),
    constraint term_name_key unique (name)
);
create unique index term_one_current_idx on term (is_current) where is_current;

create table department (
    department_id bigint generated always as identity primary key,
    slug text not null,
    name_zh text not null,
    name_en text not null,
    description text not null default '',
    handles_complaints boolean not null default false,
    runs_lost_found boolean not null default false,
    organises_reception boolean not null default false,
    sort_order integer not null default 100,
    archived_at timestamptz,
    constraint department_slug_key unique (slug),
    constraint department_slug_format check (slug ~ '^[a-z][a-z0-9-]{1,30}$')
);

create table membership (
    membership_id bigint generated always as identity primary key,
    user_id bigint not null references app_user on delete cascade,
    department_id bigint not null references department,
    term_id bigint not null references term,
    role text not null check (role in ('member', 'vice_head', 'head')),
    created_at timestamptz not null default now(),
    constraint membership_user_department_term_key unique (user_id, department_id, term_id)
);
create index membership_department_term_idx on membership (department_id, term_id);

-- Union-wide roles. The presidium is elected per term; admin is not tied to a term.
create table union_role (
    union_role_id bigint generated always as identity primary key,
    user_id bigint not null references app_user on delete cascade,
    role text not null check (role in ('presidium', 'admin')),
    term_id bigint references term,
    created_at timestamptz not null default now(),
    constraint union_role_user_role_term_key unique nulls not distinct (user_id, role, term_id),
    constraint union_role_presidium_has_term check ((role = 'presidium') = (term_id is not null))
);

create table audit_log (
    audit_id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    actor_id bigint references app_user,
    department_id bigint references department,
    action text not null,
    object_type text not null,
    object_id text not null,
    before jsonb,
    after jsonb
);
create index audit_log_department_idx on audit_log (department_id, audit_id desc);

-- The audit trail is append-only for everyone, the portal included.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();

create table mail_outbox (
    mail_id bigint generated always as identity primary key,
    to_address text not null,
    subject text not null,
    body text not null,
    created_at timestamptz not null default now(),
    sent_at timestamptz
);

insert into department (slug, name_zh, name_en, handles_complaints, runs_lost_found, organises_reception, sort_order) values
    ('rights',    '权益服务部', 'Rights & Services',        true,  true,  true,  10),
    ('life',      '生活卫生部', 'Life & Hygiene',           true,  false, false, 20),
    ('girls',     '女生部',     'Women Students',           true,  false, false, 30),
    ('safety',    '安全部',     'Safety',                   true,  false, false, 40),
    ('infra',     '基建部',     'Campus Facilities',        false, false, false, 50),
    ('publicity', '宣传部',     'Publicity',                false, false, false, 60),
    ('news',      '新闻网络部', 'News & Web',               false, false, false, 70),
    ('office',    '办公室',     'General Office',           false, false, false, 80),
    ('presidium', '主席团',     'Presidium',                false, false, true,  5);
