-- School offices in the portal (issue 19): liaison accounts that answer what the union
-- forwards to their office, and two honest clocks: the union's (filing → its first public
-- reply) and the office's (forwarding → the office's first answer).

-- `/offices/{slug}`: the offices seeded in 0002 get readable slugs, new ones `office-<id>`.
alter table school_office add column slug text;
update school_office set slug = case name_zh
    when '后勤处' then 'logistics'
    when '基建处' then 'construction'
    when '保卫处' then 'security'
    when '教务处' then 'academic-affairs'
    when '图书馆' then 'library'
    when '学生处' then 'student-affairs'
    when '宿舍管理中心' then 'dormitories'
    else 'office-' || office_id end;
alter table school_office alter column slug set not null;
alter table school_office add constraint school_office_slug_key unique (slug);
create function school_office_default_slug() returns trigger language plpgsql as $$
begin
    new.slug := coalesce(new.slug, 'office-' || new.office_id);
    return new;
end
$$;
create trigger school_office_default_slug before insert on school_office
    for each row execute function school_office_default_slug();

-- A liaison answers for the office. Like a role (0023), only a verified account can be one.
create table office_liaison (
    office_id bigint not null references school_office on delete cascade,
    user_id bigint not null references app_user on delete cascade,
    added_by bigint references app_user,
    created_at timestamptz not null default now(),
    primary key (office_id, user_id)
);
create index office_liaison_user_idx on office_liaison (user_id);
create trigger office_liaison_needs_verified_account before insert or update of user_id on office_liaison
    for each row execute function require_verified_account();

-- The office's clock. `forwarded_at` is the last forwarding (a case forwarded again starts
-- the office's clock again only if the office has not answered yet); `office_answered_at`
-- the office's first answer, by a liaison or relayed by the union and marked as the office's.
alter table complaint add column forwarded_at timestamptz;
alter table complaint add column office_answered_at timestamptz;
alter table complaint add column office_done_at timestamptz;
alter table complaint add column office_plan_on date;
update complaint c set forwarded_at = f.at
from (select complaint_id, min(created_at) as at from complaint_event where to_status = 'forwarded' group by complaint_id) f
where f.complaint_id = c.complaint_id;
-- Before this migration every office answer was relayed by the union: the first public reply
-- after forwarding is the office's.
update complaint c set office_answered_at = r.at
from (select e.complaint_id, min(e.created_at) as at
      from complaint_event e join complaint c2 using (complaint_id)
      where e.is_public and (e.kind = 'public_reply' or e.to_status = 'responded') and e.created_at >= c2.forwarded_at
      group by e.complaint_id) r
where r.complaint_id = c.complaint_id;
create index complaint_office_forwarded_idx on complaint (office_id, forwarded_at) where forwarded_at is not null;

-- Office events: who spoke for which office. `due_on` is the date an office's plan names.
alter table complaint_event add column office_id bigint references school_office;
alter table complaint_event add column due_on date;
alter table complaint_event drop constraint complaint_event_kind_check;
alter table complaint_event add constraint complaint_event_kind_check check (kind in (
    'submitted', 'status', 'public_reply', 'internal_note', 'reporter_reply', 'confirmed', 'reopened',
    'assigned', 'transferred', 'escalated', 'agenda', 'merged', 'merged_in', 'commitment', 'commitment_update',
    'office_answer', 'office_question', 'office_plan', 'office_done'));
