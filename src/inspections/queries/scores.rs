//! The inspector's writes: a room's result saved over the revision the form was loaded
//! with (never over a newer save), its deductions replaced, and the one-tap report's link.
//! Like every inspector's statement, each names the inspector and checks the round names them.

use sqlx::PgExecutor;

/// What a save writes on the result row.
pub struct NewResult<'a> {
    pub round_id: i64,
    pub room_id: i64,
    pub outcome: &'a str,
    pub score: Option<i32>,
    pub grade: Option<&'a str>,
    pub vetoed: bool,
    pub note: &'a str,
    pub inspector_id: i64,
}

/// The first save of a room in a round; `None` when someone saved it first.
pub async fn insert_result(db: impl PgExecutor<'_>, r: &NewResult<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into inspection_result (round_id, room_id, outcome, score, grade, vetoed, note, inspected_by)
         select $1, $2, $3, $4, $5, $6, $7, $8
         where exists (select 1 from inspection_inspector where round_id = $1 and user_id = $8)
         on conflict on constraint inspection_result_once do nothing
         returning result_id",
        r.round_id,
        r.room_id,
        r.outcome,
        r.score,
        r.grade,
        r.vetoed,
        r.note,
        r.inspector_id
    )
    .fetch_optional(db)
    .await
}

/// A later save, only over the revision the form showed; `None` when it changed meanwhile.
pub async fn update_result(db: impl PgExecutor<'_>, r: &NewResult<'_>, revision: i32) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update inspection_result
         set outcome = $3, score = $4, grade = $5, vetoed = $6, note = $7, inspected_by = $8,
             inspected_at = now(), revision = revision + 1
         where round_id = $1 and room_id = $2 and revision = $9
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $8)
         returning result_id",
        r.round_id,
        r.room_id,
        r.outcome,
        r.score,
        r.grade,
        r.vetoed,
        r.note,
        r.inspector_id,
        revision
    )
    .fetch_optional(db)
    .await
}

/// A replaced deduction's photo: kept for its item when no new one was chosen.
pub struct OldPhoto {
    pub item_id: i64,
    pub photo_name: String,
    pub thumb_name: String,
}

/// Remove a result's deductions, returning the photos they had.
pub async fn delete_deductions(db: impl PgExecutor<'_>, result_id: i64) -> sqlx::Result<Vec<OldPhoto>> {
    let rows = sqlx::query!(
        "delete from inspection_deduction where result_id = $1 returning item_id, photo_name, thumb_name",
        result_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(OldPhoto { item_id: r.item_id, photo_name: r.photo_name?, thumb_name: r.thumb_name? }))
        .collect())
}

/// Deductions as parallel columns, one row each.
#[derive(Default)]
pub struct DeductionRows {
    pub item_ids: Vec<i64>,
    pub points: Vec<i32>,
    pub reasons: Vec<String>,
    pub photos: Vec<Option<String>>,
    pub thumbs: Vec<Option<String>>,
}

pub async fn insert_deductions(db: impl PgExecutor<'_>, result_id: i64, rows: &DeductionRows) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into inspection_deduction (result_id, item_id, points, reason, photo_name, thumb_name)
         select $1, item_id, points, reason, photo, thumb
         from unnest($2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[]) as d(item_id, points, reason, photo, thumb)",
        result_id,
        &rows.item_ids,
        &rows.points,
        &rows.reasons,
        &rows.photos as &[Option<String>],
        &rows.thumbs as &[Option<String>]
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A report a result's findings already filed: its kind and the complaint's tracking number.
pub struct FiledReport {
    pub kind: String,
    pub tracking_no: String,
}

/// The reports a result's findings already filed (a complaint, a repair request).
pub async fn list_reports(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    result_id: i64,
) -> sqlx::Result<Vec<FiledReport>> {
    sqlx::query_as!(
        FiledReport,
        "select r.kind, c.tracking_no from inspection_report r
         join complaint c on c.complaint_id = r.complaint_id
         join inspection_result res on res.result_id = r.result_id and res.round_id = $1
         where r.result_id = $3
           and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
         order by r.kind",
        round_id,
        user_id,
        result_id
    )
    .fetch_all(db)
    .await
}

/// The photos of a result's deductions (full size and thumbnail), for its report.
pub async fn list_deduction_photos(
    db: impl PgExecutor<'_>,
    round_id: i64,
    user_id: i64,
    result_id: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    let rows = sqlx::query!(
        r#"select d.photo_name as "photo_name!", d.thumb_name as "thumb_name!"
           from inspection_deduction d join inspection_result res on res.result_id = d.result_id
           where d.result_id = $3 and res.round_id = $1 and d.photo_name is not null
             and exists (select 1 from inspection_inspector where round_id = $1 and user_id = $2)
           order by d.deduction_id"#,
        round_id,
        user_id,
        result_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.photo_name, r.thumb_name)).collect())
}

pub async fn insert_report(
    db: impl PgExecutor<'_>,
    result_id: i64,
    kind: &str,
    complaint_id: i64,
    user_id: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into inspection_report (result_id, kind, complaint_id, reported_by)
         select $1, $2, $3, $4
         where exists (select 1 from inspection_result res join inspection_inspector i on i.round_id = res.round_id
                       where res.result_id = $1 and i.user_id = $4)
         on conflict do nothing",
        result_id,
        kind,
        complaint_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}
