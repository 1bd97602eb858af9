//! Hourly limits on every write a signed-in student can repeat (besides filing
//! complaints, in limits.rs): replies to and steps on one's own complaint, 同问,
//! reception sign-ups, questions and votes, lost reports, notification settings, and
//! an event's buttons (applying, withdrawing, confirming, a witness's commitment and reveal).
//! Past the limit each answers 429 with Retry-After (a form shown again with what
//! was typed, a button the friendly error page), saves nothing, and leaves other
//! students alone.

use axum::http::StatusCode;
use union_portal::web::limits::Write;

use crate::{
    helpers::{TestApp, TestResponse},
    reception::desk_with,
};

/// The text of the textarea with this id, as the page shows it.
fn textarea(r: &TestResponse, id: &str) -> String {
    let doc = scraper::Html::parse_document(&r.body);
    let sel = scraper::Selector::parse(&format!("textarea#{id}")).expect("selector");
    doc.select(&sel).next().map(|e| e.text().collect()).unwrap_or_default()
}

/// A refusal: 429, a Retry-After in seconds, the message in the student's language.
fn assert_refused(r: &TestResponse, what: &str) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{what}");
    assert!(r.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s > 0), "{what}: Retry-After");
    assert!(r.body.contains("操作太频繁"), "{what}: a friendly page in the student's language");
}

