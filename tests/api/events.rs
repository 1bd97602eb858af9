//! Events over the real router: the organisers' form, applications (a hundred in the same
//! second, once each, verified only, in the window), first come first served with its
//! waiting list, the commit-reveal and the draw (once, recomputed by docs/verify-draw.py),
//! confirmation and lapse, the door and the export, and what the public pages show.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::helpers::{id_in, local, Browser, TestApp};

const ORGANISER: &str = "2026500001";
const WITNESS_A: &str = "2026500002";
const WITNESS_B: &str = "2026500003";

struct Desk {
    app: TestApp,
    organiser: Browser,
}

async fn desk() -> Desk {
    let app = TestApp::spawn().await;
    let id = app.create_user(ORGANISER, "权益副部长").await;
    app.grant(ORGANISER, "rights", "vice_head").await;
    let organiser = app.browser_signed_in(id).await;
    Desk { app, organiser }
}

/// A valid event's form: applications open now for a day, the event a week later.
pub(crate) fn event_form(selection: &str, places: &str, quota_rule: &str) -> Vec<(&'static str, String)> {
    let now = Utc::now();
    vec![
        ("title", "第一届食堂开放日".into()),
        ("description", "走进**西二食堂**后厨".into()),
        ("place", "西二食堂".into()),
        ("starts_at", local(now + Duration::days(7))),
        ("ends_at", local(now + Duration::days(7) + Duration::hours(2))),
        ("places", places.into()),
        ("applications_open_at", local(now - Duration::minutes(1))),
        ("applications_close_at", local(now + Duration::days(1))),
        ("questions", "你最想了解食堂的哪个环节？".into()),
        ("selection", selection.into()),
        ("quota_rule", quota_rule.into()),
        ("confirm_hours", "48".into()),
    ]
}

