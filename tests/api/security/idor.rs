//! IDOR (ASVS 8.2.2): every URL that names someone's object — a complaint and its
//! photo, an anonymous complaint, a found item and its photo, a lost report, an
//! unpublished plan with its goals and actions, a reception session with its
//! delegates, questions and commitments, an event with its applications and
//! witnesses, notifications, uploads — requested with
//! another user's session. Private objects answer 404; staff actions through the
//! owning department's prefix 403, through another department's own prefix 404.
//! No answer shows anything of the object, and no row changes.
//!
//! The other department (生活卫生部) is given every capability here (it runs events
//! already), so that its own prefix reaches the handlers and their department
//! scoping, not only the capability check.

use axum::http::StatusCode;

use crate::helpers::{id_in, png, refs, Browser, SessionSeed, TestApp};

const OWNER_NO: &str = "2026000110";
const OWNER_NAME: &str = "林晓雾";
const DELEGATE_NO: &str = "2026000177";
/// The owner's answer on their application to the rights department's event.
const ANSWER: &str = "我对后厨卫生一直很担心";

/// What identifies the objects: none of it may reach a page the attacker sees.
const SECRETS: [&str; 17] = [
    OWNER_NAME,
    OWNER_NO,
    "白蚁蛀空衣柜",
    "北区二十四栋四楼",
    "衣服全被蛀坏",
    "内部备注：找宿管核实",
    "已联系宿管上门查看",
    "蓝色保温杯",
    "杯盖上贴着小熊贴纸",
    "linxiaowu-77",
    "权益部绝密计划",
    "去年走访了十二栋宿舍",
    "打通维权最后一公里",
    "每周走访宿舍楼长",
    "代表王五",
    DELEGATE_NO,
    ANSWER,
];

/// Tables whose rows no refused request may change (sessions, login attempts and the audit
/// trail record the requests themselves).
const TABLES: [&str; 31] = [
    "app_user",
    "membership",
    "department",
    "complaint",
    "complaint_event",
    "complaint_photo",
    "complaint_support",
    "notification",
    "mail_outbox",
    "collection_point",
    "found_item",
    "lost_report",
    "lost_match",
    "bulletin",
    "plan",
    "plan_goal",
    "plan_action",
    "plan_version",
    "reception_session",
    "reception_quota",
    "reception_delegate",
    "reception_signup",
    "reception_follow",
    "reception_question",
    "reception_question_vote",
    "reception_minute",
    "commitment",
    "event",
    "event_quota",
    "event_witness",
    "event_application",
];

/// Every row of every table in TABLES (and commitment updates), as text.
async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    let sql = TABLES
        .iter()
        .chain(&["commitment_update"])
        .map(|t| format!("select '{t}', coalesce(string_agg(x::text, E'\\n' order by x::text), '') from {t} x"))
        .collect::<Vec<_>>()
        .join(" union all ");
    sqlx::query_as(&sql).fetch_all(&app.db).await.unwrap()
}

#[derive(Clone, Copy, Debug)]
enum Who {
    Visitor,
    Student,
    LifeHead,
    /// A member of 生活卫生部: its events' pages and door, not their editing.
    LifeMember,
}
use Who::*;

struct Probe {
    who: Who,
    /// GET, POST (a form) or MULTIPART.
    method: &'static str,
    path: String,
    form: Vec<(String, String)>,
    status: StatusCode,
    /// More that this answer must not show.
    also_secret: Vec<String>,
}

fn get(who: Who, path: impl Into<String>, status: StatusCode) -> Probe {
    Probe { who, method: "GET", path: path.into(), form: vec![], status, also_secret: vec![] }
}

fn post(who: Who, path: impl Into<String>, form: &[(&str, &str)], status: StatusCode) -> Probe {
    let form = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Probe { who, method: "POST", path: path.into(), form, status, also_secret: vec![] }
}

impl Probe {
    fn multipart(self) -> Probe {
        Probe { method: "MULTIPART", ..self }
    }
    fn hiding(self, more: &[&str]) -> Probe {
        Probe { also_secret: more.iter().map(|s| s.to_string()).collect(), ..self }
    }
}

/// The objects, by id or number.
struct Objects {
    private_no: String,
    private_id: i64,
    photo_id: i64,
    photo_file: String,
    anonymous_no: String,
    /// A public complaint of the attacking student's own, handled by 生活卫生部.
    life_no: String,
    report: i64,
    card: i64,
    umbrella: i64,
    bulletin: i32,
    rights_point: i64,
    plan: i64,
    goal: i64,
    action: i64,
    life_plan: i64,
    session: i64,
    code: String,
    delegate: i64,
    question: i64,
    commitment: i64,
    other_commitment: i64,
    update: i64,
    life_session: i64,
    /// An event of the rights department, open: the owner applied, the rights member is its witness.
    event: i64,
    application: i64,
    check_code: String,
    witness: i64,
    life_event: i64,
}

