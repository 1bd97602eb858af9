//! The cluster's shared writes beyond the seats (called by the one test in `cluster.rs`):
//! an event's applications spread over the processes get one numbered line, in order, and
//! two editors of one plan on two processes meet one conflict page, never an overwrite.

use std::time::Instant;

use axum::http::StatusCode;
use union_portal::{app::AppState, web::DeptRole};

use super::faults::{grant, students};
use crate::helpers::{id_in, HttpBrowser};

fn figure(what: &str) {
    println!("cluster: {what}");
}

/// 50 students apply at once through the balancer to an event of 20 places, first come
/// first served: numbers 1–50 once each, the first 20 in, the other 30 waiting in order.
pub(super) async fn applications_are_shared(cluster_url: &str, portals: &[String], state: &AppState) {
    const PLACES: usize = 20;
    let organiser = students(state, 2026797001, 1).await.remove(0);
    grant(&state.db, organiser.0, DeptRole::ViceHead).await;
    let form = crate::events::event_form("first_come", &PLACES.to_string(), "none");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = HttpBrowser::signed_in(&portals[0], &organiser.1).post_form("/d/rights/events/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let event_id = id_in(r.location());
    let people = students(state, 2026798001, 50).await;
    let started = Instant::now();
    let tasks: Vec<_> = people
        .iter()
        .map(|(_, s)| {
            let mut b = HttpBrowser::signed_in(cluster_url, s);
            let path = format!("/events/{event_id}/apply");
            tokio::spawn(async move { b.post_form(&path, &[("a1", "后厨卫生")]).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("application"), StatusCode::SEE_OTHER);
    }
    let took = started.elapsed();
    let line: Vec<(i32, String)> =
        sqlx::query_as("select app_number, status from event_application where event_id = $1 order by app_number")
            .bind(event_id)
            .fetch_all(&state.db)
            .await
            .expect("the applications");
    let numbers: Vec<i32> = line.iter().map(|(n, _)| *n).collect();
    let in_order = line.iter().all(|(n, s)| (*n as usize <= PLACES) == (s == "confirmed"));
    let waiting = line.iter().filter(|(_, s)| s == "waiting").count();
    figure(&format!("50 applications over 3 processes in {took:.0?}: numbers 1–{}, {waiting} waiting", numbers.len()));
    assert_eq!(numbers, (1..=50).collect::<Vec<_>>(), "fifty numbers, none twice, none skipped");
    assert!(in_order && waiting == 50 - PLACES, "the first 20 in, the rest waiting: {line:?}");
}

/// Two vice-heads save the same goal of a plan from the same version, one on each of two
/// processes, at once: one save stands, the other gets the conflict page with its text kept.
pub(super) async fn two_editors_meet_one_conflict(portals: &[String], state: &AppState) {
    let editors = students(state, 2026799001, 2).await;
    for (id, _) in &editors {
        grant(&state.db, *id, DeptRole::ViceHead).await;
    }
    let mut first = HttpBrowser::signed_in(&portals[1], &editors[0].1);
    let mut second = HttpBrowser::signed_in(&portals[2], &editors[1].1);
    let new_plan = [("title", "权益服务部工作计划"), ("period", "2027–2028学年"), ("from", "")];
    let r = first.post_form("/d/rights/plans/new", &new_plan).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let plan = id_in(r.location());
    let version = |plan: i64| async move {
        let v: i32 = sqlx::query_scalar("select version from plan where plan_id = $1")
            .bind(plan)
            .fetch_one(&state.db)
            .await
            .expect("the plan's version");
        v.to_string()
    };
    let base = version(plan).await;
    let goal = [("title", "部门建设"), ("description", "放手锻炼部员。"), ("base", base.as_str())];
    let r = first.post_form(&format!("/d/rights/plans/{plan}/goals/add"), &goal).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let base = version(plan).await;
    let goal_id: i64 = sqlx::query_scalar("select max(goal_id) from plan_goal where plan_id = $1")
        .bind(plan)
        .fetch_one(&state.db)
        .await
        .expect("the goal");
    let path = format!("/d/rights/plans/{plan}/goals/{goal_id}/update");
    let mine = [("title", "部门建设"), ("description", "老部员带新部员。"), ("version", "1"), ("base", base.as_str())];
    let theirs =
        [("title", "部门建设"), ("description", "每月一次部员培训。"), ("version", "1"), ("base", base.as_str())];
    let (a, b) = tokio::join!(first.post_form(&path, &mine), second.post_form(&path, &theirs));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    let kept = if a.status == StatusCode::CONFLICT { &a.body } else { &b.body };
    let saved: String = sqlx::query_scalar("select description from plan_goal where goal_id = $1")
        .bind(goal_id)
        .fetch_one(&state.db)
        .await
        .expect("the goal's text");
    figure(&format!("two editors on two processes: {statuses:?}, the saved text is {saved:?}"));
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "one save, one conflict page");
    let lost =
        if saved == "老部员带新部员。" { "每月一次部员培训。" } else { "老部员带新部员。" };
    assert!(kept.contains(lost), "the conflict page keeps the text that did not save");
}
