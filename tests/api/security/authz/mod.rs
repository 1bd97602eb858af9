//! Every route of the router × every role, with the expected answer, from one table.
//! The routes are read from the sources under src/ (`route_discovery`: every `.route(`
//! call, every method of a chained method router, under its nest prefix): a route added
//! anywhere and missing here fails `every_route_of_the_router_is_in_the_table`.

use axum::http::StatusCode;

mod events;
mod forms;
mod inspections;
mod lending;
mod recruitment;
mod robots;
mod setup;
mod surveys;
mod table;
pub(crate) use forms::event_form;
pub(crate) use setup::*;
pub(crate) use table::TABLE;

/// The owner is the student who owns the object the row's URL names (the reporter of
/// the complaint, the author of the lost report or the question, the card's owner…).
/// The liaison answers for 后勤处 (a school office): a signed-in account with no union role.
pub(crate) const ROLES: [&str; 10] =
    ["anonymous", "student", "owner", "member", "vice_head", "head", "other_head", "presidium", "admin", "liaison"];

/// Login: redirected to the login page. Done: done and redirected (303). Others are plain statuses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Expect {
    Login,
    Ok,
    Done,
    Forbidden,
    /// 404: the object is private to someone else (its existence is not revealed).
    NotFound,
    /// 409: a step this viewer may not take on their own object (supporting one's own complaint…).
    Conflict,
    /// 422: the form comes back with a message.
    Invalid,
    /// 415: not a body this route reads.
    Unsupported,
}
use Expect::*;

pub(crate) struct Row {
    pub(crate) method: &'static str,
    /// As the router matches it, nest prefix included (`{membership_id}` etc. are filled in per request).
    pub(crate) route: &'static str,
    /// The path requested.
    pub(crate) path: &'static str,
    pub(crate) expect: [Expect; 10],
}

/// Forms that carry photos are multipart.
pub(crate) const MULTIPART: [&str; 8] = [
    "/lost-found/found/new",
    "/complaints/new",
    "/d/{dept}/lost-found/items",
    "/d/{dept}/commitments/{commitment_id}/update",
    "/office/commitments/{commitment_id}/update",
    "/inspect/rounds/{round_id}/rooms/{room_id}",
    "/me/room/results/{result_id}/appeal",
    "/me/room/photos",
];

/// Multipart forms whose file is what they are for: the valid submission carries one.
pub(crate) const WITH_FILE: [(&str, &str); 1] = [("/me/room/photos", "share_photo")];

