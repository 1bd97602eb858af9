//! Reception days over the real router: a session's life, the seat race and the
//! waiting list, questions and votes, time changes in the calendar, minutes,
//! commitments with their updates, and overdue across the due date.

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use crate::helpers::{local, refs, Browser, TestApp};

const ORGANISER: &str = "2026400001";
const STUDENT: &str = "2026400002";
const VOTER: &str = "2026400003";

pub(crate) struct Desk {
    pub(crate) app: TestApp,
    pub(crate) organiser: Browser,
    pub(crate) student: Browser,
    pub(crate) voter: Browser,
}

async fn desk() -> Desk {
    desk_with(|_| {}).await
}

/// An organiser, a student and a voter, on a portal with these settings.
pub(crate) async fn desk_with(adjust: impl FnOnce(&mut union_portal::config::Config)) -> Desk {
    let app = TestApp::spawn_with(adjust).await;
    let organiser_id = app.create_user(ORGANISER, "权益副部长").await;
    app.grant(ORGANISER, "rights", "vice_head").await;
    let student_id = app.create_user(STUDENT, "提问同学").await;
    let voter_id = app.create_user(VOTER, "支持同学").await;
    let organiser = app.browser_signed_in(organiser_id).await;
    let student = app.browser_signed_in(student_id).await;
    let voter = app.browser_signed_in(voter_id).await;
    Desk { app, organiser, student, voter }
}

impl Desk {
    /// Create through the organisers' form; returns (session id, public code).
    pub(crate) async fn create(&mut self, kind: &str, open_seats: &str) -> (i64, String) {
        let id = self
            .app
            .reception_session("rights")
            .kind(kind)
            .open_seats(open_seats)
            .by(&mut self.organiser)
            .create()
            .await;
        let code = self.app.session_code(id).await;
        (id, code)
    }
}

#[tokio::test]
async fn the_list_shows_the_coming_sessions_first_then_past_ones_twenty_a_page() {
    let mut d = desk().await;
    let (id, coming) = d.create("leaders", "20").await;
    // 24 past sessions, a week apart, as years of reception days leave them.
    sqlx::query(
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select kind, 1000 + g, department_id, starts_at - (g + 5) * interval '7 days', ends_at - (g + 5) * interval '7 days',
                place, '往期' || g, open_seats, signup_opens_at - interval '1 year', signup_closes_at - interval '1 year'
         from reception_session, generate_series(1, 24) g where session_id = $1",
    )
    .bind(id)
    .execute(&d.app.db)
    .await
    .unwrap();
    let first = d.app.browser().get("/reception").await.body;
    let coming_at = first.find(&format!("href=\"/reception/{coming}\"")).expect("the coming session");
    assert!(first.find(">往期1<").is_some_and(|latest_past| coming_at < latest_past), "then the latest past one");
    assert!(first.contains(">往期19<") && !first.contains(">往期20<"), "twenty on the first page");
    assert!(first.contains("href=\"/reception?page=2\" rel=\"next\"") && !first.contains("rel=\"prev\""));
    let second = d.app.browser().get("/reception?page=2").await.body;
    assert!(second.contains(">往期20<") && second.contains(">往期24<") && !second.contains(">往期19<"));
    assert!(second.contains("href=\"/reception?page=1\" rel=\"prev\"") && !second.contains("rel=\"next\""));
    let nonsense = d.app.browser().get("/reception?page=%E4%B8%80").await;
    assert_eq!(nonsense.status, StatusCode::OK);
    assert!(nonsense.body.contains(">往期19<"), "a page that is not a number is the first");
    // Phone calendars get the last year and what is to come.
    sqlx::query("update reception_session set starts_at = starts_at - interval '1 year', ends_at = ends_at - interval '1 year' where topic = '往期24'")
        .execute(&d.app.db)
        .await
        .unwrap();
    let calendar = d.app.browser().get("/reception.ics").await.body;
    assert!(calendar.contains("往期23") && !calendar.contains("往期24"));
}

