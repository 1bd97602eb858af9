//! Tests of `web::dept_access`.

use super::*;

fn viewer(roles: &[(&str, DeptRole)], presidium: bool) -> Viewer {
    Viewer {
        user_id: 1,
        student_no: "1".into(),
        name: "x".into(),
        must_change_password: false,
        roles: roles
            .iter()
            .map(|(s, r)| super::super::context::HeldRole {
                slug: s.to_string(),
                name_zh: String::new(),
                name_en: String::new(),
                role: *r,
                sort_order: 0,
            })
            .collect(),
        is_admin: false,
        is_presidium: presidium,
        liaison_offices: vec![],
        unread_notifications: 0,
        csrf_token: String::new(),
        session_hash: vec![],
    }
}

#[test]
fn roles_are_ordered_and_scoped_to_their_department() {
    let head_of_life = viewer(&[("life", DeptRole::Head)], false);
    assert!(allows(&head_of_life, "life", Need::Act(DeptRole::Head)));
    assert!(!allows(&head_of_life, "rights", Need::Read(DeptRole::Member)));
    let member = viewer(&[("rights", DeptRole::Member)], false);
    assert!(allows(&member, "rights", Need::Read(DeptRole::Member)));
    assert!(!allows(&member, "rights", Need::Act(DeptRole::ViceHead)));
    let presidium = viewer(&[], true);
    assert!(allows(&presidium, "rights", Need::Read(DeptRole::Head)));
    assert!(!allows(&presidium, "rights", Need::Act(DeptRole::Member)));
    assert!(allows(&presidium, "rights", Need::Presidium));
    let presidium_head = viewer(&[("rights", DeptRole::Head)], true);
    assert!(!allows(&presidium_head, "rights", Need::Presidium), "no one decides on their own department");
    assert!(!allows(&head_of_life, "life", Need::Presidium));
}
