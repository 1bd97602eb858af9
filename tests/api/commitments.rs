//! Commitments by anyone, from anywhere (issue 19 §4): a union department promises on a
//! complaint's page with one of its members as owner, a school office's promise names one of
//! its liaisons; the owner is told, reminded, and (a liaison) posts updates from the office desk.

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    /// A rights member who handles the complaint.
    handler: Browser,
    /// 后勤处's liaison, and 保卫处's.
    liaison: Browser,
    other_liaison: Browser,
}

const OWNER_NO: &str = "2026197003";

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026197001", "提问同学").await;
    let handler = app.create_user("2026197002", "权益部员").await;
    app.create_user(OWNER_NO, "权益部负责同学").await;
    app.create_user("2026197009", "路过同学").await;
    app.grant("2026197002", "rights", "member").await;
    app.grant(OWNER_NO, "rights", "member").await;
    let liaison = app.create_user("T19970001", "后勤处王老师").await;
    let other = app.create_user("T19970002", "保卫处李老师").await;
    for (user, office) in [(liaison, "后勤处"), (other, "保卫处")] {
        sqlx::query("insert into office_liaison (office_id, user_id) select office_id, $1 from school_office where name_zh = $2")
            .bind(user)
            .bind(office)
            .execute(&app.db)
            .await
            .unwrap();
    }
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        liaison: app.browser_signed_in(liaison).await,
        other_liaison: app.browser_signed_in(other).await,
        app,
    }
}

