//! Granting and taking away roles, and the handover between terms. Shared by the
//! command line, the admin pages and department heads; every change is audited.

use serde_json::json;
use sqlx::PgPool;

use super::queries;
use crate::{audit, web::DeptRole};

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    #[error("no account has this student number")]
    UnknownStudent,
    #[error("the account's student number is not verified (it must sign in through campus identity first)")]
    Unverified,
    #[error("no such department")]
    UnknownDepartment,
    #[error("a head's role is changed by administrators only")]
    HeadKept,
}

impl GrantError {
    pub fn field_and_key(&self) -> (&'static str, &'static str) {
        match self {
            GrantError::UnknownStudent => ("student_no", "form.student_no.unknown"),
            GrantError::Unverified => ("student_no", "form.student_no.unverified"),
            GrantError::UnknownDepartment => ("dept", "form.dept.unknown"),
            GrantError::HeadKept => ("student_no", "form.member.head_kept"),
        }
    }
}

/// Give a department role (admins, the command line): any role, over any other.
pub async fn grant_dept_role(
    db: &PgPool,
    actor: Option<i64>,
    student_no: &str,
    slug: &str,
    role: DeptRole,
) -> anyhow::Result<Result<i64, GrantError>> {
    grant(db, actor, student_no, slug, role, false).await
}

/// A head adds a member or vice head: an existing head's role is not theirs to change.
pub async fn grant_below_head(
    db: &PgPool,
    actor: Option<i64>,
    student_no: &str,
    slug: &str,
    role: DeptRole,
) -> anyhow::Result<Result<i64, GrantError>> {
    anyhow::ensure!(role < DeptRole::Head, "heads are made by administrators");
    grant(db, actor, student_no, slug, role, true).await
}

async fn grant(
    db: &PgPool,
    actor: Option<i64>,
    student_no: &str,
    slug: &str,
    role: DeptRole,
    keep_heads: bool,
) -> anyhow::Result<Result<i64, GrantError>> {
    let mut tx = db.begin().await?;
    let user_id = match queries::fetch_grantee(&mut *tx, student_no.trim()).await? {
        None => return Ok(Err(GrantError::UnknownStudent)),
        Some((_, false)) => return Ok(Err(GrantError::Unverified)),
        Some((user_id, true)) => user_id,
    };
    let Some(department_id) = queries::fetch_department_id(&mut *tx, slug).await? else {
        return Ok(Err(GrantError::UnknownDepartment));
    };
    let term_id = ensure_current_term(&mut tx).await?;
    let before = queries::fetch_membership_role(&mut *tx, user_id, department_id, term_id).await?;
    let membership_id = if keep_heads {
        // The guard is in the statement: a head made meanwhile is not demoted either.
        match queries::upsert_membership_below_head(&mut *tx, user_id, department_id, term_id, role.as_str()).await? {
            Some(id) => id,
            None => return Ok(Err(GrantError::HeadKept)),
        }
    } else {
        queries::upsert_membership(&mut *tx, user_id, department_id, term_id, role.as_str()).await?
    };
    audit::record(
        &mut *tx,
        actor,
        Some(department_id),
        audit::Action::MembershipGrant,
        "membership",
        &membership_id.to_string(),
        before.map(|r| json!({ "user_id": user_id, "role": r })),
        Some(json!({ "user_id": user_id, "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(membership_id))
}

/// Take away a department role of this term (admins): any role, heads too.
/// False when there is no such membership.
pub async fn revoke_dept_role(db: &PgPool, actor: i64, membership_id: i64) -> sqlx::Result<bool> {
    remove(db, actor, membership_id, None, audit::Action::MembershipRevoke).await
}

/// A head removes a member or vice head of their own department this term, never a head.
/// False when the department has no such membership.
pub async fn remove_below_head(db: &PgPool, actor: i64, membership_id: i64, department_id: i64) -> sqlx::Result<bool> {
    remove(db, actor, membership_id, Some(department_id), audit::Action::MembershipRemove).await
}

/// `department_id` confines the removal to one department and keeps its heads;
/// without it (administrators) any membership of the term goes.
async fn remove(
    db: &PgPool,
    actor: i64,
    membership_id: i64,
    department_id: Option<i64>,
    action: audit::Action,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let allow_head = department_id.is_none();
    let Some(removed) = queries::delete_membership(&mut *tx, membership_id, department_id, allow_head).await? else {
        return Ok(false);
    };
    // Filed under the department too, so its heads read it in their own trail.
    audit::record(
        &mut *tx,
        Some(actor),
        Some(removed.department_id),
        action,
        "membership",
        &membership_id.to_string(),
        Some(json!({ "user_id": removed.user_id, "role": removed.role })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// `presidium` (this term) or `admin` (not tied to a term).
pub async fn grant_union_role(
    db: &PgPool,
    actor: Option<i64>,
    student_no: &str,
    role: &str,
) -> anyhow::Result<Result<(), GrantError>> {
    anyhow::ensure!(matches!(role, "presidium" | "admin"), "unknown union role {role}");
    let mut tx = db.begin().await?;
    let user_id = match queries::fetch_grantee(&mut *tx, student_no.trim()).await? {
        None => return Ok(Err(GrantError::UnknownStudent)),
        Some((_, false)) => return Ok(Err(GrantError::Unverified)),
        Some((user_id, true)) => user_id,
    };
    let term_id = if role == "presidium" { Some(ensure_current_term(&mut tx).await?) } else { None };
    if let Some(id) = queries::insert_union_role(&mut *tx, user_id, role, term_id).await? {
        audit::record(
            &mut *tx,
            actor,
            None,
            audit::Action::UnionRoleGrant,
            "union_role",
            &id.to_string(),
            None,
            Some(json!({ "user_id": user_id, "role": role })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// The current term, created for the running academic year (学年) when there is none.
pub async fn ensure_current_term(tx: &mut sqlx::PgConnection) -> anyhow::Result<i64> {
    if let Some(id) = queries::fetch_current_term_id(&mut *tx).await? {
        return Ok(id);
    }
    Ok(queries::insert_current_term(&mut *tx, &academic_year(chrono::Local::now().date_naive())).await?)
}

/// 学年 starting in September: 2026-11-24 → "2026-2027", 2027-03-01 → "2026-2027".
pub fn academic_year(today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let start = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    format!("{start}-{}", start + 1)
}

/// Hand the union over to a new term: it becomes current, old memberships stay as
/// records and stop granting anything. Admins keep their (term-less) role.
pub async fn handover(db: &PgPool, actor: i64, name: &str) -> anyhow::Result<i64> {
    let mut tx = db.begin().await?;
    let before = queries::fetch_current_term_name(&mut *tx).await?;
    queries::update_end_current_term(&mut *tx).await?;
    let term_id = queries::insert_current_term(&mut *tx, name).await?;
    audit::record(
        &mut *tx,
        Some(actor),
        None,
        audit::Action::TermHandover,
        "term",
        &term_id.to_string(),
        before.map(|b| json!({ "term": b })),
        Some(json!({ "term": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(term_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_academic_year_turns_in_september() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(academic_year(d(2026, 11, 24)), "2026-2027");
        assert_eq!(academic_year(d(2027, 3, 1)), "2026-2027");
        assert_eq!(academic_year(d(2027, 9, 1)), "2027-2028");
    }
}