#[tokio::test]
async fn every_route_answers_every_role_as_the_table_says() {
    let mut w = world().await;
    let mut failures = vec![];
    let mut attempt = 0;
    for row in TABLE {
        for (i, role) in ROLES.iter().enumerate() {
            attempt += 1;
            let (path, form) = w.prepare(row, attempt).await;
            let b = &mut w.browsers[i];
            let r = if row.method == "GET" {
                b.get(&path).await
            } else {
                let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                if MULTIPART.contains(&row.route) {
                    let png = crate::helpers::png();
                    let files: Vec<(&str, &str, &[u8])> = WITH_FILE
                        .iter()
                        .filter(|(r, _)| *r == row.route)
                        .map(|(_, field)| (*field, "room.png", png.as_slice()))
                        .collect();
                    b.post_multipart(&path, &fields, &files).await
                } else {
                    b.post_form(&path, &fields).await
                }
            };
            if row.route == "/logout" {
                w.browsers[i] = w.browser_for(i).await;
            }
            let got = match (r.status, r.location()) {
                (StatusCode::SEE_OTHER, Some(l)) if l.starts_with("/login?next=") => Login,
                (StatusCode::SEE_OTHER, _) => Done,
                (StatusCode::OK, _) => Ok,
                (StatusCode::FORBIDDEN, _) => Forbidden,
                (StatusCode::NOT_FOUND, _) => NotFound,
                (StatusCode::CONFLICT, _) => Conflict,
                (StatusCode::UNPROCESSABLE_ENTITY, _) => Invalid,
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, _) => Unsupported,
                (other, _) => {
                    failures.push(format!("{} {path} as {role}: unexpected {other}", row.method));
                    continue;
                }
            };
            if got != row.expect[i] {
                failures.push(format!("{} {path} as {role}: expected {:?}, got {got:?}", row.method, row.expect[i]));
            }
            if got == Forbidden {
                assert!(r.body.contains("没有权限"), "a 403 is a friendly page");
            }
            // The open data API answers in JSON, not with the friendly page.
            let json_api = row.route.starts_with("/api/v1/") || row.route.starts_with("/open311/");
            if got == NotFound && !json_api && !r.body.contains("页面不存在") {
                failures.push(format!("{} {path} as {role}: a 404 that is not the friendly page", row.method));
            }
        }
    }
    assert!(failures.is_empty(), "authorization mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn an_unknown_department_is_404_for_everyone() {
    let mut w = world().await;
    for b in w.browsers.iter_mut() {
        assert_eq!(b.get("/d/nosuch").await.status, StatusCode::NOT_FOUND);
        assert_eq!(b.get("/d/nosuch/members").await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_head_cannot_remove_a_membership_of_another_department() {
    let w = world().await;
    let life_member = w.app.grant("2026000109", "life", "member").await;
    let mut head = w.app.browser_signed_in(w.app.user_id("2026000104").await).await;
    let r = head.post_form(&format!("/d/rights/members/{life_member}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another department's row is not found through this one");
    let still: i64 = sqlx::query_scalar("select count(*) from membership where membership_id = $1")
        .bind(life_member)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(still, 1);
}

#[tokio::test]
async fn a_role_taken_away_applies_at_the_next_request() {
    let mut w = world().await;
    let member = ROLES.iter().position(|r| *r == "member").unwrap();
    assert_eq!(w.browsers[member].get("/d/rights").await.status, StatusCode::OK);
    sqlx::query("delete from membership where user_id = (select user_id from app_user where student_no = $1)")
        .bind(MEMBER_NO)
        .execute(&w.app.db)
        .await
        .unwrap();
    assert_eq!(w.browsers[member].get("/d/rights").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_account_nobody_vouched_for_may_not_apply_to_an_event() {
    let mut w = world().await;
    let student = ROLES.iter().position(|r| *r == "student").unwrap();
    sqlx::query("update app_user set verified_by = null, verified_at = null where user_id = $1")
        .bind(w.users[student])
        .execute(&w.app.db)
        .await
        .unwrap();
    let row = TABLE.iter().find(|r| r.route == "/events/{event_id}/apply").expect("the apply row");
    let (path, form) = w.prepare(row, 1).await;
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = w.browsers[student].post_form(&path, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("报名需要先验证学号"), "the page says why");
    let applied = w
        .app
        .scalar(&format!("select count(*) from event_application where user_id = {}", w.users[student].unwrap()))
        .await;
    assert_eq!(applied, 0, "no application");
    let page = w.browsers[student].get(path.trim_end_matches("/apply")).await;
    assert!(page.body.contains("报名需要先验证学号"), "the event's page says so");
    assert!(!page.body.contains(&format!("action=\"{path}\"")), "and shows no application form");
}

#[tokio::test]
async fn a_handover_takes_the_old_terms_roles_away_and_keeps_their_records() {
    let mut w = world().await;
    let role = |name: &str| ROLES.iter().position(|r| *r == name).unwrap();
    let (head, presidium, admin) = (role("head"), role("presidium"), role("admin"));
    let r = w.browsers[admin].post_form("/admin/terms/handover", &[("name", "2027-2028")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(w.browsers[head].get("/d/rights").await.status, StatusCode::FORBIDDEN, "the old head lost the role");
    assert_eq!(w.browsers[presidium].get("/d/rights").await.status, StatusCode::FORBIDDEN, "the old presidium too");
    assert_eq!(w.browsers[admin].get("/admin").await.status, StatusCode::OK, "admins stay");
    let kept = w.app.scalar("select count(*) from membership").await;
    assert_eq!(kept, 4, "the old memberships are kept as records");
    let r = w.browsers[admin].post_form("/admin/terms/handover", &[("name", "2027-2028")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a taken name is a field error");
    assert_eq!(r.field_error("name").as_deref(), Some("已有同名的届次。"));
}

#[test]
fn every_route_of_the_router_is_in_the_table() {
    let routes = crate::security::route_discovery::routes(&crate::security::route_discovery::sources());
    let missing: Vec<String> = routes
        .iter()
        .filter(|(method, route)| !TABLE.iter().any(|r| r.method == method && r.route == route))
        .map(|(method, route)| format!("{method} {route}"))
        .collect();
    assert!(missing.is_empty(), "routes missing from the authorization table: {missing:?}");
}

#[test]
fn every_row_of_the_table_names_a_route_of_the_router() {
    let routes = crate::security::route_discovery::routes(&crate::security::route_discovery::sources());
    let stale: Vec<String> = TABLE
        .iter()
        .filter(|r| !routes.contains(&(r.method.to_string(), r.route.to_string())))
        .map(|r| format!("{} {}", r.method, r.route))
        .collect();
    assert!(stale.is_empty(), "rows for routes the router does not have: {stale:?}");
}