async fn office_id(app: &TestApp, name: &str) -> String {
    let id: i64 = sqlx::query_scalar("select office_id from school_office where name_zh = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap();
    id.to_string()
}

fn in_days(days: i64) -> String {
    (union_portal::web::forms::today() + Duration::days(days)).to_string()
}

#[tokio::test]
async fn a_department_promises_on_a_complaints_page_with_a_member_who_answers_for_it() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let owner = c.app.user_id(OWNER_NO).await.to_string();
    let url = format!("/d/rights/complaints/{no}/commitments");
    let due = in_days(14);

    // The department's own promise needs an owner: refused beside the field, the text kept.
    let fields =
        [("commitment", "两周内协调食堂公示价格"), ("commitment_by", "dept"), ("commitment_due", due.as_str())];
    let r = c.handler.post_form(&url, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("commitment_owner").is_some_and(|e| e.contains("本部门成员")), "{}", r.body);
    assert!(r.body.contains("两周内协调食堂公示价格"), "what was typed stays");
    // Someone who is not a member of the department cannot answer for it.
    let outsider = c.app.user_id("2026197009").await.to_string();
    let r =
        c.handler.post_form(&url, &[fields[0], fields[1], fields[2], ("commitment_owner", outsider.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("commitment_owner").is_some());
    assert_eq!(count(&c.app, "select count(*) from commitment").await, 0, "nothing saved");

    let r = c.handler.post_form(&url, &[fields[0], fields[1], fields[2], ("commitment_owner", owner.as_str())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(c.app.notified(OWNER_NO, "notify.commitment.owner").await, 1, "the owner is told");
    assert_eq!(
        c.app.notified("2026197001", "notify.complaint.update").await,
        1,
        "the reporter hears of it on the timeline"
    );
    let public = c.student.get(&format!("/complaints/{no}")).await.body;
    assert!(public.contains("两周内协调食堂公示价格"), "on the complaint's public timeline");

    // The board: promised by the department, made while handling the complaint; filtered as a union promise.
    let board = c.app.browser().get("/commitments?office=union").await.body;
    assert!(board.contains("两周内协调食堂公示价格") && board.contains("权益"), "{board}");
    assert!(board.contains(&no), "it links to its complaint");
    let by_office = c.app.browser().get(&format!("/commitments?office={}", office_id(&c.app, "后勤处").await)).await;
    assert!(!by_office.body.contains("两周内协调食堂公示价格"));
    // The owner's name is for the staff's eyes only.
    let id = count(&c.app, "select max(commitment_id) from commitment").await;
    let page = c.app.browser().get(&format!("/commitments/{id}")).await.body;
    assert!(!page.contains("权益部负责同学"), "the public page names no owner");
    let staff = c.handler.get(&format!("/commitments/{id}")).await.body;
    assert!(staff.contains("权益部负责同学") && staff.contains(&format!("/d/rights/commitments/{id}/update")));
    // The keeper department posts an update; the complaint's timeline shows it.
    let update = [("body", "已与食堂约定公示时间"), ("status", "in_progress")];
    let r = c.handler.post_multipart(&format!("/d/rights/commitments/{id}/update"), &update, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.student.get(&format!("/complaints/{no}")).await.body.contains("已与食堂约定公示时间"));
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>(sql).fetch_one(&app.db).await.unwrap().unwrap_or(0)
}

#[tokio::test]
async fn an_offices_promise_names_one_of_its_liaisons_who_updates_it_from_the_desk() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let logistics = office_id(&c.app, "后勤处").await;
    let url = format!("/d/rights/complaints/{no}/commitments");
    let due = in_days(7);
    let what = ("commitment", "一周内修好北区热水");
    let by = ("commitment_by", logistics.as_str());
    // A member of the department cannot answer for an office's promise.
    let member = c.app.user_id(OWNER_NO).await.to_string();
    let r = c.handler.post_form(&url, &[what, by, ("commitment_due", &due), ("commitment_owner", &member)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("commitment_owner").is_some());
    // A bad date is refused beside its field.
    let r = c.handler.post_form(&url, &[what, by, ("commitment_due", "下周")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("commitment_due").is_some());

    let liaison = c.app.user_id("T19970001").await.to_string();
    let r = c.handler.post_form(&url, &[what, by, ("commitment_due", &due), ("commitment_owner", &liaison)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(c.app.notified("T19970001", "notify.commitment.owner").await, 1);
    let id = count(&c.app, "select max(commitment_id) from commitment").await;

    // The liaison sees it on the desk and updates it there; the other office's liaison cannot.
    let desk = c.liaison.get("/office").await.body;
    assert!(desk.contains("一周内修好北区热水"), "{desk}");
    let page = c.liaison.get(&format!("/commitments/{id}")).await.body;
    assert!(page.contains(&format!("/office/commitments/{id}/update")));
    let update = [("body", "已更换北区热水管道阀门"), ("status", "done")];
    let r = c.other_liaison.post_multipart(&format!("/office/commitments/{id}/update"), &update, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "保卫处's liaison does not answer for 后勤处");
    assert!(!c.other_liaison.get("/office").await.body.contains("一周内修好北区热水"));
    let r = c.liaison.post_multipart(&format!("/office/commitments/{id}/update"), &update, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("select status from commitment where commitment_id = $1")
        .bind(id)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(status, "done");
    assert!(c.student.get(&format!("/complaints/{no}")).await.body.contains("已更换北区热水管道阀门"));
    // The office's record counts it as kept on time.
    let office = c.app.browser().get("/offices").await.body;
    assert!(office.contains("后勤处"), "{office}");
}

#[tokio::test]
async fn the_owner_is_reminded_and_the_complaints_reporter_told_when_the_date_passes() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let owner = c.app.user_id(OWNER_NO).await.to_string();
    let url = format!("/d/rights/complaints/{no}/commitments");
    let today = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
    for (what, due) in [("三天后到期的承诺", today + Duration::days(3)), ("昨天到期的承诺", today - Duration::days(1))]
    {
        let due = due.to_string();
        let fields =
            [("commitment", what), ("commitment_by", "dept"), ("commitment_owner", &owner), ("commitment_due", &due)];
        assert_eq!(c.handler.post_form(&url, &fields).await.status, StatusCode::SEE_OTHER);
    }
    let (soon, overdue, _) = union_portal::reception::reminders::remind(&c.app.state, today).await.unwrap();
    assert_eq!((soon, overdue), (1, 1));
    assert_eq!(c.app.notified(OWNER_NO, "notify.commitment.due_soon").await, 1, "the owner, before the date");
    assert_eq!(c.app.notified("2026197002", "notify.commitment.due_soon").await, 0, "not another member");
    assert_eq!(c.app.notified(OWNER_NO, "notify.commitment.overdue").await, 1);
    assert_eq!(
        c.app.notified("2026197001", "notify.commitment.overdue").await,
        1,
        "the complaint's reporter waits for it"
    );
}

#[tokio::test]
async fn the_minutes_record_a_departments_own_promise_with_its_owner() {
    let c = cast().await;
    let app = &c.app;
    let session: i64 = sqlx::query_scalar(
        "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number)
         insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', (select last_number from n), department_id, now() - interval '2 hours', now() - interval '1 hour',
                '行政楼', '食堂', 20, now() - interval '9 days', now() - interval '2 days'
         from department where slug = 'rights' returning session_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let mut handler = c.handler;
    let owner = app.user_id(OWNER_NO).await.to_string();
    let due = in_days(30);
    let url = format!("/d/rights/reception/{session}/minutes");
    let mut fields = vec![
        ("question", "学生会能否每月公布投诉处理情况？"),
        ("answered_by", "权益服务部"),
        ("answer", "每月公布。"),
        ("commitment", "每月初公布上月投诉处理情况"),
        ("office_id", "dept"),
        ("due_on", due.as_str()),
    ];
    let r = handler.post_form(&url, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a department's promise needs an owner");
    assert!(r.field_error("owner_id").is_some());
    fields.push(("owner_id", owner.as_str()));
    let r = handler.post_form(&url, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (office, keeper): (Option<i64>, String) = sqlx::query_as(
        "select m.office_id, d.slug from commitment m join department d on d.department_id = m.keeper_department_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((office, keeper.as_str()), (None, "rights"));
    assert_eq!(app.notified(OWNER_NO, "notify.commitment.owner").await, 1);
}
