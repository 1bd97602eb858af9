-- Department work plans (部门工作计划): one plan per department and period, its
-- review of the last period, goals with actions, the approval workflow, and
-- every saved version as a Markdown snapshot.

create table plan (
    plan_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    period text not null,
    title text not null,
    review_achievements text not null default '',
    review_shortcomings text not null default '',
    status text not null default 'draft'
        check (status in ('draft', 'submitted', 'approved', 'returned', 'in_progress', 'reviewed')),
    -- The presidium's comments when it returned the plan.
    return_comment text not null default '',
    is_public boolean not null default false,
    carried_from bigint references plan,
    -- Bumped by every save (the first makes it 1); each value has its snapshot in plan_version.
    version integer not null default 0,
    -- Bumped only by edits of the title, period and review (the header form's own check).
    header_version integer not null default 1,
    created_by bigint references app_user,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint plan_department_period_key unique (department_id, period)
);
create index plan_public_idx on plan (updated_at desc) where is_public;

create table plan_goal (
    goal_id bigint generated always as identity primary key,
    plan_id bigint not null references plan on delete cascade,
    position integer not null,
    title text not null,
    description text not null default '',
    version integer not null default 1
);
create index plan_goal_plan_idx on plan_goal (plan_id, position);

create table plan_action (
    action_id bigint generated always as identity primary key,
    plan_id bigint not null references plan on delete cascade,
    goal_id bigint not null references plan_goal on delete cascade,
    position integer not null,
    title text not null,
    owner_id bigint references app_user,
    due_on date,
    status text not null default 'not_started' check (status in ('not_started', 'in_progress', 'done', 'dropped')),
    progress smallint not null default 0 check (progress between 0 and 100),
    notes text not null default '',
    -- The day it was first marked done: late when after the due date.
    done_on date,
    carried_from bigint references plan_action on delete set null,
    version integer not null default 1
);
create index plan_action_goal_idx on plan_action (goal_id, position);
create index plan_action_plan_idx on plan_action (plan_id);
create index plan_action_owner_idx on plan_action (owner_id) where owner_id is not null;

create table plan_version (
    plan_id bigint not null references plan on delete cascade,
    version integer not null,
    author_id bigint references app_user,
    -- What the save was, in the catalogue's words (a key).
    what text not null,
    snapshot text not null,
    created_at timestamptz not null default now(),
    primary key (plan_id, version)
);