impl Desk {
    async fn create(&mut self, selection: &str, places: &str, quota_rule: &str) -> i64 {
        let form = event_form(selection, places, quota_rule);
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = self.organiser.post_form("/d/rights/events/new", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        id_in(r.location())
    }

    /// A verified student of `college`, signed in.
    async fn student(&self, student_no: &str, college: &str) -> (i64, Browser) {
        let id = self.app.create_user(student_no, "报名同学").await;
        sqlx::query("update app_user set college = $2 where user_id = $1")
            .bind(id)
            .bind(college)
            .execute(&self.app.db)
            .await
            .unwrap();
        (id, self.app.browser_signed_in(id).await)
    }

    /// The window closes now (as if the day had passed).
    async fn close(&self, event_id: i64) {
        sqlx::query(
            "update event set applications_open_at = now() - interval '2 days', applications_close_at = now() - interval '1 second'
             where event_id = $1",
        )
        .bind(event_id)
        .execute(&self.app.db)
        .await
        .unwrap();
    }

    async fn statuses(&self, event_id: i64) -> Vec<(i32, String)> {
        sqlx::query_as("select app_number, status from event_application where event_id = $1 order by app_number")
            .bind(event_id)
            .fetch_all(&self.app.db)
            .await
            .unwrap()
    }

    async fn told(&self, user_id: i64, key: &str) -> i64 {
        sqlx::query_scalar("select count(*) from notification where user_id = $1 and message_key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    /// Two witnesses named by the organiser, each committed to a secret through the event's page.
    async fn witnesses(&mut self, event_id: i64, secrets: [&str; 2]) -> [Browser; 2] {
        let mut out = vec![];
        for (no, secret) in [WITNESS_A, WITNESS_B].into_iter().zip(secrets) {
            let id = self.app.create_user(no, "见证人").await;
            let path = format!("/d/rights/events/{event_id}/witnesses/add");
            let r = self.organiser.post_form(&path, &[("student_no", no), ("label", &format!("见证人 {no}"))]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let mut b = self.app.browser_signed_in(id).await;
            let hash = union_portal::events::draw::sha256_hex(secret);
            let r = b.post_form(&format!("/events/{event_id}/commit"), &[("commitment", &hash)]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            out.push(b);
        }
        out.try_into().map_err(|_| ()).unwrap()
    }
}

#[tokio::test]
async fn bad_input_comes_back_beside_its_fields_with_what_was_typed() {
    let mut d = desk().await;
    let mut form = event_form("draw", "0", "fixed");
    form.retain(|(k, _)| *k != "title" && *k != "questions");
    form.push(("title", "开放日".into()));
    form.push(("questions", "一\n二\n三\n四\n五\n六".into()));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = d.organiser.post_form("/d/rights/events/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["places", "questions", "quotas"] {
        assert!(r.field_error(field).is_some(), "{field} has its message");
    }
    assert_eq!(r.field_value("title").as_deref(), Some("开放日"), "what was typed stays");
    let count: i64 = sqlx::query_scalar("select count(*) from event").fetch_one(&d.app.db).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_hundred_students_applying_in_the_same_second_get_a_hundred_numbers_once_each() {
    let mut d = desk().await;
    let event_id = d.create("draw", "20", "one_per_college").await;
    let mut browsers = vec![];
    for i in 0..100 {
        browsers.push(d.student(&format!("20266{i:05}"), ["法学院", "文学院", "理学院"][i % 3]).await.1);
    }
    let path = format!("/events/{event_id}/apply");
    let presses = browsers.iter_mut().map(|b| b.post_form(&path, &[("a1", "后厨卫生")]));
    let answers = futures::future::join_all(presses).await;
    assert!(answers.iter().all(|r| r.status == StatusCode::SEE_OTHER), "no error for anyone");
    let numbers: Vec<i32> = d.statuses(event_id).await.into_iter().map(|(n, _)| n).collect();
    assert_eq!(numbers, (1..=100).collect::<Vec<_>>(), "a hundred numbers, none twice, none skipped");

    // Once each: a second press changes nothing and says so.
    let again = browsers[0].post_form(&path, &[("a1", "再报一次")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let page = browsers[0].get(again.location().unwrap()).await.body;
    assert!(page.contains("你已经报过名了"), "{page}");
    assert_eq!(d.statuses(event_id).await.len(), 100);

    // An answer is required, and stays when refused; after the close nobody applies.
    let (_, mut late) = d.student("2026599999", "法学院").await;
    let r = late.post_form(&path, &[("a1", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("a1").is_some());
    d.close(event_id).await;
    let r = late.post_form(&path, &[("a1", "后厨卫生")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(d.statuses(event_id).await.len(), 100);
}

#[tokio::test]
async fn only_verified_students_of_the_named_colleges_and_grades_may_apply() {
    let mut d = desk().await;
    let event_id = d.create("first_come", "5", "none").await;
    sqlx::query("update event set colleges = '{法学院}', grades = '{2026}' where event_id = $1")
        .bind(event_id)
        .execute(&d.app.db)
        .await
        .unwrap();
    let path = format!("/events/{event_id}/apply");
    let (unverified, mut b) = d.student("2026510001", "法学院").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where user_id = $1")
        .bind(unverified)
        .execute(&d.app.db)
        .await
        .unwrap();
    assert!(b.get(&format!("/events/{event_id}")).await.body.contains("报名需要先验证学号"));
    assert_eq!(b.post_form(&path, &[("a1", "x")]).await.status, StatusCode::CONFLICT);
    let (_, mut other_college) = d.student("2026510002", "文学院").await;
    assert_eq!(other_college.post_form(&path, &[("a1", "x")]).await.status, StatusCode::CONFLICT);
    let (_, mut welcome) = d.student("2026510003", "法学院").await;
    assert_eq!(welcome.post_form(&path, &[("a1", "x")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.statuses(event_id).await, [(1, "confirmed".to_string())]);
}

#[tokio::test]
async fn first_come_first_served_fills_in_order_and_a_withdrawal_moves_the_list_up() {
    let mut d = desk().await;
    let event_id = d.create("first_come", "2", "none").await;
    let path = format!("/events/{event_id}/apply");
    let mut students = vec![];
    for i in 0..3 {
        let (id, mut b) = d.student(&format!("202652000{i}"), "法学院").await;
        assert_eq!(b.post_form(&path, &[("a1", "x")]).await.status, StatusCode::SEE_OTHER);
        students.push((id, b));
    }
    let expect = |s: &[&str]| s.iter().enumerate().map(|(i, s)| (i as i32 + 1, s.to_string())).collect::<Vec<_>>();
    assert_eq!(d.statuses(event_id).await, expect(&["confirmed", "confirmed", "waiting"]));
    let page = students[2].1.get(&format!("/events/{event_id}")).await.body;
    assert!(page.contains("候补第 3 位") || page.contains("候补"), "the student sees their place in line");

    let r = students[0].1.post_form(&format!("/events/{event_id}/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(d.statuses(event_id).await, expect(&["withdrawn", "confirmed", "selected"]));
    assert_eq!(d.told(students[2].0, "notify.events.promoted").await, 1, "the one moved up is told");
    let r = students[2].1.post_form(&format!("/events/{event_id}/confirm"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(d.statuses(event_id).await, expect(&["withdrawn", "confirmed", "confirmed"]));
    let twice = students[2].1.post_form(&format!("/events/{event_id}/confirm"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

/// An event of six applications from three colleges for three places, two witnesses committed.
async fn drawn_event_ready(d: &mut Desk) -> (i64, [Browser; 2], Vec<(i64, Browser)>) {
    let event_id = d.create("draw", "3", "one_per_college").await;
    let witnesses = d.witnesses(event_id, ["alpha-7f3e", "bravo-91c2"]).await;
    let mut students = vec![];
    for (i, college) in ["法学院", "法学院", "文学院", "文学院", "理学院", "法学院"].into_iter().enumerate()
    {
        let (id, mut b) = d.student(&format!("202653000{i}"), college).await;
        let r = b.post_form(&format!("/events/{event_id}/apply"), &[("a1", "后厨")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        students.push((id, b));
    }
    d.close(event_id).await;
    (event_id, witnesses, students)
}

#[tokio::test]
async fn the_commit_reveal_refuses_a_mismatch_no_draw_runs_without_the_reveals_and_the_draw_runs_once() {
    let mut d = desk().await;
    let (event_id, [mut a, mut b], students) = drawn_event_ready(&mut d).await;
    // The pool is frozen and published the moment anyone looks after the close.
    let draw_page = d.app.browser().get(&format!("/events/{event_id}/draw")).await.body;
    let pool_hash: String = sqlx::query_scalar("select pool_hash from event where event_id = $1")
        .bind(event_id)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    assert!(draw_page.contains(&pool_hash), "the pool's hash is on the draw page");
    assert_eq!(d.app.browser().get(&format!("/events/{event_id}/draw.json")).await.status, StatusCode::NOT_FOUND);

    let wrong = a.post_form(&format!("/events/{event_id}/reveal"), &[("secret", "alpha-0000")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.field_error("secret").is_some_and(|e| e.contains("不一致")), "the message is beside the field");
    let r = a.post_form(&format!("/events/{event_id}/reveal"), &[("secret", "alpha-7f3e")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // One reveal of two, before the reveal deadline: the draw waits, and says why.
    let early = d.organiser.post_form(&format!("/d/rights/events/{event_id}/draw"), &[("public_value", "")]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("还有见证人未揭示秘密"));
    let r = b.post_form(&format!("/events/{event_id}/reveal"), &[("secret", " bravo-91c2 ")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "a stray space is the same secret");

    let r = d.organiser.post_form(&format!("/d/rights/events/{event_id}/draw"), &[("public_value", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let again = d.organiser.post_form(&format!("/d/rights/events/{event_id}/draw"), &[("public_value", "")]).await;
    assert_ne!(again.status, StatusCode::SEE_OTHER, "the draw runs once");
    let json = d.app.browser().get(&format!("/events/{event_id}/draw.json")).await;
    assert_eq!(json.status, StatusCode::OK);
    let draw: union_portal::events::draw::Draw = serde_json::from_str(&json.body).unwrap();
    assert_eq!(draw.beacon, "alpha-7f3e|bravo-91c2");
    assert_eq!(draw.selected.len(), 3);
    let colleges: std::collections::BTreeSet<&str> = draw
        .pool
        .lines()
        .filter(|l| draw.selected.iter().any(|s| l.starts_with(&format!("{s},"))))
        .map(|l| &l[5..])
        .collect();
    assert_eq!(colleges.len(), 3, "one per college first: {:?}", draw.selected);

    // The verify script, run on the real draw.json, agrees; a changed byte does not.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("draw.json");
    std::fs::write(&file, &json.body).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/verify-draw.py");
    let run = std::process::Command::new("python3").arg(script).arg(&file).output().expect("python3");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    assert!(String::from_utf8_lossy(&run.stdout).contains("OK"));
    std::fs::write(&file, json.body.replacen(&draw.selected[0], &draw.waiting[0], 1)).unwrap();
    let run = std::process::Command::new("python3").arg(script).arg(&file).output().expect("python3");
    assert!(!run.status.success(), "a tampered draw is caught");

    // Statuses follow the draw; everyone is told; the page shows numbers, never names or 学号.
    let statuses = d.statuses(event_id).await;
    assert_eq!(statuses.iter().filter(|(_, s)| s == "selected").count(), 3);
    assert_eq!(statuses.iter().filter(|(_, s)| s == "waiting").count(), 3);
    for (id, _) in &students {
        let told = d.told(*id, "notify.events.selected").await + d.told(*id, "notify.events.waiting").await;
        assert_eq!(told, 1);
    }
    let page = d.app.browser().get(&format!("/events/{event_id}/draw")).await.body;
    assert!(!page.contains("报名同学") && !page.contains("202653000"), "no names or student numbers");
    assert!(page.contains(&draw.seed));
}

#[tokio::test]
async fn a_witness_who_never_reveals_is_left_out_after_the_published_deadline() {
    let mut d = desk().await;
    let (event_id, [mut a, _b], _) = drawn_event_ready(&mut d).await;
    d.app.browser().get(&format!("/events/{event_id}")).await;
    a.post_form(&format!("/events/{event_id}/reveal"), &[("secret", "alpha-7f3e")]).await;
    sqlx::query("update event set reveal_deadline = applications_close_at where event_id = $1")
        .bind(event_id)
        .execute(&d.app.db)
        .await
        .unwrap();
    let r = d.organiser.post_form(&format!("/d/rights/events/{event_id}/draw"), &[("public_value", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let draw: union_portal::events::draw::Draw =
        serde_json::from_str(&d.app.browser().get(&format!("/events/{event_id}/draw.json")).await.body).unwrap();
    assert_eq!(draw.beacon, "alpha-7f3e");
    assert_eq!(draw.commitments.len(), 2, "the silent witness's commitment is still listed");
    assert!(draw.commitments[1].secret.is_none());
}

#[tokio::test]
async fn a_place_not_confirmed_in_time_goes_to_the_waiting_list_in_draw_order() {
    let mut d = desk().await;
    let (event_id, [mut a, mut b], students) = drawn_event_ready(&mut d).await;
    d.app.browser().get(&format!("/events/{event_id}")).await;
    a.post_form(&format!("/events/{event_id}/reveal"), &[("secret", "alpha-7f3e")]).await;
    b.post_form(&format!("/events/{event_id}/reveal"), &[("secret", "bravo-91c2")]).await;
    d.organiser.post_form(&format!("/d/rights/events/{event_id}/draw"), &[("public_value", "")]).await;
    let first_waiting: i32 = sqlx::query_scalar(
        "select app_number from event_application where event_id = $1 and status = 'waiting' order by rank limit 1",
    )
    .bind(event_id)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    let lapsing: i32 = sqlx::query_scalar(
        "update event_application set confirm_by = now() - interval '1 second'
         where application_id = (select application_id from event_application where event_id = $1 and status = 'selected'
                                 order by rank limit 1)
         returning app_number",
    )
    .bind(event_id)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    union_portal::events::places::lapse_overdue(&d.app.db).await.unwrap();
    let statuses = d.statuses(event_id).await;
    assert_eq!(statuses[lapsing as usize - 1].1, "lapsed");
    assert_eq!(statuses[first_waiting as usize - 1].1, "selected", "the first in line moves up");
    let lapsed_user = students[lapsing as usize - 1].0;
    assert_eq!(d.told(lapsed_user, "notify.events.lapsed").await, 1);
    assert_eq!(d.told(students[first_waiting as usize - 1].0, "notify.events.promoted").await, 1);
}

#[tokio::test]
async fn at_the_door_a_code_finds_the_student_and_the_export_masks_student_numbers() {
    let mut d = desk().await;
    let event_id = d.create("first_come", "5", "none").await;
    let (_, mut s) = d.student("2026540001", "法学院").await;
    s.post_form(&format!("/events/{event_id}/apply"), &[("a1", "=HYPERLINK(\"x\")")]).await;
    let code: String = sqlx::query_scalar("select check_code from event_application where event_id = $1")
        .bind(event_id)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    assert!(s.get(&format!("/events/{event_id}")).await.body.contains(&code), "the student's page shows the code");
    let found = d.organiser.get(&format!("/d/rights/events/{event_id}/attendance?q={}", code.to_lowercase())).await;
    assert!(found.body.contains("报名同学"), "found by the code, in any case");
    let application_id: i64 = sqlx::query_scalar("select application_id from event_application where event_id = $1")
        .bind(event_id)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    let r = d.organiser.post_form(&format!("/d/rights/events/{event_id}/attendance/{application_id}"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let by_number = d.organiser.get(&format!("/d/rights/events/{event_id}/attendance?q=2026540001")).await.body;
    assert!(by_number.contains("已到场"), "found by the number, marked present");

    let csv = d.organiser.get(&format!("/d/rights/events/{event_id}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("2026****01") && !csv.body.contains("2026540001"), "{}", csv.body);
    assert!(csv.body.contains("'=HYPERLINK"), "an answer never runs as a formula");
    let xlsx = d.organiser.get(&format!("/d/rights/events/{event_id}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let exported: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'event.export' and object_id = $1")
            .bind(event_id.to_string())
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    assert_eq!(exported, 2, "each export is in the audit trail");
}

#[tokio::test]
async fn the_public_list_calendar_feed_and_home_card_show_an_open_event() {
    let mut d = desk().await;
    let event_id = d.create("draw", "20", "proportional").await;
    let mut visitor = d.app.browser();
    assert!(visitor.get("/events").await.body.contains(&format!("href=\"/events/{event_id}\"")));
    let home = visitor.get("/").await.body;
    assert!(home.contains(&format!("/events/{event_id}")) && home.contains("报名截止"), "a card while open");
    let ics = visitor.get("/events.ics").await;
    assert!(ics.body.contains(&format!("UID:event-{event_id}@union-portal")));
    let atom = visitor.get("/feeds/events.atom").await;
    assert!(atom.body.contains("第一届食堂开放日"));
    let page = visitor.get(&format!("/events/{event_id}")).await.body;
    assert!(page.contains("<strong>西二食堂</strong>"), "the description's Markdown");
    assert!(page.contains("登录后报名"));
    let script = visitor.get("/events/verify-draw.py").await;
    assert!(script.body.starts_with("#!") || script.body.contains("sha256"));
    d.close(event_id).await;
    assert!(!visitor.get("/").await.body.contains(&format!("/events/{event_id}")), "no card once closed");
}

#[tokio::test]
async fn more_places_after_an_edit_go_to_the_waiting_list_first() {
    let mut d = desk().await;
    let event_id = d.create("first_come", "1", "none").await;
    let mut waiting_id = 0;
    for i in 0..2 {
        let (id, mut b) = d.student(&format!("202655000{i}"), "法学院").await;
        b.post_form(&format!("/events/{event_id}/apply"), &[("a1", "x")]).await;
        waiting_id = id;
    }
    let form = event_form("first_come", "2", "none");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = d.organiser.post_form(&format!("/d/rights/events/{event_id}/update"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(d.statuses(event_id).await, [(1, "confirmed".to_string()), (2, "selected".to_string())]);
    assert_eq!(d.told(waiting_id, "notify.events.promoted").await, 1);
}

/// Found by the browser journey's author: a close moved into the past would have left
/// what came in meanwhile in the pool after its published close.
#[tokio::test]
async fn an_open_window_cannot_be_closed_in_the_past() {
    let mut d = desk().await;
    let event_id = d.create("draw", "20", "none").await;
    let mut form = event_form("draw", "20", "none");
    form.retain(|(k, _)| *k != "applications_close_at");
    form.push(("applications_close_at", local(Utc::now() - Duration::minutes(5))));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let edit = d.organiser.post_form(&format!("/d/rights/events/{event_id}/update"), &fields).await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(edit.field_error("applications_close_at").is_some());
    let new = d.organiser.post_form("/d/rights/events/new", &fields).await;
    assert_eq!(new.status, StatusCode::UNPROCESSABLE_ENTITY);
    let close: chrono::DateTime<Utc> =
        sqlx::query_scalar("select applications_close_at from event where event_id = $1")
            .bind(event_id)
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    assert!(close > Utc::now(), "the window is as it was");
}

/// A witness's secret helps choose who goes: a witness may not apply, nor an applicant witness.
#[tokio::test]
async fn a_witness_may_not_apply_and_an_applicant_may_not_witness() {
    let mut d = desk().await;
    let event_id = d.create("draw", "20", "none").await;
    let [mut witness, _] = d.witnesses(event_id, ["alpha-7f3e", "bravo-91c2"]).await;
    let page = witness.get(&format!("/events/{event_id}")).await.body;
    assert!(page.contains("不能同时报名") && !page.contains("name=\"a1\""), "no form for a witness");
    let r = witness.post_form(&format!("/events/{event_id}/apply"), &[("a1", "x")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let (_, mut applicant) = d.student("2026560001", "法学院").await;
    applicant.post_form(&format!("/events/{event_id}/apply"), &[("a1", "x")]).await;
    let path = format!("/d/rights/events/{event_id}/witnesses/add");
    let r = d.organiser.post_form(&path, &[("student_no", "2026560001"), ("label", "学生代表")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("student_no").is_some_and(|e| e.contains("已报名")));
    assert_eq!(d.app.scalar("select count(*) from event_witness").await, 2);
    let (_, mut stranger) = d.student("2026560002", "法学院").await;
    let commit = stranger.post_form(&format!("/events/{event_id}/commit"), &[("commitment", &"ab".repeat(32))]).await;
    assert_eq!(commit.status, StatusCode::FORBIDDEN, "only the event's witnesses commit");
}