struct Idor {
    app: TestApp,
    visitor: Browser,
    student: Browser,
    life_head: Browser,
    life_member: i64,
    life_member_browser: Browser,
    o: Objects,
}

/// A session of `dept` a week from now whose sign-up has just opened.
fn session_seed(app: &TestApp, dept: &str, topic: &str) -> SessionSeed {
    app.reception_session(dept)
        .place("行政楼")
        .topic(topic)
        .leaders("王建国 副校长")
        .quotas("法学院 3")
        .open_seats("20")
        .signup_opens_at(chrono::Utc::now())
}

async fn arrange() -> Idor {
    let app = TestApp::spawn().await;
    sqlx::query("update department set runs_lost_found = true, organises_reception = true where slug = 'life'")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "insert into collection_point (department_id, name_zh, name_en, address, opening_hours)
         select department_id, '南区生活服务点', 'South: Life', '南区食堂一楼', '每天 8:00–20:00' from department where slug = 'life'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let owner_id = app.create_user(OWNER_NO, OWNER_NAME).await;
    let student_id = app.create_user("2026000101", "路人甲").await;
    let rights_head = app.create_user("2026000104", "权益部长").await;
    let rights_member = app.create_user("2026000102", "权益部员").await;
    let life_head = app.create_user("2026000105", "生活部长").await;
    let life_member = app.create_user("2026000106", "生活部员").await;
    app.grant("2026000104", "rights", "head").await;
    app.grant("2026000102", "rights", "member").await;
    app.grant("2026000105", "life", "head").await;
    app.grant("2026000106", "life", "member").await;
    let mut owner = app.browser_signed_in(owner_id).await;
    let mut student = app.browser_signed_in(student_id).await;
    let mut head = app.browser_signed_in(rights_head).await;
    let mut member = app.browser_signed_in(rights_member).await;
    let mut life = app.browser_signed_in(life_head).await;
    let life_member_browser = app.browser_signed_in(life_member).await;

    // A private complaint with a photo, a note and a reply; an anonymous public one.
    let photo = png();
    let fields = [
        ("category", "canteen"),
        ("title", "白蚁蛀空衣柜"),
        ("location", "北区二十四栋四楼"),
        ("description", "衣服全被蛀坏，柜门也掉了。"),
        ("visibility", "private"),
    ];
    let r = owner.post_multipart("/complaints/new", &fields, &[("photos", "a.png", &photo)]).await;
    let private_no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();
    let case = format!("/d/rights/complaints/{private_no}");
    let note = member.post_form(&format!("{case}/note"), &[("body", "内部备注：找宿管核实")]).await;
    assert_eq!(note.status, StatusCode::SEE_OTHER);
    let reply = head.post_form(&format!("{case}/reply"), &[("body", "已联系宿管上门查看")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let (private_id, photo_id, photo_file): (i64, i64, String) = sqlx::query_as(
        "select c.complaint_id, p.photo_id, p.file_name from complaint c join complaint_photo p using (complaint_id)
         where c.tracking_no = $1",
    )
    .bind(&private_no)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // On the reception agenda, so only the department check keeps it off another's agenda.
    sqlx::query("update complaint set on_reception_agenda = true where complaint_id = $1")
        .bind(private_id)
        .execute(&app.db)
        .await
        .unwrap();
    let fields = [
        ("category", "logistics"),
        ("title", "隧道栏杆割伤学生"),
        ("location", "南门隧道"),
        ("description", "栏杆断口锋利。"),
        ("visibility", "public"),
        ("anonymous", "on"),
    ];
    let r = owner.post_multipart("/complaints/new", &fields, &[]).await;
    let anonymous_no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();
    let fields = [
        ("category", "dorm"),
        ("title", "宿舍热水不稳定"),
        ("location", "南区三栋"),
        ("description", "早上没有热水。"),
        ("visibility", "public"),
    ];
    let r = student.post_multipart("/complaints/new", &fields, &[]).await;
    let life_no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();

    // A lost report of the owner's.
    let today = union_portal::web::forms::today().to_string();
    let fields = [
        ("category", "other"),
        ("what", "蓝色保温杯"),
        ("place", "西区第一食堂"),
        ("lost_on", today.as_str()),
        ("description", "杯盖上贴着小熊贴纸"),
        ("contact", "微信 linxiaowu-77"),
    ];
    let report = id_in(owner.post_form("/lost-found/lost/new", &fields).await.location());

    // Found items with photos: an umbrella, and the owner's campus card; then a bulletin with both.
    let rights_point = app.scalar("select point_id from collection_point where name_zh = '北区24栋'").await;
    let point = rights_point.to_string();
    let umbrella =
        app.found_item(&point).found_place("24栋楼下").photo("p.png", png()).by(&mut member).register().await;
    let card = app
        .found_item(&point)
        .category("card")
        .description("校园卡")
        .found_place("24栋楼下")
        .card(OWNER_NO, OWNER_NAME)
        .photo("p.png", png())
        .by(&mut member)
        .register()
        .await;
    assert_eq!(member.post_form("/d/rights/lost-found/bulletins/publish", &[]).await.status, StatusCode::SEE_OTHER);
    let bulletin: i32 = sqlx::query_scalar("select max(number) from bulletin").fetch_one(&app.db).await.unwrap();

    // An unpublished plan of the rights department; a plan of 生活卫生部's own.
    let plan = app
        .scalar(
            "insert into plan (department_id, period, title, review_achievements)
         select department_id, '2026春', '权益部绝密计划', '去年走访了十二栋宿舍' from department where slug = 'rights'
         returning plan_id",
        )
        .await;
    let goal: i64 = sqlx::query_scalar(
        "insert into plan_goal (plan_id, position, title) values ($1, 0, '打通维权最后一公里') returning goal_id",
    )
    .bind(plan)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let action: i64 = sqlx::query_scalar(
        "insert into plan_action (plan_id, goal_id, position, title, owner_id)
         values ($1, $2, 0, '每周走访宿舍楼长', $3) returning action_id",
    )
    .bind(plan)
    .bind(goal)
    .bind(rights_member)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let life_plan = app
        .scalar(
            "insert into plan (department_id, period, title) select department_id, '2026春', '生活部计划'
         from department where slug = 'life' returning plan_id",
        )
        .await;

    // A reception session of the rights department: a delegate, the owner's seat and anonymous
    // question, minutes with two commitments, an update with a photo. And one of 生活卫生部's.
    let session = session_seed(&app, "rights", "食堂价格").by(&mut head).create().await;
    let base = format!("/d/rights/reception/{session}");
    let fields = [("college", "法学院"), ("student_no", DELEGATE_NO), ("name", "代表王五")];
    assert_eq!(member.post_form(&format!("{base}/delegates/add"), &fields).await.status, StatusCode::SEE_OTHER);
    let delegate = app.scalar("select max(delegate_id) from reception_delegate").await;
    let code = app.session_code(session).await;
    assert_eq!(owner.post_form(&format!("/reception/{code}/signup"), &[]).await.status, StatusCode::SEE_OTHER);
    let question = [("body", "能否在宿舍装空调"), ("anonymous", "on")];
    let ask = owner.post_form(&format!("/reception/{code}/questions"), &question).await;
    assert_eq!(ask.status, StatusCode::SEE_OTHER);
    let question = app.scalar("select max(question_id) from reception_question").await;
    let office = app.scalar("select office_id from school_office where name_zh = '后勤处'").await.to_string();
    let due = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string();
    for (qid, what) in [(question.to_string(), "夏天前装好空调"), (String::new(), "修好热水")] {
        let fields = [
            ("question_id", qid.as_str()),
            ("question", if qid.is_empty() { "热水什么时候修？" } else { "" }),
            ("answered_by", "后勤处"),
            ("answer", "会安排。"),
            ("commitment", what),
            ("office_id", office.as_str()),
            ("due_on", due.as_str()),
        ];
        let r = member.post_form(&format!("{base}/minutes"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "minute saved: {}", r.body);
    }
    let commitment = app.scalar("select min(commitment_id) from commitment").await;
    let other_commitment = app.scalar("select max(commitment_id) from commitment").await;
    let fields = [("body", "已动工"), ("status", "in_progress")];
    let r = member
        .post_multipart(&format!("/d/rights/commitments/{commitment}/update"), &fields, &[("photo", "p.png", &photo)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "update saved");
    let update = app.scalar("select max(update_id) from commitment_update").await;
    let life_session = session_seed(&app, "life", "宿舍卫生").by(&mut life).create().await;

    // An event of the rights department with the owner's application and a witness; one of 生活卫生部's.
    let mut form = super::authz::event_form();
    form.retain(|(k, _)| k != "title");
    form.push(("title".into(), "权益部食堂开放日".into()));
    let event = id_in(head.post_form("/d/rights/events/new", &refs(&form)).await.location());
    let r = owner.post_form(&format!("/events/{event}/apply"), &[("a1", ANSWER)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "applied: {}", r.body);
    let witness_form = [("student_no", "2026000102"), ("label", "权益部干事")];
    let r = head.post_form(&format!("/d/rights/events/{event}/witnesses/add"), &witness_form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "witness named: {}", r.body);
    let (application, check_code): (i64, String) =
        sqlx::query_as("select application_id, check_code from event_application where event_id = $1")
            .bind(event)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let witness = app.scalar(&format!("select witness_id from event_witness where event_id = {event}")).await;
    let mut form = super::authz::event_form();
    form.retain(|(k, _)| k != "title");
    form.push(("title".into(), "生活部宿舍开放日".into()));
    let life_event = id_in(life.post_form("/d/life/events/new", &refs(&form)).await.location());

    // The attackers have read their own notifications: marking "all" read must not reach the owner's.
    sqlx::query("update notification set read_at = now() where user_id <> $1")
        .bind(owner_id)
        .execute(&app.db)
        .await
        .unwrap();
    let unread: i64 = sqlx::query_scalar("select count(*) from notification where user_id = $1 and read_at is null")
        .bind(owner_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(unread >= 2, "the owner was told of the reply and of the card");
    let o = Objects {
        private_no,
        private_id,
        photo_id,
        photo_file,
        anonymous_no,
        life_no,
        report,
        card,
        umbrella,
        bulletin,
        rights_point,
        plan,
        goal,
        action,
        life_plan,
        session,
        code,
        delegate,
        question,
        commitment,
        other_commitment,
        update,
        life_session,
        event,
        application,
        check_code,
        witness,
        life_event,
    };
    Idor { visitor: app.browser(), student, life_head: life, life_member, life_member_browser, o, app }
}

impl Idor {
    /// Each probe: its status, no secret in its body or headers, and no row changed.
    async fn run(&mut self, probes: Vec<Probe>) {
        let mut failures = vec![];
        for p in probes {
            let before = snapshot(&self.app).await;
            let b = match p.who {
                Visitor => &mut self.visitor,
                Student => &mut self.student,
                LifeHead => &mut self.life_head,
                LifeMember => &mut self.life_member_browser,
            };
            let fields = refs(&p.form);
            let r = match p.method {
                "GET" => b.get(&p.path).await,
                "POST" => b.post_form(&p.path, &fields).await,
                _ => b.post_multipart(&p.path, &fields, &[]).await,
            };
            let what = format!("{} {} as {:?}", p.method, p.path, p.who);
            if r.status != p.status {
                failures.push(format!("{what}: expected {}, got {}", p.status, r.status));
            }
            let headers: Vec<String> =
                r.headers.values().map(|v| String::from_utf8_lossy(v.as_bytes()).into()).collect();
            let shown = format!("{}\n{}", headers.join("\n"), r.body);
            for secret in SECRETS.iter().copied().chain(p.also_secret.iter().map(String::as_str)) {
                if shown.contains(secret) {
                    failures.push(format!("{what}: shows {secret:?}"));
                }
            }
            let after = snapshot(&self.app).await;
            let changed: Vec<&str> =
                before.iter().zip(&after).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
            if !changed.is_empty() {
                failures.push(format!("{what}: changed {changed:?}"));
            }
        }
        assert!(failures.is_empty(), "IDOR failures:\n{}", failures.join("\n"));
    }
}

const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
const OK: StatusCode = StatusCode::OK;
const SEE_OTHER: StatusCode = StatusCode::SEE_OTHER;
const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const CONFLICT: StatusCode = StatusCode::CONFLICT;

#[tokio::test]
async fn another_students_complaints_photos_and_lost_reports_are_404_and_show_nothing() {
    let mut t = arrange().await;
    // A student who lost a card of their own is shown the found cards that may be theirs, masked.
    let today = union_portal::web::forms::today().to_string();
    let fields = [("category", "card"), ("what", "校园卡"), ("place", "图书馆"), ("lost_on", today.as_str())];
    let their_report = id_in(t.student.post_form("/lost-found/lost/new", &fields).await.location());
    let matched: i64 = sqlx::query_scalar("select count(*) from lost_match where report_id = $1 and item_id = $2")
        .bind(their_report)
        .bind(t.o.card)
        .fetch_one(&t.app.db)
        .await
        .unwrap();
    assert_eq!(matched, 1, "the owner's card is among their matches");
    let o = &t.o;
    let (p, a, ph) = (&o.private_no, &o.anonymous_no, o.photo_id);
    let mut probes = vec![get(Student, format!("/me/lost/{their_report}"), OK)];
    for who in [Visitor, Student, LifeHead] {
        let signed_in = if matches!(who, Visitor) { SEE_OTHER } else { NOT_FOUND };
        probes.extend([
            get(who, format!("/complaints/{p}"), NOT_FOUND),
            get(who, format!("/complaints/{p}/photos/{ph}"), NOT_FOUND),
            get(who, format!("/complaints/{p}/photos/{ph}?size=thumb"), NOT_FOUND),
            // The photo under a complaint this viewer may see, and the stored file by its name.
            get(who, format!("/complaints/{}/photos/{ph}", o.life_no), NOT_FOUND),
            get(who, format!("/static/{}", o.photo_file), NOT_FOUND),
            get(who, format!("/complaints/{a}"), OK),
            get(who, "/complaints", OK),
            get(who, "/complaints?q=%E7%99%BD%E8%9A%81", OK),
            get(who, "/stats", OK),
            post(who, format!("/complaints/{p}/support"), &[], signed_in),
            post(who, format!("/complaints/{p}/reply"), &[("body", "我也遇到了")], signed_in),
            post(who, format!("/complaints/{p}/confirm"), &[("rating", "1")], signed_in),
            post(who, format!("/complaints/{p}/reopen"), &[("body", "没解决")], signed_in),
            post(who, format!("/complaints/{a}/reply"), &[("body", "冒充投诉人")], signed_in),
            post(who, format!("/complaints/{a}/reopen"), &[("body", "冒充投诉人")], signed_in),
            get(who, format!("/me/lost/{}", o.report), signed_in),
            post(who, format!("/me/lost/{}/close", o.report), &[], signed_in),
            get(who, format!("/lost-found/items/{}", o.card), OK),
            get(who, format!("/lost-found/items/{}/photo", o.card), NOT_FOUND),
            get(who, format!("/lost-found/items/{}/photo?size=thumb", o.card), NOT_FOUND),
            get(who, format!("/lost-found/items/{}", o.umbrella), OK),
            get(who, "/lost-found?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF", OK),
            get(who, format!("/lost-found/bulletins/{}", o.bulletin), OK),
            get(who, format!("/lost-found/bulletins/{}/print", o.bulletin), OK),
            get(who, "/feeds/lost-found.atom", OK),
            // The open data (the API and Open311) answer as the pages do, cookie or none.
            get(who, "/api/v1/complaints", OK),
            get(who, "/api/v1/complaints?q=%E7%99%BD%E8%9A%81", OK),
            get(who, format!("/api/v1/complaints/{p}"), NOT_FOUND),
            get(who, format!("/api/v1/complaints/{a}"), OK),
            get(who, "/api/v1/lost-found/items", OK),
            get(who, "/api/v1/lost-found/items?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF", OK),
            get(who, format!("/api/v1/lost-found/bulletins/{}", o.bulletin), OK),
            get(who, "/api/v1/stats", OK),
            get(who, "/open311/v2/requests.json", OK),
            get(who, format!("/open311/v2/requests/{p}.json"), NOT_FOUND),
            get(who, format!("/open311/v2/requests/{a}.json"), OK),
        ]);
    }
    for who in [Student, LifeHead] {
        probes.extend([
            get(who, "/me", OK).hiding(&[p, a]),
            get(who, "/me/notifications", OK)
                .hiding(&[&format!("/complaints/{p}"), &format!("/lost-found/items/{}", o.card)]),
            post(who, "/me/notifications/read", &[], SEE_OTHER),
            post(who, "/me/notifications/email", &[("email", "on")], SEE_OTHER),
        ]);
    }
    t.run(probes).await;
}

#[tokio::test]
async fn another_department_cannot_reach_a_complaint_or_a_found_item_through_either_prefix() {
    let mut t = arrange().await;
    let o = &t.o;
    let p = &o.private_no;
    let member = t.life_member.to_string();
    let steps: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("transition", vec![("to", "accepted")]),
        ("reply", vec![("body", "已处理")]),
        ("note", vec![("body", "看看")]),
        ("assign", vec![("assignee_id", &member)]),
        ("transfer", vec![("dept", "safety")]),
        ("escalate", vec![]),
        ("agenda", vec![]),
        ("merge", vec![("into", &o.life_no)]),
    ];
    let mut probes = vec![
        get(LifeHead, format!("/d/life/complaints/{p}"), NOT_FOUND),
        get(LifeHead, format!("/d/life/complaints/{}", o.anonymous_no), NOT_FOUND),
        get(LifeHead, format!("/d/rights/complaints/{p}"), FORBIDDEN),
        get(Student, format!("/d/rights/complaints/{p}"), FORBIDDEN),
        // The queue of one's own department lists none of another's.
        get(LifeHead, "/d/life/complaints", OK).hiding(&[p, &o.anonymous_no]),
        get(LifeHead, "/d/life/complaints?q=%E7%99%BD%E8%9A%81", OK).hiding(&[p]),
        // Merging one's own complaint into another department's is a field error.
        post(LifeHead, format!("/d/life/complaints/{}/merge", o.life_no), &[("into", p)], INVALID),
    ];
    for (step, form) in &steps {
        probes.push(post(LifeHead, format!("/d/life/complaints/{p}/{step}"), form, NOT_FOUND));
        probes.push(post(LifeHead, format!("/d/rights/complaints/{p}/{step}"), form, FORBIDDEN));
        probes.push(post(Student, format!("/d/rights/complaints/{p}/{step}"), form, FORBIDDEN));
    }
    let (card, umbrella) = (o.card, o.umbrella);
    let point = o.rights_point.to_string();
    let ids = format!("{umbrella},{card}");
    let today = union_portal::web::forms::today().to_string();
    let point_form =
        [("name_zh", "北区24栋"), ("name_en", "Taken"), ("address", "别处"), ("opening_hours", "每天 7:00–23:00")];
    for item in [card, umbrella] {
        probes.extend([
            get(LifeHead, format!("/d/life/lost-found/items/{item}"), NOT_FOUND),
            get(LifeHead, format!("/d/rights/lost-found/items/{item}"), FORBIDDEN),
            get(Student, format!("/d/rights/lost-found/items/{item}"), FORBIDDEN),
            post(
                LifeHead,
                format!("/d/life/lost-found/items/{item}/claim"),
                &[("claimant_student_no", "2026000101"), ("claimant_name", "路人甲")],
                NOT_FOUND,
            ),
            post(LifeHead, format!("/d/life/lost-found/items/{item}/return"), &[("note", "已送还")], NOT_FOUND),
            post(LifeHead, format!("/d/life/lost-found/items/{item}/dispose"), &[], NOT_FOUND),
            post(LifeHead, format!("/d/rights/lost-found/items/{item}/return"), &[("note", "已送还")], FORBIDDEN),
        ]);
    }
    probes.extend([
        // Listed as expired or not, another department's items are not disposed of.
        post(LifeHead, "/d/life/lost-found/expired/dispose", &[("ids", &ids)], SEE_OTHER),
        post(LifeHead, format!("/d/life/lost-found/points/{point}/update"), &point_form, NOT_FOUND),
        post(
            LifeHead,
            "/d/life/lost-found/items",
            &[
                ("point", &point),
                ("category", "keys"),
                ("description", "钥匙串"),
                ("found_place", "楼下"),
                ("found_on", &today),
            ],
            INVALID,
        )
        .multipart(),
        get(LifeHead, "/d/life/lost-found", OK),
        get(LifeHead, "/d/life/lost-found/register", OK),
        get(LifeHead, "/d/life/lost-found/register.csv", OK),
        get(LifeHead, "/d/life/lost-found/bulletins", OK),
        get(LifeHead, "/d/rights/lost-found/register.csv", FORBIDDEN),
        get(LifeHead, "/d/rights/lost-found/lost-reports", FORBIDDEN),
        get(Student, "/d/rights/lost-found/lost-reports", FORBIDDEN),
    ]);
    t.run(probes).await;
}

#[tokio::test]
async fn another_department_cannot_read_or_edit_an_unpublished_plan() {
    let mut t = arrange().await;
    let o = &t.o;
    let (plan, goal, action, own) = (o.plan, o.goal, o.action, o.life_plan);
    let v = ("version", "1");
    let edits: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("header".into(), vec![("title", "改掉"), ("period", "2026秋"), v]),
        ("goals/add".into(), vec![("title", "新目标")]),
        (format!("goals/{goal}/update"), vec![("title", "改掉"), v]),
        (format!("goals/{goal}/remove"), vec![v]),
        (format!("goals/{goal}/move"), vec![("direction", "up")]),
        (format!("goals/{goal}/actions/add"), vec![("title", "新行动")]),
        (format!("actions/{action}/update"), vec![("title", "改掉"), v]),
        (format!("actions/{action}/remove"), vec![v]),
        (format!("actions/{action}/move"), vec![("direction", "up")]),
        (format!("actions/{action}/progress"), vec![("status", "in_progress"), ("progress", "30"), v]),
        ("steps/submit".into(), vec![]),
        ("public".into(), vec![("public", "1")]),
    ];
    let mut probes = vec![];
    for who in [Visitor, Student, LifeHead] {
        probes.push(get(who, format!("/plans/{plan}"), NOT_FOUND));
        probes.push(get(who, format!("/plans/{plan}/print"), NOT_FOUND));
        probes.push(get(who, "/plans", OK));
    }
    for page in ["", "/history", "/print", "/export.md"] {
        probes.push(get(LifeHead, format!("/d/life/plans/{plan}{page}"), NOT_FOUND));
        probes.push(get(LifeHead, format!("/d/rights/plans/{plan}{page}"), FORBIDDEN));
        probes.push(get(Student, format!("/d/rights/plans/{plan}{page}"), FORBIDDEN));
    }
    for (edit, form) in &edits {
        probes.push(post(LifeHead, format!("/d/life/plans/{plan}/{edit}"), form, NOT_FOUND));
        probes.push(post(LifeHead, format!("/d/rights/plans/{plan}/{edit}"), form, FORBIDDEN));
        // Another plan's goal or action, through one's own plan.
        if (edit.starts_with("goals/") && edit != "goals/add") || edit.starts_with("actions/") {
            probes.push(post(LifeHead, format!("/d/life/plans/{own}/{edit}"), form, NOT_FOUND));
        }
    }
    probes.extend([
        get(LifeHead, "/d/life/plans", OK),
        get(LifeHead, format!("/d/life/plans/{own}"), OK),
        get(LifeHead, "/presidium/plans", FORBIDDEN),
        // Carrying over another department's plan is a field error.
        post(
            LifeHead,
            "/d/life/plans/new",
            &[("title", "新计划"), ("period", "2026秋"), ("from", &plan.to_string())],
            INVALID,
        ),
    ]);
    t.run(probes).await;
}

#[tokio::test]
async fn another_department_cannot_reach_a_reception_session_its_delegates_or_commitments() {
    let mut t = arrange().await;
    let o = &t.o;
    let (session, own, code) = (o.session, o.life_session, o.code.clone());
    let own_code = t.app.session_code(own).await;
    let delegate_form = [("college", "法学院"), ("student_no", "2026000199"), ("name", "代表赵六")];
    let minute_form = [("question", "图书馆能否通宵？"), ("answered_by", "图书馆"), ("answer", "试行。")];
    let form = session_seed(&t.app, "rights", "改掉的主题").fields();
    let session_fields: Vec<(&str, &str)> = refs(&form);
    let complaint = o.private_id.to_string();
    let acts: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("delegates/add".into(), delegate_form.to_vec()),
        (format!("delegates/{}/remove", o.delegate), vec![]),
        (format!("questions/{}/agenda", o.question), vec![]),
        ("agenda/complaint".into(), vec![("complaint_id", &complaint)]),
        ("minutes".into(), minute_form.to_vec()),
        ("update".into(), session_fields.clone()),
        ("close-signup".into(), vec![]),
    ];
    let mut probes = vec![
        get(LifeHead, format!("/d/life/reception/{session}"), NOT_FOUND),
        get(LifeHead, format!("/d/rights/reception/{session}"), FORBIDDEN),
        get(Student, format!("/d/rights/reception/{session}"), FORBIDDEN),
        get(LifeHead, "/d/life/reception", OK),
        get(LifeHead, format!("/d/life/reception/{own}"), OK),
    ];
    for (act, form) in &acts {
        probes.push(post(LifeHead, format!("/d/life/reception/{session}/{act}"), form, NOT_FOUND));
        probes.push(post(LifeHead, format!("/d/rights/reception/{session}/{act}"), form, FORBIDDEN));
    }
    let update = [("body", "已完成"), ("status", "done")];
    probes.extend([
        post(LifeHead, format!("/d/life/commitments/{}/update", o.commitment), &update, NOT_FOUND).multipart(),
        post(LifeHead, format!("/d/rights/commitments/{}/update", o.commitment), &update, FORBIDDEN).multipart(),
        post(Student, format!("/d/rights/commitments/{}/update", o.commitment), &update, FORBIDDEN).multipart(),
        // Another session's delegate, question or complaint, through one's own session.
        post(LifeHead, format!("/d/life/reception/{own}/delegates/{}/remove", o.delegate), &[], NOT_FOUND),
        post(LifeHead, format!("/d/life/reception/{own}/questions/{}/agenda", o.question), &[], NOT_FOUND),
        post(
            LifeHead,
            format!("/d/life/reception/{own}/minutes"),
            &[("question_id", &o.question.to_string()), ("answered_by", "后勤处"), ("answer", "好。")],
            INVALID,
        ),
        post(LifeHead, format!("/d/life/reception/{own}/agenda/complaint"), &[("complaint_id", &complaint)], NOT_FOUND),
        // A vote for this session's question through another session's page.
        post(Student, format!("/reception/{own_code}/questions/{}/vote", o.question), &[], NOT_FOUND),
        // The public pages show the session, never who sits or asked anonymously.
        get(Student, format!("/reception/{code}"), OK),
        get(LifeHead, format!("/reception/{code}"), OK),
        get(Visitor, format!("/reception/{code}"), OK),
        get(Visitor, "/reception.ics", OK),
        get(Visitor, "/feeds/reception.atom", OK),
        get(Visitor, format!("/api/v1/reception/days/{code}"), OK),
        get(LifeHead, format!("/api/v1/reception/days/{code}"), OK),
        get(Visitor, "/api/v1/reception/days", OK),
        get(Student, "/api/v1/commitments", OK),
        get(Student, format!("/commitments/{}", o.commitment), OK),
        get(Student, "/commitments", OK),
        // An update's photo under another commitment.
        get(Student, format!("/commitments/{}/photos/{}", o.other_commitment, o.update), NOT_FOUND),
    ]);
    t.run(probes).await;
}

#[tokio::test]
async fn another_department_that_runs_events_cannot_reach_an_event_its_applications_or_witnesses() {
    let mut t = arrange().await;
    let o = &t.o;
    let (event, own, application, witness) = (o.event, o.life_event, o.application, o.witness);
    let code = o.check_code.clone();
    let mut form = super::authz::event_form();
    form.retain(|(k, _)| k != "title");
    form.push(("title".into(), "改掉的活动".into()));
    let event_form = refs(&form);
    let witness_form = [("student_no", "2026000101"), ("label", "冒名见证人")];
    // Reading and the door: a member of 生活卫生部 may, in their own department.
    let door: Vec<(&str, String)> = vec![
        ("GET", String::new()),
        ("GET", "/attendance".into()),
        ("GET", format!("/attendance?q={OWNER_NO}")),
        ("GET", format!("/attendance?q={code}")),
        ("POST", format!("/attendance/{application}")),
        ("GET", "/export.csv".into()),
        ("GET", "/export.xlsx".into()),
    ];
    // Editing: a vice head and up.
    let edits: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("update".into(), event_form.clone()),
        ("cancel".into(), vec![]),
        ("witnesses/add".into(), witness_form.to_vec()),
        (format!("witnesses/{witness}/remove"), vec![]),
        ("draw".into(), vec![("public_value", "12345")]),
    ];
    let mut probes = vec![
        get(LifeHead, format!("/d/rights/events/{event}"), FORBIDDEN),
        get(LifeMember, format!("/d/rights/events/{event}"), FORBIDDEN),
        get(Student, format!("/d/rights/events/{event}"), FORBIDDEN),
        get(Student, format!("/d/rights/events/{event}/export.csv"), FORBIDDEN),
        // Their own department's list and event show nothing of the rights department's.
        get(LifeHead, "/d/life/events", OK).hiding(&["权益部食堂开放日", &code]),
        get(LifeMember, "/d/life/events", OK).hiding(&["权益部食堂开放日", &code]),
        get(LifeHead, format!("/d/life/events/{own}"), OK).hiding(&[&code]),
        // The search box repeats the code; the owner's name (a secret) would show with a match.
        get(LifeMember, format!("/d/life/events/{own}/attendance?q={code}"), OK),
        // The rights event's application and witness, through 生活卫生部's own event: nothing happens.
        post(LifeMember, format!("/d/life/events/{own}/attendance/{application}"), &[], SEE_OTHER),
        post(LifeHead, format!("/d/life/events/{own}/witnesses/{witness}/remove"), &[], NOT_FOUND),
        // The public pages show the event, never who applied, their answers or their code.
        get(Visitor, format!("/events/{event}"), OK).hiding(&[&code]),
        get(Student, format!("/events/{event}"), OK).hiding(&[&code]),
        get(LifeHead, format!("/events/{event}"), OK).hiding(&[&code]),
        get(Visitor, format!("/events/{event}/draw"), OK).hiding(&[&code]),
        get(Visitor, format!("/api/v1/events/{event}"), OK).hiding(&[&code]),
        get(LifeHead, format!("/api/v1/events/{event}"), OK).hiding(&[&code]),
        get(Student, "/api/v1/events", OK).hiding(&[&code]),
        get(Visitor, format!("/events/{event}/draw.json"), NOT_FOUND),
        get(Visitor, "/events", OK),
        get(Visitor, "/events.ics", OK),
        get(Visitor, "/feeds/events.atom", OK),
        // Another student's buttons reach only their own application (they have none) or witness (none).
        post(Student, format!("/events/{event}/withdraw"), &[], SEE_OTHER),
        post(Student, format!("/events/{event}/confirm"), &[], CONFLICT),
        post(Student, format!("/events/{event}/commit"), &[("commitment", &"ab".repeat(32))], FORBIDDEN),
        post(Student, format!("/events/{event}/reveal"), &[("secret", "guess")], FORBIDDEN),
        post(LifeHead, format!("/events/{event}/commit"), &[("commitment", &"ab".repeat(32))], FORBIDDEN),
    ];
    for (method, page) in &door {
        let path = |dept: &str| format!("/d/{dept}/events/{event}{page}");
        for (who, dept, status) in
            [(LifeHead, "life", NOT_FOUND), (LifeMember, "life", NOT_FOUND), (LifeHead, "rights", FORBIDDEN)]
        {
            probes.push(match *method {
                "GET" => get(who, path(dept), status).hiding(&[&code]),
                _ => post(who, path(dept), &[], status),
            });
        }
    }
    for (edit, form) in &edits {
        probes.push(post(LifeHead, format!("/d/life/events/{event}/{edit}"), form, NOT_FOUND));
        // The role comes first: a member may not edit at all, whichever event.
        probes.push(post(LifeMember, format!("/d/life/events/{event}/{edit}"), form, FORBIDDEN));
        probes.push(post(LifeHead, format!("/d/rights/events/{event}/{edit}"), form, FORBIDDEN));
    }
    t.run(probes).await;
}