/// The list and the home page count seats by their own statements (the list only for
/// sessions to come, the home page only the seats): what they show must still add up.
#[tokio::test]
async fn the_list_and_the_home_page_show_the_coming_sessions_seats_and_line() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    for i in 0..21 {
        let id = d.app.create_user(&format!("20266{i:05}"), "同学").await;
        union_portal::reception::seats::sign_up(&d.app.db, session, id, Utc::now()).await.expect("signed up");
    }
    let list = d.student.get("/reception").await.body;
    assert!(list.contains(&format!("href=\"/reception/{code}\"")));
    assert!(list.contains("剩余 0 个开放座位") && list.contains("1 人候补"), "20 seats taken, one in line");
    let home = d.student.get("/").await.body;
    assert!(home.contains(&format!("/reception/{code}")) && home.contains("剩余 0 个开放座位"));
    // Once it has ended, the list shows no seats for it and the home page no longer announces it.
    sqlx::query(
        "update reception_session set starts_at = now() - interval '3 hours', ends_at = now() - interval '1 hour'",
    )
    .execute(&d.app.db)
    .await
    .unwrap();
    let list = d.student.get("/reception").await.body;
    assert!(
        list.contains(&format!("href=\"/reception/{code}\""))
            && !list.contains("剩余 0 个开放座位")
            && !list.contains("1 人候补")
    );
    assert!(!d.student.get("/").await.body.contains(&format!("/reception/{code}")));
}

