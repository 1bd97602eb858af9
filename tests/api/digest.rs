//! The weekly digest with the clock moved: one mail a week per student who wants it, sent by
//! one process, with the sections that have something, the student's own news only, the
//! RFC 8058 headers, and the one-click unsubscribe that needs no session.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use union_portal::{digest::job::run_weekly, mail};

use crate::helpers::{id_in, local, Browser, TestApp};

const OFFICER: &str = "2026450001";
const STUDENT: &str = "2026450002";
const OTHER: &str = "2026450003";
const BASE: &str = "http://portal.test";

fn address(student_no: &str) -> String {
    format!("{student_no}@stu.example.edu.cn")
}

/// The first Monday 09:00 (Shanghai) after `now`: a time inside the next digest week.
/// The first Monday 09:00 in Shanghai after `now`: the week before it holds `now` (on a
/// Monday morning before nine that is today, not a week later).
fn next_monday(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.with_timezone(&Shanghai).date_naive();
    let monday = today + Duration::days((7 - i64::from(today.weekday().num_days_from_monday())) % 7);
    let at_nine = match Shanghai.from_local_datetime(&monday.and_hms_opt(9, 0, 0).expect("a time")) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        _ => panic!("Shanghai has no daylight saving"),
    };
    if at_nine > now {
        at_nine
    } else {
        at_nine + Duration::days(7)
    }
}

/// (subject, body, List-Unsubscribe URL) of every digest mailed to `student_no`.
async fn digests(app: &TestApp, student_no: &str) -> Vec<(String, String, String)> {
    sqlx::query_as("select subject, body, list_unsubscribe from mail_outbox where to_address = $1 and list_unsubscribe <> '' order by mail_id")
        .bind(address(student_no))
        .fetch_all(&app.db)
        .await
        .expect("the outbox")
}

async fn digest_on(app: &TestApp, student_no: &str) -> bool {
    sqlx::query_scalar("select weekly_digest from app_user where student_no = $1")
        .bind(student_no)
        .fetch_one(&app.db)
        .await
        .expect("an account")
}

