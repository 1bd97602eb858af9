//! Commitments that chase themselves: which ones fall due soon or just passed their date.

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// A commitment not done, due on a given day, and who answers for it: its owner (or, for an
/// office's commitment without one, the office's liaisons) and the heads of its keeper department;
/// and who waits for it: the asker and voters of its question, and its complaint's followers.
pub struct DueCommitment {
    pub commitment_id: i64,
    pub owners: Vec<i64>,
    pub waiting: Vec<i64>,
}

pub async fn list_commitments_due_on(db: impl PgExecutor<'_>, day: NaiveDate) -> sqlx::Result<Vec<DueCommitment>> {
    sqlx::query_as!(
        DueCommitment,
        r#"select m.commitment_id,
                  array(select m.owner_id where m.owner_id is not null
                        union select l.user_id from office_liaison l where m.owner_id is null and l.office_id = m.office_id
                        union select b.user_id from membership b join term t using (term_id)
                              where b.department_id = m.keeper_department_id and t.is_current and b.role = 'head') as "owners!",
                  array(select q.author_id from reception_minute n join reception_question q using (question_id)
                        where n.minute_id = m.minute_id
                        union select v.user_id from reception_minute n join reception_question_vote v using (question_id)
                        where n.minute_id = m.minute_id
                        union select f.user_id from (select c.reporter_id as user_id from complaint c where c.complaint_id = m.complaint_id
                                                     union select s.user_id from complaint_support s where s.complaint_id = m.complaint_id) f
                        where complaint_visible_to(m.complaint_id, f.user_id)) as "waiting!"
           from commitment m
           where m.due_on = $1 and m.status <> 'done'
           order by m.commitment_id"#,
        day
    )
    .fetch_all(db)
    .await
}

/// Per keeper department, its commitments past their date and not done, for the weekly list.
pub struct OverdueTally {
    pub department_id: i64,
    pub dept_slug: String,
    pub overdue: i64,
}

pub async fn list_overdue_tallies(db: impl PgExecutor<'_>, today: NaiveDate) -> sqlx::Result<Vec<OverdueTally>> {
    sqlx::query_as!(
        OverdueTally,
        r#"select m.keeper_department_id as department_id, d.slug as dept_slug, count(*) as "overdue!"
           from commitment m join department d on d.department_id = m.keeper_department_id
           where m.status <> 'done' and m.due_on < $1
           group by m.keeper_department_id, d.slug order by m.keeper_department_id"#,
        today
    )
    .fetch_all(db)
    .await
}