#[tokio::test]
async fn sessions_are_numbered_per_kind_published_and_announced_on_the_home_page() {
    let mut d = desk().await;
    let (_, first) = d.create("leaders", "20").await;
    let (_, second) = d.create("leaders", "20").await;
    let (_, academic) = d.create("academic", "30").await;
    assert_eq!((first.as_str(), second.as_str(), academic.as_str()), ("148", "149", "jw1"), "the union held 145–147");
    let mut public = d.app.browser();
    let page = public.get("/reception/148").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["第148期", "校领导接待日", "王建国", "副校长", "行政楼一楼报告厅", "时间待定", "法学院 0/2"]
    {
        assert!(page.body.contains(text), "{text}");
    }
    assert!(public.get("/reception/jw1").await.body.contains("教务见面会"));
    for missing in ["/reception/150", "/reception/jw", "/reception/x1", "/reception/99999999999"] {
        assert_eq!(public.get(missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    let list = public.get("/reception").await;
    assert!(list.body.find("第148期").unwrap() < list.body.find("第149期").unwrap(), "soonest first");
    let home = public.get("/").await;
    assert!(
        home.body.contains("/reception/148")
            && home.body.contains("还有 7 天")
            && home.body.contains("剩余 20 个开放座位")
    );
    // Bad input keeps what was typed.
    let mut fields = d.app.reception_session("rights").kind("leaders").open_seats("lots").fields();
    fields.retain(|(k, _)| k != "place");
    let r = d.organiser.post_form("/d/rights/reception/new", &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("place").as_deref(), Some("此项为必填项。"));
    assert!(r.field_error("open_seats").is_some());
    assert!(r.body.contains("王建国 副校长"), "leaders kept");
    assert_eq!(d.app.scalar("select count(*) from reception_session").await, 3, "nothing saved");
}

#[tokio::test]
async fn fifty_students_at_once_for_twenty_seats_get_twenty_seats_and_thirty_places_in_line() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    let mut ids = vec![];
    for i in 0..50 {
        ids.push(d.app.create_user(&format!("20265{i:05}"), "同学").await);
    }
    let mut tasks = vec![];
    for id in &ids {
        let db = d.app.db.clone();
        let id = *id;
        tasks.push(tokio::spawn(async move {
            union_portal::reception::seats::sign_up(&db, session, id, Utc::now()).await.expect("signed up")
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let by_status = |s: &'static str| {
        let db = d.app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from reception_signup where session_id = $1 and status = $2")
                .bind(session)
                .bind(s)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!((by_status("seat").await, by_status("waiting").await), (20, 30));

    // Through the page: a late student joins the line; a seat holder cancels; the first in line moves up, told.
    let r = d.student.post_form(&format!("/reception/{code}/signup"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(d.student.get(&format!("/reception/{code}")).await.body.contains("候补名单第 31 位"));
    let first_in_line: i64 = sqlx::query_scalar(
        "select user_id from reception_signup where session_id = $1 and status = 'waiting' order by queued_at limit 1",
    )
    .bind(session)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    let seat_holder: i64 =
        sqlx::query_scalar("select user_id from reception_signup where session_id = $1 and status = 'seat' limit 1")
            .bind(session)
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    let mut holder = d.app.browser_signed_in(seat_holder).await;
    assert_eq!(holder.post_form(&format!("/reception/{code}/cancel"), &[]).await.status, StatusCode::SEE_OTHER);
    let promoted: String =
        sqlx::query_scalar("select status from reception_signup where session_id = $1 and user_id = $2")
            .bind(session)
            .bind(first_in_line)
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    assert_eq!(promoted, "seat");
    let notified: i64 = sqlx::query_scalar(
        "select count(*) from notification where user_id = $1 and message_key = 'notify.reception.promoted'",
    )
    .bind(first_in_line)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    assert_eq!(notified, 1);
    assert_eq!((by_status("seat").await, by_status("waiting").await), (20, 30));
    assert!(d.student.get(&format!("/reception/{code}")).await.body.contains("候补名单第 30 位"), "moved up one");
    // Signing up twice changes nothing; after closing, nobody can.
    d.student.post_form(&format!("/reception/{code}/signup"), &[]).await;
    assert_eq!(by_status("waiting").await, 30);
    let r = d.organiser.post_form(&format!("/d/rights/reception/{session}/close-signup"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let late_id = d.app.create_user("2026499999", "迟到同学").await;
    let mut late = d.app.browser_signed_in(late_id).await;
    assert_eq!(late.post_form(&format!("/reception/{code}/signup"), &[]).await.status, StatusCode::CONFLICT);
    assert_eq!(
        d.app.browser().post_form(&format!("/reception/{code}/signup"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_confirmed_or_moved_time_tells_everyone_and_bumps_the_calendar_sequence() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    d.student.post_form(&format!("/reception/{code}/signup"), &[]).await;
    d.voter.post_form(&format!("/reception/{code}/follow"), &[]).await;
    let ics = d.app.browser().get("/reception.ics").await;
    assert_eq!(ics.header("content-type"), Some("text/calendar; charset=utf-8"));
    let event = parse_event(&ics.body, session);
    assert_eq!((event.sequence.as_str(), event.status.as_str()), ("0", "TENTATIVE"));
    assert_eq!(event.tzid, "Asia/Shanghai");

    // Confirm the time (and move it an hour later).
    let mut fields = d.app.reception_session("rights").kind("leaders").open_seats("20").fields();
    let start = Utc::now() + Duration::days(7) + Duration::hours(1);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "starts_at" => *v = local(start),
            "ends_at" => *v = local(start + Duration::hours(2)),
            _ => {}
        }
    }
    fields.push(("time_confirmed".into(), "on".into()));
    let r = d.organiser.post_form(&format!("/d/rights/reception/{session}/update"), &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for who in [STUDENT, VOTER] {
        assert_eq!(d.app.notified(who, "notify.reception.time_changed").await, 1, "{who}");
    }
    let event = parse_event(&d.app.browser().get("/reception.ics").await.body, session);
    assert_eq!((event.sequence.as_str(), event.status.as_str()), ("1", "CONFIRMED"));
    assert_eq!(event.dtstart, start.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y%m%dT%H%M00").to_string());
    // Saving again without a change tells nobody and keeps the sequence.
    d.organiser.post_form(&format!("/d/rights/reception/{session}/update"), &refs(&fields)).await;
    assert_eq!(d.app.notified(STUDENT, "notify.reception.time_changed").await, 1);
    assert_eq!(parse_event(&d.app.browser().get("/reception.ics").await.body, session).sequence, "1");
    let feed = d.app.browser().get("/feeds/reception.atom").await;
    let feed = atom_syndication::Feed::read_from(feed.body.as_bytes()).expect("valid Atom");
    assert!(feed.entries().iter().any(|e| e.title().as_str().starts_with("第148期校领导接待日")));
}

struct Event {
    sequence: String,
    status: String,
    tzid: String,
    dtstart: String,
}

/// The event of one session, read with a real iCalendar parser.
fn parse_event(ics: &str, session: i64) -> Event {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("a calendar").expect("a valid calendar");
    assert_eq!(calendar.timezones.len(), 1, "a VTIMEZONE");
    let uid = format!("reception-{session}@union-portal");
    let event = calendar
        .events
        .iter()
        .find(|e| e.properties.iter().any(|p| p.name == "UID" && p.value.as_deref() == Some(uid.as_str())))
        .expect("the session's event");
    let prop = |name: &str| event.properties.iter().find(|p| p.name == name).expect(name);
    let value = |name: &str| prop(name).value.clone().unwrap_or_default();
    let tzid = prop("DTSTART")
        .params
        .as_ref()
        .and_then(|ps| ps.iter().find(|(k, _)| k == "TZID"))
        .map(|(_, v)| v.join(","))
        .unwrap_or_default();
    assert!(value("SUMMARY").contains("第148期"));
    Event { sequence: value("SEQUENCE"), status: value("STATUS"), tzid, dtstart: value("DTSTART") }
}

#[tokio::test]
async fn questions_get_one_vote_each_and_their_commitments_are_followed_to_the_end() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    // The student links one of their own complaints, which is then on the complaint's timeline.
    let tracking_no =
        d.app.complaint().category("canteen").title("一食堂饭菜价格上涨").public().by(&mut d.student).file().await;
    let r =
        d.voter.post_form(&format!("/reception/{code}/questions"), &[("body", "x"), ("complaint", &tracking_no)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not the voter's complaint");
    assert!(r.field_error("complaint").is_some());
    assert_eq!(r.field_value("complaint").as_deref(), Some(tracking_no.as_str()), "kept");
    let r = d
        .student
        .post_form(
            &format!("/reception/{code}/questions"),
            &[("body", "食堂涨价能否回落？"), ("complaint", &tracking_no)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let question: i64 = d.app.scalar("select max(question_id) from reception_question").await;
    let vote = format!("/reception/{code}/questions/{question}/vote");
    let vote_button = format!("action=\"{vote}\"");
    let page = d.voter.get(&format!("/reception/{code}")).await;
    assert!(page.body.contains(&vote_button), "not voted yet");
    assert!(page.body.contains("王建国") && page.body.contains("法学院"), "its leaders and college seats");
    assert_eq!(d.voter.post_form(&vote, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!d.voter.get(&format!("/reception/{code}")).await.body.contains(&vote_button), "the voter's own vote");
    assert_eq!(d.voter.post_form(&vote, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.student.post_form(&vote, &[]).await.status, StatusCode::CONFLICT, "not one's own");
    assert_eq!(d.app.scalar("select count(*) from reception_question_vote").await, 1, "one vote each");
    assert!(d.app.browser().get(&format!("/reception/{code}")).await.body.contains("1 人支持"));
    // The count is kept by triggers (migrations/0036): a vote's row gone is counted off too.
    let kept = format!("select votes::int8 from reception_question where question_id = {question}");
    sqlx::query("delete from reception_question_vote").execute(&d.app.db).await.unwrap();
    assert_eq!(d.app.scalar(&kept).await, 0);
    assert_eq!(d.voter.post_form(&vote, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.app.scalar(&kept).await, 1);
    let agenda =
        d.organiser.post_form(&format!("/d/rights/reception/{session}/questions/{question}/agenda"), &[]).await;
    assert_eq!(agenda.status, StatusCode::SEE_OTHER);

    // Minutes: a bad one keeps what was typed; the good one records the commitment.
    let office: i64 = d.app.scalar("select office_id from school_office where name_zh = '后勤处'").await;
    let due = (union_portal::web::forms::today() + Duration::days(30)).to_string();
    let minute = |office: String| {
        vec![
            ("question_id".to_string(), question.to_string()),
            ("answered_by".to_string(), "李明 后勤处处长".to_string()),
            ("answer".to_string(), "下月起恢复平价窗口。".to_string()),
            ("commitment".to_string(), "一食堂恢复三个平价窗口".to_string()),
            ("office_id".to_string(), office),
            ("due_on".to_string(), due.clone()),
        ]
    };
    let path = format!("/d/rights/reception/{session}/minutes");
    let r = d.organiser.post_form(&path, &refs(&minute(String::new()))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("office_id").as_deref(), Some("请选择作出承诺的职能部门或本部门。"));
    assert!(r.body.contains("一食堂恢复三个平价窗口"), "typed commitment kept");
    assert_eq!(d.organiser.post_form(&path, &refs(&minute(office.to_string()))).await.status, StatusCode::SEE_OTHER);
    let commitment: i64 = d.app.scalar("select max(commitment_id) from commitment").await;
    for who in [STUDENT, VOTER] {
        assert_eq!(d.app.notified(who, "notify.reception.commitment").await, 1, "{who}");
    }
    let board = d.app.browser().get("/commitments").await;
    assert!(board.body.contains("一食堂恢复三个平价窗口") && board.body.contains("待落实"));
    let complaint = d.app.browser().get(&format!("/complaints/{tracking_no}")).await;
    assert!(
        complaint.body.contains("接待日承诺") && complaint.body.contains("一食堂恢复三个平价窗口"),
        "on the timeline"
    );
    assert!(d.app.browser().get(&format!("/reception/{code}")).await.body.contains("下月起恢复平价窗口"), "minutes");

    // An update with a photo: asker and voter are told; the board and the complaint show it.
    let png = {
        let mut out = vec![];
        image::DynamicImage::new_rgb8(20, 20)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    let update = format!("/d/rights/commitments/{commitment}/update");
    let r = d.organiser.post_multipart(&update, &[("body", ""), ("status", "done")], &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("body").as_deref(), Some("此项为必填项。"));
    let r = d
        .organiser
        .post_multipart(&update, &[("body", "三个平价窗口已开放"), ("status", "done")], &[("photo", "w.png", &png)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for who in [STUDENT, VOTER] {
        assert_eq!(d.app.notified(who, "notify.reception.commitment_update").await, 1, "{who}");
    }
    let page = d.app.browser().get(&format!("/commitments/{commitment}")).await;
    assert!(page.body.contains("三个平价窗口已开放") && page.body.contains("已落实"));
    let board = d.app.browser().get("/commitments").await;
    assert!(board.body.contains("1 条进展") && board.body.contains("已落实"), "the board counts the update");
    let update_id: i64 = d.app.scalar("select max(update_id) from commitment_update").await;
    let photo = d.app.browser().get(&format!("/commitments/{commitment}/photos/{update_id}?size=thumb")).await;
    assert_eq!(photo.header("content-type"), Some("image/jpeg"));
    assert!(d.app.browser().get(&format!("/complaints/{tracking_no}")).await.body.contains("承诺落实进展"));
    // Students cannot post updates.
    let r = d.student.post_multipart(&update, &[("body", "已落实"), ("status", "done")], &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn overdue_is_computed_from_the_due_date_and_counts_against_the_office() {
    let mut d = desk().await;
    let (session, _) = d.create("leaders", "20").await;
    let office: i64 = d.app.scalar("select office_id from school_office where name_zh = '基建处'").await;
    let today = union_portal::web::forms::today();
    for (what, due) in [("修好三号楼吊扇", today), ("更换五号楼桌椅", today - Duration::days(1))] {
        let fields = [
            ("question", "教学楼设施何时修好？"),
            ("asked_by", ""),
            ("answered_by", "基建处"),
            ("answer", "尽快。"),
            ("commitment", what),
            ("office_id", &office.to_string()),
            ("due_on", &due.to_string()),
        ];
        let r = d.organiser.post_form(&format!("/d/rights/reception/{session}/minutes"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let overdue = d.app.browser().get("/commitments?status=overdue").await;
    assert!(
        overdue.body.contains("更换五号楼桌椅") && !overdue.body.contains("修好三号楼吊扇"),
        "due today is not late"
    );
    let pending = d.app.browser().get("/commitments?status=pending").await;
    assert!(pending.body.contains("修好三号楼吊扇"));
    // One overdue of one due: 0% on time for 基建处.
    let board = d.app.browser().get(&format!("/commitments?office={office}")).await;
    assert!(board.body.contains("0%（0/1）"), "{}", board.body);

    // 60 more, done on time, due in the past: after the open ones, 50 to a page.
    sqlx::query(
        "insert into commitment (minute_id, session_id, what, office_id, due_on, status, done_on)
         select minute_id, session_id, '已兑现承诺' || lpad(g::text, 2, '0'), office_id, current_date - 100 + g, 'done', current_date - 100 + g
         from commitment, generate_series(1, 60) g where what = '修好三号楼吊扇'",
    )
    .execute(&d.app.db)
    .await
    .unwrap();
    // Written behind the portal's back: its own writers clear the kept records (`Cached`).
    d.app.state.cached.commitment_records.clear();
    let first = d.app.browser().get("/commitments").await.body;
    assert!(first.contains("更换五号楼桌椅") && first.contains("已兑现承诺48") && !first.contains("已兑现承诺49"));
    assert!(first.contains("98%（60/61）"), "60 kept of 61 due for 基建处");
    let doc = scraper::Html::parse_document(&first);
    let more = scraper::Selector::parse("a[href*='after=']").unwrap();
    let href = doc.select(&more).next().expect("a next page").value().attr("href").unwrap().replace("&amp;", "&");
    let second = d.app.browser().get(&href).await.body;
    assert!(second.contains("已兑现承诺49") && second.contains("已兑现承诺60") && !second.contains("更换五号楼桌椅"));
    let done = d.app.browser().get("/commitments?status=done").await.body;
    assert!(done.contains("已兑现承诺01") && !done.contains("修好三号楼吊扇"));
}

#[tokio::test]
async fn a_private_complaint_on_the_agenda_stays_private_on_the_public_page() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    let tracking_no =
        d.app.complaint().category("canteen").title("辅导员私下收费").private().by(&mut d.student).file().await;
    let id: i64 = sqlx::query_scalar(
        "update complaint set on_reception_agenda = true where tracking_no = $1 returning complaint_id",
    )
    .bind(&tracking_no)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    let path = format!("/d/rights/reception/{session}/agenda/complaint");
    assert_eq!(d.organiser.post_form(&path, &[("complaint_id", &id.to_string())]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.organiser.post_form(&path, &[("complaint_id", &id.to_string())]).await.status, StatusCode::CONFLICT);
    let page = d.app.browser().get(&format!("/reception/{code}")).await;
    assert!(page.body.contains("一件不公开的投诉"));
    assert!(
        !page.body.contains("辅导员私下收费") && !page.body.contains(&tracking_no) && !page.body.contains("提问同学")
    );
    let audited: i64 = d.app.scalar("select count(*) from audit_log where action = 'reception_session.save'").await;
    assert_eq!(audited, 2, "created, then the agenda step");
}

#[tokio::test]
async fn more_seats_go_to_the_waiting_list_first_and_hostile_input_is_a_field_error() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "1").await;
    d.voter.post_form(&format!("/reception/{code}/signup"), &[]).await;
    d.student.post_form(&format!("/reception/{code}/signup"), &[]).await;
    assert!(d.student.get(&format!("/reception/{code}")).await.body.contains("候补名单第 1 位"));
    // The organiser adds a seat: the first in line gets it (and hears), not a newcomer.
    let mut fields = d.app.reception_session("rights").kind("leaders").open_seats("2").fields();
    fields.retain(|(k, _)| k != "kind");
    let r = d.organiser.post_form(&format!("/d/rights/reception/{session}/update"), &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(d.student.get(&format!("/reception/{code}")).await.body.contains("你已报名成功"));
    assert_eq!(d.app.notified(STUDENT, "notify.reception.promoted").await, 1);
    assert_eq!(d.app.scalar("select count(*) from reception_signup where status = 'seat'").await, 2);

    // NUL bytes and other controls are messages beside the field, never a 500.
    let r =
        d.student.post_form(&format!("/reception/{code}/questions"), &[("body", "问题"), ("complaint", "QY\0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("complaint").is_some());
    let mut fields = d.app.reception_session("rights").kind("leaders").open_seats("2").fields();
    for (k, v) in fields.iter_mut() {
        if k == "leaders" {
            *v = "王\0 校长".into();
        }
    }
    let r = d.organiser.post_form("/d/rights/reception/new", &refs(&fields)).await;
    assert_eq!(
        (r.status, r.field_error("leaders").as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("含有不允许的字符（如换行或控制字符）。"))
    );
    let r = d
        .organiser
        .post_form(
            &format!("/d/rights/reception/{session}/delegates/add"),
            &[("college", "法\0学院"), ("student_no", "2026400009"), ("name", "代表")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The `Q-nnn` markers of the questions a page lists, in its order.
fn question_markers(body: &str) -> Vec<String> {
    let start = "关于".len();
    body.match_indices("关于Q-").filter_map(|(i, _)| body.get(i + start..i + start + 5)).map(str::to_string).collect()
}

/// The "more" link of a page's questions, if any.
fn more_questions_link(body: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse("a[rel=next]").unwrap();
    doc.select(&sel).next().and_then(|a| a.value().attr("href")).map(str::to_string)
}

#[tokio::test]
async fn a_session_with_many_questions_shows_them_a_page_at_a_time_in_their_order() {
    let mut d = desk().await;
    let (session, code) = d.create("leaders", "20").await;
    let student = d.app.user_id(STUDENT).await;
    let voter = d.app.user_id(VOTER).await;
    sqlx::query(
        "insert into reception_question (session_id, author_id, body, is_anonymous)
         select $1, $2, '关于Q-' || lpad(g::text, 3, '0') || '的提问', false from generate_series(0, 119) g",
    )
    .bind(session)
    .bind(student)
    .execute(&d.app.db)
    .await
    .unwrap();
    // Every tenth has a vote; the last is on the agenda.
    sqlx::query(
        "insert into reception_question_vote (question_id, user_id)
         select question_id, $1 from reception_question where body ~ 'Q-..0'",
    )
    .bind(voter)
    .execute(&d.app.db)
    .await
    .unwrap();
    sqlx::query("update reception_question set on_agenda = true where body like '%Q-119%'")
        .execute(&d.app.db)
        .await
        .unwrap();
    let mut expected = vec!["Q-119".to_string()];
    expected.extend((0..119).filter(|i| i % 10 == 0).map(|i| format!("Q-{i:03}")));
    expected.extend((0..119).filter(|i| i % 10 != 0).map(|i| format!("Q-{i:03}")));

    let mut anonymous = d.app.browser();
    let first = anonymous.get(&format!("/reception/{code}")).await;
    assert_eq!(first.status, StatusCode::OK);
    let mut seen = question_markers(&first.body);
    assert_eq!(seen.len(), 50, "one page of fifty, not all 120");
    assert!(first.body.len() < 60 * 1024, "the page stays small: {} bytes", first.body.len());
    let mut link = more_questions_link(&first.body).expect("a link to the next questions");
    let mut pages = 1;
    loop {
        let page = anonymous.get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "{link}");
        assert!(page.body.contains(&format!("href=\"/reception/{code}#questions\"")), "a way back to the first page");
        seen.extend(question_markers(&page.body));
        pages += 1;
        match more_questions_link(&page.body) {
            Some(next) => link = next,
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, expected, "every question once, on the agenda first, then most votes, then oldest");

    // A cursor that does not parse is the first page, not an error.
    let r = anonymous.get(&format!("/reception/{code}?after=nonsense")).await;
    assert_eq!(question_markers(&r.body), expected[..50].to_vec());
}
