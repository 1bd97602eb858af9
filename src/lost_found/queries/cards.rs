//! Found campus cards and their owners: only an account whose number someone vouched for
//! (verified) is a card's owner, is told of it, or holds a delegate seat by number.

use sqlx::PgExecutor;

/// The verified, active account holding a student number: (id, name).
pub async fn verified_user_by_student_no(
    db: impl PgExecutor<'_>,
    student_no: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    let row = sqlx::query!(
        "select user_id, name from app_user where student_no = $1 and disabled_at is null and verified_by is not null",
        student_no
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user_id, r.name)))
}

/// A card waiting at a point for the account just verified: it becomes theirs. (item id, point id).
pub async fn claim_waiting_cards(tx: &mut sqlx::PgConnection, user_id: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        "update found_item i set owner_id = u.user_id
         from app_user u
         where u.user_id = $1 and u.verified_by is not null and u.disabled_at is null
           and i.card_student_no = u.student_no and i.status = 'held' and i.owner_id is distinct from u.user_id
         returning i.item_id, i.point_id",
        user_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.item_id, r.point_id)).collect())
}
