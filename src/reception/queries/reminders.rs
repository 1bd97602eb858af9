//! Commitments that chase themselves: which ones fall due soon or just passed their date.

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// A commitment not done, due on a given day, and who answers for it: the office's liaisons
/// and the heads of the department that organised its session.
pub struct DueCommitment {
    pub commitment_id: i64,
    pub owners: Vec<i64>,
}

pub async fn list_commitments_due_on(db: impl PgExecutor<'_>, day: NaiveDate) -> sqlx::Result<Vec<DueCommitment>> {
    sqlx::query_as!(
        DueCommitment,
        r#"select m.commitment_id,
                  array(select l.user_id from office_liaison l where l.office_id = m.office_id
                        union select b.user_id from membership b join term t using (term_id)
                              where b.department_id = s.department_id and t.is_current and b.role = 'head') as "owners!"
           from commitment m join reception_session s using (session_id)
           where m.due_on = $1 and m.status <> 'done'
           order by m.commitment_id"#,
        day
    )
    .fetch_all(db)
    .await
}

/// Per organising department, its commitments past their date and not done, for the weekly list.
pub struct OverdueTally {
    pub department_id: i64,
    pub dept_slug: String,
    pub overdue: i64,
}

pub async fn list_overdue_tallies(db: impl PgExecutor<'_>, today: NaiveDate) -> sqlx::Result<Vec<OverdueTally>> {
    sqlx::query_as!(
        OverdueTally,
        r#"select s.department_id, d.slug as dept_slug, count(*) as "overdue!"
           from commitment m join reception_session s using (session_id) join department d on d.department_id = s.department_id
           where m.status <> 'done' and m.due_on < $1
           group by s.department_id, d.slug order by s.department_id"#,
        today
    )
    .fetch_all(db)
    .await
}