#[tokio::test]
async fn replies_confirmations_and_reopenings_of_ones_own_complaint_are_limited_and_keep_the_text() {
    let app = TestApp::spawn_with(|c| c.rate_limits.writes[Write::ComplaintUpdates] = 2).await;
    let id = app.create_user("2026410001", "常回复的同学").await;
    let mut b = app.browser_signed_in(id).await;
    let no = app.complaint().category("dorm").title("热水").by(&mut b).file().await;
    let reply = format!("/complaints/{no}/reply");
    for text in ["第一次补充", "第二次补充"] {
        assert_eq!(b.post_form(&reply, &[("body", text)]).await.status, StatusCode::SEE_OTHER);
    }
    let r = b.post_form(&reply, &[("body", "第三次补充")]).await;
    assert_refused(&r, "the third reply in an hour");
    assert_eq!(textarea(&r, "f-reply"), "第三次补充", "the reply is kept");
    assert!(r.field_error("reporter_reply").is_some_and(|e| e.contains("操作太频繁")), "beside its field");
    assert_eq!(app.scalar("select count(*) from complaint_event where kind = 'reporter_reply'").await, 2);

    // Confirming and reopening share the reporter's hourly share.
    sqlx::query("update complaint set status = 'resolved', resolved_at = now() where tracking_no = $1")
        .bind(&no)
        .execute(&app.db)
        .await
        .expect("resolve");
    let r = b.post_form(&format!("/complaints/{no}/confirm"), &[("rating", "5"), ("body", "修好了，谢谢")]).await;
    assert_refused(&r, "a confirmation past the limit");
    assert_eq!(textarea(&r, "f-confirm-body"), "修好了，谢谢");
    let r = b.post_form(&format!("/complaints/{no}/reopen"), &[("body", "又坏了")]).await;
    assert_refused(&r, "a reopening past the limit");
    assert_eq!(textarea(&r, "f-reopen"), "又坏了");
    assert_eq!(app.scalar("select count(*) from complaint where confirmed_at is not null").await, 0);
    assert_eq!(app.scalar("select count(*) from complaint where status = 'resolved'").await, 1, "not reopened");

    let other = app.create_user("2026410002", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    let theirs = app.complaint().category("dorm").title("空调").by(&mut other).file().await;
    let r = other.post_form(&format!("/complaints/{theirs}/reply"), &[("body", "补充")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "another student has their own share");
}

#[tokio::test]
async fn supports_are_limited_per_student() {
    let app = TestApp::spawn_with(|c| c.rate_limits.writes[Write::Supports] = 2).await;
    let reporter = app.create_user("2026410011", "投诉的同学").await;
    let mut reporter = app.browser_signed_in(reporter).await;
    let mut complaints = vec![];
    for title in ["一", "二", "三"] {
        complaints.push(app.complaint().category("dorm").title(title).by(&mut reporter).file().await);
    }
    let fan = app.create_user("2026410012", "爱同问的同学").await;
    let mut fan = app.browser_signed_in(fan).await;
    for no in &complaints[..2] {
        assert_eq!(fan.post_form(&format!("/complaints/{no}/support"), &[]).await.status, StatusCode::SEE_OTHER);
    }
    let third = format!("/complaints/{}/support", complaints[2]);
    assert_refused(&fan.post_form(&third, &[]).await, "the third 同问 in an hour");
    assert_eq!(app.scalar("select count(*) from complaint_support").await, 2);

    let other = app.create_user("2026410013", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    assert_eq!(other.post_form(&third, &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn reception_sign_ups_cancellations_questions_and_votes_are_limited_per_student() {
    let mut d = desk_with(|c| {
        c.rate_limits.writes[Write::ReceptionSignups] = 2;
        c.rate_limits.writes[Write::Questions] = 2;
        c.rate_limits.writes[Write::Votes] = 1;
    })
    .await;
    let (session, code) = d.create("leaders", "20").await;
    let signups =
        format!("select count(*) from reception_signup where session_id = {session} and status <> 'cancelled'");

    // Sign up, cancel, and the third press is refused: still cancelled.
    assert_eq!(d.student.post_form(&format!("/reception/{code}/signup"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.student.post_form(&format!("/reception/{code}/cancel"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_refused(&d.student.post_form(&format!("/reception/{code}/signup"), &[]).await, "a third sign-up press");
    assert_eq!(d.app.scalar(&signups).await, 0);
    assert_eq!(d.voter.post_form(&format!("/reception/{code}/signup"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.app.scalar(&signups).await, 1, "another student signs up");

    // Two questions, then the third is refused with its text kept.
    let ask = format!("/reception/{code}/questions");
    for body in ["食堂能否延长营业？", "宿舍能否装空调？"] {
        assert_eq!(d.student.post_form(&ask, &[("body", body)]).await.status, StatusCode::SEE_OTHER);
    }
    let r = d.student.post_form(&ask, &[("body", "图书馆能否通宵？"), ("complaint", "")]).await;
    assert_refused(&r, "the third question in an hour");
    assert_eq!(textarea(&r, "f-body"), "图书馆能否通宵？", "the question is kept");
    assert_eq!(d.app.scalar("select count(*) from reception_question").await, 2);

    // One vote, and the second is refused.
    let questions: Vec<i64> = sqlx::query_scalar("select question_id from reception_question order by question_id")
        .fetch_all(&d.app.db)
        .await
        .expect("questions");
    let vote = |q: i64| format!("/reception/{code}/questions/{q}/vote");
    assert_eq!(d.voter.post_form(&vote(questions[0]), &[]).await.status, StatusCode::SEE_OTHER);
    assert_refused(&d.voter.post_form(&vote(questions[1]), &[]).await, "the second vote in an hour");
    assert_eq!(d.app.scalar("select count(*) from reception_question_vote").await, 1);
    assert_eq!(d.voter.post_form(&ask, &[("body", "体育馆能否开放？")]).await.status, StatusCode::SEE_OTHER);
    let theirs: i64 = d.app.scalar("select max(question_id) from reception_question").await;
    assert_eq!(d.student.post_form(&vote(theirs), &[]).await.status, StatusCode::SEE_OTHER, "another voter");
}

#[tokio::test]
async fn lost_reports_are_limited_and_a_refused_one_keeps_what_was_typed() {
    let app = TestApp::spawn_with(|c| c.rate_limits.writes[Write::LostReports] = 2).await;
    let id = app.create_user("2026410021", "丢东西的同学").await;
    let mut b = app.browser_signed_in(id).await;
    let today = union_portal::web::forms::today().to_string();
    let report = |what: &'static str| {
        [("category", "other"), ("what", what), ("place", "图书馆"), ("lost_on", today.as_str()), ("contact", "")]
    };
    let r = b.post_form("/lost-found/lost/new", &report("蓝色保温杯")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let closed = format!("{}/close", r.location().expect("the report"));
    assert_eq!(b.post_form(&closed, &[]).await.status, StatusCode::SEE_OTHER, "closing counts too");
    let r = b.post_form("/lost-found/lost/new", &report("黑色雨伞")).await;
    assert_refused(&r, "a third lost-report write in an hour");
    assert_eq!(r.field_value("what").as_deref(), Some("黑色雨伞"), "kept");
    assert_eq!(r.field_value("place").as_deref(), Some("图书馆"));
    assert_refused(&b.post_form(&closed, &[]).await, "closing past the limit");
    assert_eq!(app.scalar("select count(*) from lost_report").await, 1);

    let other = app.create_user("2026410022", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    assert_eq!(other.post_form("/lost-found/lost/new", &report("黑色雨伞")).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn notification_settings_are_limited_per_user() {
    let app = TestApp::spawn_with(|c| c.rate_limits.writes[Write::NotificationSettings] = 1).await;
    let id = app.create_user("2026410031", "反复开关的同学").await;
    let mut b = app.browser_signed_in(id).await;
    assert_eq!(b.post_form("/me/notifications/email", &[]).await.status, StatusCode::SEE_OTHER);
    assert_refused(&b.post_form("/me/notifications/email", &[("email", "on")]).await, "the second change in an hour");
    assert_refused(&b.post_form("/me/notifications/read", &[]).await, "marking read shares the share");
    assert_eq!(app.scalar("select count(*) from app_user where email_notifications").await, 0, "still off");

    let other = app.create_user("2026410032", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    assert_eq!(other.post_form("/me/notifications/email", &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn applying_withdrawing_and_a_witnesss_commitment_share_an_hourly_limit_per_student() {
    let app = TestApp::spawn_with(|c| c.rate_limits.writes[Write::EventPresses] = 2).await;
    let event = app
        .scalar(
            "insert into event (department_id, title, place, starts_at, ends_at, places, applications_open_at,
                                applications_close_at, questions, selection, reveal_deadline)
             select department_id, '食堂开放日', '西二食堂', now() + interval '10 days', now() + interval '10 days 2 hours',
                    20, now() - interval '1 day', now() + interval '5 days', array['为什么想参加？'], 'draw',
                    now() + interval '6 days'
             from department where slug = 'rights' returning event_id",
        )
        .await;
    let id = app.create_user("2026410041", "爱报名的同学").await;
    let mut b = app.browser_signed_in(id).await;
    let apply = format!("/events/{event}/apply");
    // Two presses (withdrawing what is not there yet counts too) use the share…
    for _ in 0..2 {
        assert_eq!(b.post_form(&format!("/events/{event}/withdraw"), &[]).await.status, StatusCode::SEE_OTHER);
    }
    // …and past it, the answers typed come back with the message.
    let third = b.post_form(&apply, &[("a1", "想看看后厨的进货单")]).await;
    assert_refused(&third, "a third press in an hour");
    assert!(third.body.contains("想看看后厨的进货单"), "what was typed stays");
    assert_eq!(app.scalar("select count(*) from event_application").await, 0);
    // Named a witness, their commitment counts in the same share.
    sqlx::query("insert into event_witness (event_id, user_id, label) values ($1, $2, '学生代表')")
        .bind(event)
        .bind(id)
        .execute(&app.db)
        .await
        .expect("a witness");
    let commitment = "ab".repeat(32);
    let r = b.post_form(&format!("/events/{event}/commit"), &[("commitment", commitment.as_str())]).await;
    assert_refused(&r, "a witness's commitment past the limit");
    assert_eq!(app.scalar("select count(*) from event_witness where commitment is not null").await, 0);

    let other = app.create_user("2026410042", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    assert_eq!(other.post_form(&apply, &[("a1", "想去")]).await.status, StatusCode::SEE_OTHER, "their own share");
    assert_eq!(app.scalar("select count(*) from event_application where status = 'applied'").await, 1);
}
