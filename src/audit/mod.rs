//! The audit trail: who did what, when, before → after. Append-only (a trigger
//! refuses updates, deletes and truncation): the portal has no way to edit or
//! remove an entry. A department's entries are read by its heads and the
//! presidium, every entry (the union-wide ones too) by administrators.

use serde_json::Value;
use sqlx::PgExecutor;

mod action;

pub use action::Action;

#[allow(clippy::too_many_arguments)]
pub async fn record(
    db: impl PgExecutor<'_>,
    actor_id: Option<i64>,
    department_id: Option<i64>,
    action: Action,
    object_type: &str,
    object_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, department_id, action, object_type, object_id, before, after)
         values ($1, $2, $3, $4, $5, $6, $7)",
        actor_id,
        department_id,
        action.as_str(),
        object_type,
        object_id,
        before,
        after
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Entries for several objects of one kind, one row each, in one statement
/// (a batch disposal records every item it disposed of).
#[allow(clippy::too_many_arguments)]
pub async fn record_each(
    db: impl PgExecutor<'_>,
    actor_id: Option<i64>,
    department_id: Option<i64>,
    action: Action,
    object_type: &str,
    object_ids: &[String],
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, department_id, action, object_type, object_id, before, after)
         select $1, $2, $3, $4, id, $6, $7 from unnest($5::text[]) with ordinality as o(id, n) order by n",
        actor_id,
        department_id,
        action.as_str(),
        object_type,
        object_ids,
        before,
        after
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Free text as the trail keeps it: enough to recognise it, never a whole essay.
pub fn clip(text: &str) -> String {
    const KEEP: usize = 500;
    match text.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Only what an edit changed: the fields of `before` and `after` whose values differ.
pub fn changes(before: Value, after: Value) -> (Value, Value) {
    match (before, after) {
        (Value::Object(mut b), Value::Object(mut a)) => {
            let same: Vec<String> = b.iter().filter(|(k, v)| a.get(*k) == Some(*v)).map(|(k, _)| k.clone()).collect();
            for k in same {
                b.remove(&k);
                a.remove(&k);
            }
            (Value::Object(b), Value::Object(a))
        }
        other => other,
    }
}

pub struct Entry {
    pub audit_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub department_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The newest entries of one department, older than `before_id` (keyset pagination).
pub async fn list_for_department(
    db: impl PgExecutor<'_>,
    department_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where a.department_id = $1 and ($2::bigint is null or a.audit_id < $2)
           order by a.audit_id desc
           limit $3"#,
        department_id,
        before_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// Every entry of the portal, older than `before_id`, newest first: the
/// administrators' view, the only one of entries that belong to no department.
pub async fn list_all(db: impl PgExecutor<'_>, before_id: Option<i64>, limit: i64) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where ($1::bigint is null or a.audit_id < $1)
           order by a.audit_id desc
           limit $2"#,
        before_id,
        limit
    )
    .fetch_all(db)
    .await
}

/// Entries on one page of a trail (a department's, or the admins' whole one), newest first.
pub const PAGE: i64 = 50;

/// A trail's page: `?before=` the id of the last entry of the page before (none: the newest).
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    pub before: Option<i64>,
}

/// The `?before=` of the page after this one, when this one is full.
pub fn next_page(entries: &[Entry]) -> Option<i64> {
    crate::web::forms::next_cursor(entries, PAGE, |e| e.audit_id)
}

/// Every entry about one object, newest first (a complaint's trail across departments).
pub async fn list_for_object(db: impl PgExecutor<'_>, object_type: &str, object_id: &str) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select a.audit_id, a.at, a.department_id, u.name as "actor_name?", a.action, a.object_type, a.object_id, a.before, a.after
           from audit_log a left join app_user u on u.user_id = a.actor_id
           where a.object_type = $1 and a.object_id = $2
           order by a.audit_id desc
           limit 200"#,
        object_type,
        object_id
    )
    .fetch_all(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_text_is_clipped_on_a_character_boundary() {
        assert_eq!(clip("已联系后勤处"), "已联系后勤处");
        let long = "字".repeat(600);
        let kept = clip(&long);
        assert_eq!(kept.chars().count(), 501);
        assert!(kept.ends_with('…'));
    }

    #[test]
    fn changes_keep_only_the_fields_that_differ() {
        let (b, a) = changes(json!({ "title": "旧", "seats": 20 }), json!({ "title": "新", "seats": 20 }));
        assert_eq!((b, a), (json!({ "title": "旧" }), json!({ "title": "新" })));
    }
}
