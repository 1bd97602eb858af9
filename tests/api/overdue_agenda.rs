//! Overdue complaints reach the next reception day by themselves (issue 19): the daily
//! job's placement with the clock moved, an answered case leaving the agenda, and the
//! organisers taking one off with a reason its reporter reads.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    handler: Browser,
    session_id: i64,
}

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026192001", "等了很久的同学").await;
    let handler = app.create_user("2026192002", "权益部员").await;
    app.grant("2026192002", "rights", "member").await;
    // The next 校领导接待日, organised by the rights department, in sixty days.
    let session_id: i64 = sqlx::query_scalar(
        "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number)
         insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', (select last_number from n), department_id, now() + interval '60 days',
                now() + interval '60 days 2 hours', '行政楼', '食堂', 20, now(), now() + interval '59 days'
         from department where slug = 'rights' returning session_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        app,
        session_id,
    }
}

async fn on_agenda(app: &TestApp, session_id: i64, no: &str) -> Option<bool> {
    sqlx::query_scalar(
        "select q.on_agenda from reception_question q join complaint c using (complaint_id)
         where q.session_id = $1 and c.tracking_no = $2 and q.placed_overdue",
    )
    .bind(session_id)
    .bind(no)
    .fetch_optional(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_daily_job_places_what_is_long_overdue_once_and_takes_off_what_was_answered() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let place =
        |days: i64| union_portal::reception::overdue::place_overdue(&c.app.state, Utc::now() + Duration::days(days));
    assert_eq!(place(0).await.unwrap(), (0, 0), "filed today: not overdue");
    assert_eq!(place(10).await.unwrap(), (0, 0), "overdue, but not by more than 14 days");
    assert_eq!(place(20).await.unwrap(), (1, 0), "two working days to accept, then fourteen more: placed");
    assert_eq!(on_agenda(&c.app, c.session_id, &no).await, Some(true));
    assert_eq!(place(21).await.unwrap(), (0, 0), "once");
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains("已列入下次校领导接待日议程"), "the reporter sees it on the timeline");
    // Answered meanwhile: it leaves the agenda at the next run.
    for to in ["accepted", "responded"] {
        let body = if to == "responded" { "食堂已整改。" } else { "" };
        let r =
            c.handler.post_form(&format!("/d/rights/complaints/{no}/transition"), &[("to", to), ("body", body)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(place(22).await.unwrap(), (0, 1));
    assert_eq!(on_agenda(&c.app, c.session_id, &no).await, Some(false));
    let flag: bool = sqlx::query_scalar("select on_reception_agenda from complaint where tracking_no = $1")
        .bind(&no)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert!(!flag);
}

#[tokio::test]
async fn organisers_take_an_overdue_case_off_with_a_reason_the_reporter_reads() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    sqlx::query("update complaint set created_at = now() - interval '40 days' where tracking_no = $1")
        .bind(&no)
        .execute(&c.app.db)
        .await
        .unwrap();
    assert_eq!(union_portal::reception::overdue::place_overdue(&c.app.state, Utc::now()).await.unwrap(), (1, 0));
    let question: i64 = sqlx::query_scalar("select question_id from reception_question where session_id = $1")
        .bind(c.session_id)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let page = c.handler.get(&format!("/d/rights/reception/{}", c.session_id)).await;
    assert!(page.body.contains("超期自动列入"), "the organisers see why it is there");
    let path = format!("/d/rights/reception/{}/questions/{question}/take-off", c.session_id);
    let r = c.handler.post_form(&path, &[("off_reason", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("off_reason").is_some());
    let r = c.handler.post_form(&path, &[("off_reason", "已与后勤处另约专题会议处理")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(on_agenda(&c.app, c.session_id, &no).await, Some(false));
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains("已从接待日议程撤下") && page.body.contains("已与后勤处另约专题会议处理"));
    assert_eq!(
        union_portal::reception::overdue::place_overdue(&c.app.state, Utc::now()).await.unwrap(),
        (0, 0),
        "the organisers decided: not put back on the same session"
    );
    let r = c.student.post_form(&path, &[("off_reason", "我也想撤")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_question_after_the_session_is_a_follow_up_the_next_session_takes_up() {
    let mut c = cast().await;
    // A session that ended yesterday, before the next one of cast().
    let past: i32 = sqlx::query_scalar(
        "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number)
         insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', (select last_number from n), department_id, now() - interval '1 day 2 hours',
                now() - interval '1 day', '行政楼', '宿舍', 20, now() - interval '10 days', now() - interval '2 days'
         from department where slug = 'rights' returning number",
    )
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    // Its page is /reception/{number} for a 校领导接待日.
    let page = c.student.get(&format!("/reception/{past}")).await;
    assert!(page.body.contains("会后反馈"), "the ended session offers a follow-up");
    let r = c
        .student
        .post_form(&format!("/reception/{past}/questions"), &[("body", "上次说的热水改造什么时候开工？")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "not refused: a follow-up");
    let carried = union_portal::reception::overdue::carry_follow_ups(&c.app.state, Utc::now()).await.unwrap();
    assert_eq!(carried, 1);
    assert_eq!(union_portal::reception::overdue::carry_follow_ups(&c.app.state, Utc::now()).await.unwrap(), 0, "once");
    let (body, on_agenda): (String, bool) =
        sqlx::query_as("select body, on_agenda from reception_question where session_id = $1")
            .bind(c.session_id)
            .fetch_one(&c.app.db)
            .await
            .unwrap();
    assert!(body.contains("期会后反馈") && body.contains("热水改造什么时候开工"), "{body}");
    assert!(on_agenda, "on the next session's agenda");
}
