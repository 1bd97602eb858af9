-- Group robots (企业微信, 钉钉 and 飞书 custom robots): a department's heads register the
-- webhook of a group chat and choose what the group gets; announcements go to
-- `robot_outbox` in the transaction that made them, and a background loop delivers
-- them with retries (src/robots/).

create table group_robot (
    robot_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    platform text not null check (platform in ('wecom', 'dingtalk', 'feishu')),
    name text not null check (length(name) between 1 and 40),
    -- The webhook with its key (a password to the chat): shown masked, never logged.
    webhook_url text not null,
    -- The signing secret (钉钉 and 飞书, when the robot has one); '' for none.
    secret text not null default '',
    topics text[] not null default '{}'
        check (topics <@ array['bulletins', 'reception', 'minutes', 'events', 'inspections']),
    -- Also every other department's announcements of the chosen topics (a union-wide chat).
    union_wide boolean not null default false,
    enabled boolean not null default true,
    -- Messages are written to the portal's log instead of being sent (trying things out, the demo).
    log_only boolean not null default false,
    last_success_at timestamptz,
    -- The last failure: its kind (robots.error.<kind> in the catalogue) and a short detail,
    -- never the webhook's key or the secret.
    last_error_kind text,
    last_error text,
    last_error_at timestamptz,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    constraint group_robot_name_key unique (department_id, name)
);

create table robot_outbox (
    message_id bigint generated always as identity primary key,
    robot_id bigint not null references group_robot on delete cascade,
    -- A topic of group_robot.topics, or 'test' for the page's test message.
    topic text not null,
    title text not null,
    body text not null,
    -- A path of the portal; the sender puts the public address in front.
    link text not null default '',
    created_at timestamptz not null default now(),
    attempts integer not null default 0,
    -- When the row may be claimed next: now for a new row, later while a process sends it
    -- (a lease: a process that dies mid-send leaves it to another), later again after a failure.
    next_attempt_at timestamptz not null default now(),
    sent_at timestamptz,
    -- `http`, or `log` when the message was written to the log instead.
    transport text,
    gave_up_at timestamptz,
    last_error_kind text,
    last_error text
);

create index robot_outbox_due_idx on robot_outbox (next_attempt_at) where sent_at is null and gave_up_at is null;
create index robot_outbox_robot_idx on robot_outbox (robot_id, message_id desc);
create index group_robot_department_idx on group_robot (department_id);
