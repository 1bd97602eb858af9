-- Merging a duplicate must never show anyone a complaint they could not see before
-- (issue 16). One rule decides who may see a complaint; merges, followers'
-- notifications and mails, `/me` and the timelines all go through it.

-- Who may see a complaint: anyone when it is public; otherwise its reporter, the
-- presidium of the current term and the current term's members of its department
-- (an archived department grants nothing). The same rule as
-- `complaints::handlers::can_see`, which the complaint page applies to the session's
-- roles; tests/api/merge_privacy.rs checks that the two agree for every kind of viewer.
-- A null user is a visitor.
create function complaint_visible_to(for_complaint bigint, for_user bigint) returns boolean
language sql stable as $$
    select exists (
        select 1 from complaint c
        where c.complaint_id = for_complaint
          and (c.is_public
               or c.reporter_id = for_user
               or exists (select 1 from union_role r join term t using (term_id)
                          where r.user_id = for_user and r.role = 'presidium' and t.is_current)
               or exists (select 1 from membership m join term t using (term_id) join department d using (department_id)
                          where m.user_id = for_user and m.department_id = c.department_id
                            and t.is_current and d.archived_at is null)))
$$;

-- May complaint `named`'s tracking number appear wherever complaint `shown` is shown
-- (its timeline, its page, what its followers are told)? Only when everyone who may see
-- `shown` may see `named` under the rule above: `named` is public, or both are private
-- with the same reporter and the same department (the presidium sees both anyway).
create function complaint_may_name(shown bigint, named bigint) returns boolean
language sql stable as $$
    select exists (
        select 1 from complaint s join complaint n on n.complaint_id = named
        where s.complaint_id = shown
          and (n.is_public
               or (not s.is_public and s.reporter_id = n.reporter_id and s.department_id = n.department_id)))
$$;

-- A merge event points at the other complaint by id; whether its number is shown is
-- decided when the timeline is read (`complaint_may_name`), not frozen into the text.
alter table complaint_event add column ref_complaint_id bigint references complaint;
update complaint_event e set ref_complaint_id = c.complaint_id, body = ''
from complaint c
where e.kind in ('merged', 'merged_in') and c.tracking_no = e.body;

-- Undo what earlier merges leaked: supports that follow a complaint their student may
-- not see (carried into a private complaint), and the notifications those brought.
delete from complaint_support s where not complaint_visible_to(s.complaint_id, s.user_id);
delete from notification n using complaint c
where n.link = '/complaints/' || c.tracking_no and not c.is_public and not complaint_visible_to(c.complaint_id, n.user_id);
