//! The audit trail: who did what, when, before → after. Append-only (a trigger
//! refuses updates, deletes and truncation): the portal has no way to edit or
//! remove an entry. A department's entries are read by its heads and the
//! presidium, every entry (the union-wide ones too) by administrators.

use serde_json::Value;

mod action;
mod queries;

pub use action::Action;
pub use queries::{list_all, list_for_department, list_for_object, record, record_each, Entry};

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
