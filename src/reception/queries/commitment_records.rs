//! Each promiser's record on the commitments board: made, due, done on time.

use chrono::NaiveDate;
use sqlx::PgExecutor;

/// Per promiser (each office, and each union department for its own): commitments made, those
/// due or done, and those done on time (the rule of `model::commitment_state`: done by the due
/// date, or past it on `today`).
pub struct OfficeRecord {
    pub name_zh: String,
    pub name_en: String,
    pub total: i64,
    pub on_time: i64,
    pub due: i64,
}

impl OfficeRecord {
    pub fn percent(&self) -> Option<i64> {
        (self.due > 0).then(|| self.on_time * 100 / self.due)
    }
}

pub async fn list_office_records(db: impl PgExecutor<'_>, today: NaiveDate) -> sqlx::Result<Vec<OfficeRecord>> {
    sqlx::query_as!(
        OfficeRecord,
        r#"select coalesce(o.name_zh, d.name_zh) as "name_zh!", coalesce(o.name_en, d.name_en) as "name_en!",
                  count(*) as "total!",
                  count(*) filter (where m.status = 'done' and m.done_on <= m.due_on) as "on_time!",
                  count(*) filter (where m.status = 'done' or m.due_on < $1) as "due!"
           from commitment m left join school_office o using (office_id)
           left join department d on m.office_id is null and d.department_id = m.keeper_department_id
           group by o.office_id, d.department_id
           order by o.office_id is null, min(o.sort_order), o.office_id, d.department_id"#,
        today
    )
    .fetch_all(db)
    .await
}