/// An event taking applications from now until 20 days on.
async fn open_event(officer: &mut Browser) -> i64 {
    let now = Utc::now();
    let fields = [
        ("title", "第一届食堂开放日".to_string()),
        ("description", "走进西二食堂后厨".into()),
        ("place", "西二食堂".into()),
        ("starts_at", local(now + Duration::days(25))),
        ("ends_at", local(now + Duration::days(25) + Duration::hours(2))),
        ("places", "30".into()),
        ("applications_open_at", local(now - Duration::minutes(1))),
        ("applications_close_at", local(now + Duration::days(20))),
        ("selection", "first_come".into()),
        ("quota_rule", "none".into()),
        ("confirm_hours", "48".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = officer.post_form("/d/rights/events/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id_in(r.location())
}

#[tokio::test]
async fn the_digest_with_the_clock_moved_goes_once_a_week_to_those_who_want_it() {
    let app = TestApp::spawn().await;
    let officer_id = app.create_user(OFFICER, "权益副部长").await;
    app.grant(OFFICER, "rights", "vice_head").await;
    let student_id = app.create_user(STUDENT, "张三丰").await;
    let other_id = app.create_user(OTHER, "隔壁同学").await;
    let mut officer = app.browser_signed_in(officer_id).await;
    let mut student = app.browser_signed_in(student_id).await;
    let mut other = app.browser_signed_in(other_id).await;

    // A campus card with the student's number, then a bulletin.
    let point = app.point_id("西区第一食堂").await;
    let card = app
        .found_item(&point)
        .category("card")
        .card(STUDENT, "张三丰")
        .description("校园卡")
        .by(&mut officer)
        .register()
        .await;
    let r = officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The student's complaint is accepted; so is another student's, which must stay theirs.
    let mine = app.complaint().private().by(&mut student).file().await;
    let theirs = app.complaint().private().by(&mut other).file().await;
    for no in [&mine, &theirs] {
        let r = officer.post_form(&format!("/d/rights/complaints/{no}/transition"), &[("to", "accepted")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let session =
        app.reception_session("rights").starts_at(Utc::now() + Duration::days(20)).by(&mut officer).create().await;
    let code = app.session_code(session).await;
    let event = open_event(&mut officer).await;

    let monday = next_monday(Utc::now());
    let sent = run_weekly(&app.state, BASE, monday).await.expect("the job runs");
    assert_eq!(sent, Some(3), "everyone with an address gets the week's news");
    let mails = digests(&app, STUDENT).await;
    assert_eq!(mails.len(), 1, "one mail");
    let (subject, body, unsubscribe) = &mails[0];
    assert!(subject.starts_with("学生会门户周报"), "{subject}");
    for expected in [
        "【失物招领】".to_string(),
        "第57期招领公告已发布".into(),
        format!("{BASE}/lost-found/bulletins/57"),
        format!("{BASE}/lost-found/items/{card}"),
        "【接待日】".into(),
        format!("{BASE}/reception/{code}"),
        "还剩 20 个座位".into(),
        "【活动报名】".into(),
        format!("第一届食堂开放日（报名截止 {}", local(Utc::now() + Duration::days(20)).get(..10).unwrap_or("")),
        format!("{BASE}/events/{event}"),
        "【我的投诉】".into(),
        format!("{mine}：已受理"),
        format!("{BASE}/complaints/{mine}"),
        unsubscribe.clone(),
    ] {
        assert!(body.contains(&expected), "the digest has {expected}:\n{body}");
    }
    assert!(!body.contains("【承诺进展】"), "a section with nothing is left out:\n{body}");
    assert!(!body.contains(&theirs), "another student's complaint never appears:\n{body}");
    assert!(unsubscribe.starts_with(&format!("{BASE}/digest/unsubscribe?t=")));
    let (_, their_body, _) = &digests(&app, OTHER).await[0];
    assert!(their_body.contains(&theirs) && !their_body.contains(&mine), "each their own:\n{their_body}");

    // What leaves the portal carries the one-click headers (lettre's stub keeps the mails).
    let stub = lettre::transport::stub::AsyncStubTransport::new_ok();
    let from = "portal@example.edu.cn".parse().expect("an address");
    let transport = mail::Transport::Stub { stub: stub.clone(), from };
    mail::deliver(&app.db, &transport, BASE).await.expect("delivered");
    let out = stub.messages().await;
    let to_student: Vec<&String> = out
        .iter()
        .filter(|(e, _)| e.to().iter().any(|a| a.to_string() == address(STUDENT)))
        .map(|(_, raw)| raw)
        .collect();
    let digests_out: Vec<&&String> = to_student.iter().filter(|raw| raw.contains("List-Unsubscribe:")).collect();
    assert_eq!(digests_out.len(), 1, "only the digest carries the headers (the notifications do not)");
    let raw = digests_out[0];
    assert!(raw.contains(&format!("List-Unsubscribe: <{unsubscribe}>")), "{raw}");
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{raw}");

    // Another process later that week: nothing.
    assert_eq!(run_weekly(&app.state, BASE, monday + Duration::hours(30)).await.expect("runs"), None);
    assert_eq!(digests(&app, STUDENT).await.len(), 1, "once a week, across processes");

    // The other student switches the digest off on the settings page.
    assert!(other.get("/me/notifications").await.body.contains("每周一通过电子邮件给我发送周报"));
    let r = other.post_form("/me/notifications/digest", &[]).await;
    assert_eq!(r.location(), Some("/me/notifications"));
    assert!(!digest_on(&app, OTHER).await);

    // The next week: the student again (the reception day and the event are still ahead), not the other.
    assert_eq!(run_weekly(&app.state, BASE, monday + Duration::days(7)).await.expect("runs"), Some(2));
    let mails = digests(&app, STUDENT).await;
    assert_eq!(mails.len(), 2, "the next week sends again");
    assert!(
        !mails[1].1.contains("【我的投诉】") && !mails[1].1.contains("【失物招领】"),
        "last week's news is not news"
    );
    assert_eq!(digests(&app, OTHER).await.len(), 1, "opted out gets nothing");
}

#[tokio::test]
async fn one_click_unsubscribe_needs_the_token_and_no_session() {
    let app = TestApp::spawn().await;
    let officer_id = app.create_user(OFFICER, "权益副部长").await;
    app.grant(OFFICER, "rights", "vice_head").await;
    let student_id = app.create_user(STUDENT, "张三丰").await;
    let mut student = app.browser_signed_in(student_id).await;
    // An open event is news for everyone.
    open_event(&mut app.browser_signed_in(officer_id).await).await;
    run_weekly(&app.state, BASE, next_monday(Utc::now())).await.expect("runs");
    let (_, _, url) = digests(&app, STUDENT).await.pop().expect("a digest");
    let path = url.trim_start_matches(BASE).to_string();
    let form = [("content-type", "application/x-www-form-urlencoded")];

    // A stranger's guess: refused, nothing changes.
    let mut mail_client = app.browser();
    let bad = "/digest/unsubscribe?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let r = mail_client.post_raw(bad, "List-Unsubscribe=One-Click".into(), &form).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(digest_on(&app, STUDENT).await);

    // Following the link only asks.
    let r = mail_client.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("确认后将不再收到"), "{}", r.body);
    assert!(digest_on(&app, STUDENT).await, "a GET switches nothing off");

    // The mail client's POST: no cookie, no CSRF token, no Origin.
    let r = app.browser().post_raw(&path, "List-Unsubscribe=One-Click".into(), &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("已退订周报"));
    assert!(!digest_on(&app, STUDENT).await);
    let settings = student.get("/me/notifications").await.body;
    assert!(settings.contains(r#"name="email" value="on" checked"#), "mail by notification still on");
    assert!(settings.contains(r#"name="digest" value="on">"#), "the digest shown off");

    // The exemption is this route's only: another POST without a token is still refused.
    let r = app.browser().post_raw("/me/notifications/digest", "digest=on".into(), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // And the settings page turns it back on.
    student.post_form("/me/notifications/digest", &[("digest", "on")]).await;
    assert!(digest_on(&app, STUDENT).await);
    assert!(student.get("/me/notifications").await.body.contains(r#"name="digest" value="on" checked"#));
}
