//! The audit trail over the real router: every staff action of every area, taken
//! through its form, leaves one entry saying who, what, which object, where, when,
//! and what changed (before → after); administrators read every entry, a page at a
//! time; heads cannot demote one another; and nothing in the portal can change the
//! trail, not even the app's own database pool.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{json, Value};

use crate::helpers::{refs, Browser, SessionSeed, TestApp, TestResponse};

/// One row of `audit_log`, with the actor's student number and the department's slug.
#[derive(Debug)]
struct Entry {
    audit_id: i64,
    actor: Option<String>,
    dept: Option<String>,
    action: String,
    object_type: String,
    object_id: String,
    at: DateTime<Utc>,
    before: Option<Value>,
    after: Option<Value>,
}

type Row = (i64, Option<String>, Option<String>, String, String, String, DateTime<Utc>, Option<Value>, Option<Value>);

impl Entry {
    /// `before` (Null when there is none), to index into.
    fn b(&self) -> &Value {
        self.before.as_ref().unwrap_or(&Value::Null)
    }
    fn a(&self) -> &Value {
        self.after.as_ref().unwrap_or(&Value::Null)
    }
}

/// Reads the entries written since the last look, and checks the facts every entry must carry.
struct Trail {
    started: DateTime<Utc>,
    seen: i64,
}

impl Trail {
    async fn start(app: &TestApp) -> Trail {
        let mut t = Trail { started: Utc::now().trunc_subsecs(6), seen: 0 };
        t.skip(app).await;
        t
    }

    /// Forget what was written so far (arrangements that are not under test).
    async fn skip(&mut self, app: &TestApp) {
        self.seen =
            sqlx::query_scalar("select coalesce(max(audit_id), 0) from audit_log").fetch_one(&app.db).await.unwrap();
    }

    /// The entries written since the last look, oldest first.
    async fn new_entries(&mut self, app: &TestApp) -> Vec<Entry> {
        let rows: Vec<Row> = sqlx::query_as(
            "select a.audit_id, u.student_no, d.slug, a.action, a.object_type, a.object_id, a.at, a.before, a.after
             from audit_log a left join app_user u on u.user_id = a.actor_id
                              left join department d on d.department_id = a.department_id
             where a.audit_id > $1 order by a.audit_id",
        )
        .bind(self.seen)
        .fetch_all(&app.db)
        .await
        .unwrap();
        let entries: Vec<Entry> = rows
            .into_iter()
            .map(|(audit_id, actor, dept, action, object_type, object_id, at, before, after)| Entry {
                audit_id,
                actor,
                dept,
                action,
                object_type,
                object_id,
                at,
                before,
                after,
            })
            .collect();
        if let Some(last) = entries.last() {
            self.seen = last.audit_id;
        }
        let now = Utc::now();
        for e in &entries {
            assert!(e.at >= self.started && e.at <= now, "written during the test: {e:?}");
        }
        entries
    }

    /// Exactly one new entry: by `actor`, `action` on `object` (type, id), filed under `dept`.
    async fn one(
        &mut self,
        app: &TestApp,
        actor: &str,
        action: &str,
        object: (&str, &str),
        dept: Option<&str>,
    ) -> Entry {
        let mut entries = self.new_entries(app).await;
        assert_eq!(entries.len(), 1, "one entry for {action}: {entries:?}");
        let e = entries.remove(0);
        check(&e, actor, action, object, dept);
        e
    }
}

fn check(e: &Entry, actor: &str, action: &str, (object_type, object_id): (&str, &str), dept: Option<&str>) {
    assert_eq!(e.actor.as_deref(), Some(actor), "who: {e:?}");
    assert_eq!(e.action, action, "what: {e:?}");
    assert_eq!((e.object_type.as_str(), e.object_id.as_str()), (object_type, object_id), "which: {e:?}");
    assert_eq!(e.dept.as_deref(), dept, "where: {e:?}");
}

fn see_other(r: &TestResponse) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn id_of(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(&app.db).await.unwrap()
}

const HANDLER: &str = "2026700002";

#[tokio::test]
async fn every_complaint_step_leaves_an_entry_with_the_state_before_and_after() {
    let app = TestApp::spawn().await;
    let mut student = app.browser_signed_in(app.create_user("2026700001", "投诉同学").await).await;
    let handler_id = app.create_user(HANDLER, "权益部员").await;
    app.grant(HANDLER, "rights", "member").await;
    let mut h = app.browser_signed_in(handler_id).await;
    let no = app.complaint().category("canteen").title("食堂饭菜有异物").by(&mut student).file().await;
    let duplicate = app.complaint().category("canteen").title("食堂饭菜里有头发").by(&mut student).file().await;
    let mut trail = Trail::start(&app).await;
    let case = format!("/d/rights/complaints/{no}");
    let on = ("complaint", no.as_str());

    see_other(&h.post_form(&format!("{case}/transition"), &[("to", "accepted")]).await);
    let e = trail.one(&app, HANDLER, "complaint.transition", on, Some("rights")).await;
    assert_eq!((&e.b()["status"], &e.a()["status"]), (&json!("submitted"), &json!("accepted")));

    let reply = "已联系后勤处，本周内更换餐具。";
    see_other(&h.post_form(&format!("{case}/reply"), &[("body", reply)]).await);
    let e = trail.one(&app, HANDLER, "complaint.reply", on, Some("rights")).await;
    assert_eq!((e.before.as_ref(), &e.a()["body"]), (None, &json!(reply)), "the reply's text");

    let note = "备注".repeat(400);
    see_other(&h.post_form(&format!("{case}/note"), &[("body", &note)]).await);
    let e = trail.one(&app, HANDLER, "complaint.note", on, Some("rights")).await;
    let kept = e.a()["body"].as_str().expect("the note's text");
    assert!(kept.starts_with("备注备注") && kept.ends_with('…'), "{kept}");
    assert_eq!(kept.chars().count(), 501, "a long note is cut to a sane length");

    let r = h.post_form(&format!("{case}/assign"), &[("assignee_id", &handler_id.to_string())]).await;
    see_other(&r);
    let e = trail.one(&app, HANDLER, "complaint.assign", on, Some("rights")).await;
    assert_eq!((&e.b()["assignee_id"], &e.a()["assignee_id"]), (&Value::Null, &json!(handler_id)));

    see_other(&h.post_form(&format!("{case}/escalate"), &[]).await);
    let e = trail.one(&app, HANDLER, "complaint.escalate", on, Some("rights")).await;
    assert_eq!((e.b(), e.a()), (&json!({ "escalated": false }), &json!({ "escalated": true })));

    see_other(&h.post_form(&format!("{case}/agenda"), &[]).await);
    let e = trail.one(&app, HANDLER, "complaint.agenda", on, Some("rights")).await;
    assert_eq!((e.b(), e.a()), (&json!({ "on_reception_agenda": false }), &json!({ "on_reception_agenda": true })));

    see_other(&h.post_form(&format!("/d/rights/complaints/{duplicate}/merge"), &[("into", &no)]).await);
    let e = trail.one(&app, HANDLER, "complaint.merge", ("complaint", &duplicate), Some("rights")).await;
    assert_eq!((e.b(), e.a()), (&json!({ "merged_into": null }), &json!({ "merged_into": no })));

    see_other(&h.post_form(&format!("{case}/transfer"), &[("dept", "life")]).await);
    let e = trail.one(&app, HANDLER, "complaint.transfer", on, Some("rights")).await;
    assert_eq!((e.b(), e.a()), (&json!({ "department": "rights" }), &json!({ "department": "life" })));
}

const ADMIN: &str = "2026710001";

async fn admin(app: &TestApp) -> Browser {
    let id = app.create_user(ADMIN, "管理员").await;
    app.grant_union(ADMIN, "admin").await;
    app.browser_signed_in(id).await
}

#[tokio::test]
async fn complaint_setup_records_each_change_before_and_after_and_a_taken_office_name_is_a_field_error() {
    let app = TestApp::spawn().await;
    let mut admin = admin(&app).await;
    let mut trail = Trail::start(&app).await;

    let add = [("slug", "net"), ("name_zh", "校园网"), ("name_en", "Campus network"), ("dept", "safety")];
    see_other(&admin.post_form("/admin/complaint-setup/categories/add", &add).await);
    let id = id_of(&app, "select category_id from complaint_category where slug = $1", "net").await.to_string();
    let e = trail.one(&app, ADMIN, "complaint_category.save", ("complaint_category", &id), None).await;
    assert_eq!(e.before, None);
    assert_eq!(e.a(), &json!({ "name_zh": "校园网", "name_en": "Campus network", "department": "safety" }));

    let change = [("name_zh", "校园网络"), ("name_en", "Campus network"), ("dept", "rights")];
    see_other(&admin.post_form(&format!("/admin/complaint-setup/categories/{id}/update"), &change).await);
    let e = trail.one(&app, ADMIN, "complaint_category.save", ("complaint_category", &id), None).await;
    assert_eq!(e.b(), &json!({ "name_zh": "校园网", "name_en": "Campus network", "department": "safety" }));
    assert_eq!(e.a(), &json!({ "name_zh": "校园网络", "name_en": "Campus network", "department": "rights" }));

    let add = [("name_zh", "网络中心"), ("name_en", "Network Centre")];
    see_other(&admin.post_form("/admin/complaint-setup/offices/add", &add).await);
    let office = id_of(&app, "select office_id from school_office where name_zh = $1", "网络中心").await.to_string();
    let e = trail.one(&app, ADMIN, "school_office.save", ("school_office", &office), None).await;
    assert_eq!((e.before.as_ref(), &e.a()["name_zh"]), (None, &json!("网络中心")));

    let path = format!("/admin/complaint-setup/offices/{office}/update");
    see_other(&admin.post_form(&path, &[("name_zh", "网络信息中心"), ("name_en", "Network Centre")]).await);
    let e = trail.one(&app, ADMIN, "school_office.save", ("school_office", &office), None).await;
    assert_eq!(e.b(), &json!({ "name_zh": "网络中心", "name_en": "Network Centre" }));
    assert_eq!(e.a(), &json!({ "name_zh": "网络信息中心", "name_en": "Network Centre" }));

    // Renaming to a name another office has: the field says so, as for a new office.
    let r = admin.post_form(&path, &[("name_zh", "后勤处"), ("name_en", "Logistics")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.field_error("office_name_zh").as_deref(), Some("这个名称已被使用。"));
    assert_eq!(r.value_by_id("f-office_name_zh").as_deref(), Some("后勤处"), "what was typed is kept");
    let name: String = sqlx::query_scalar("select name_zh from school_office where office_id = $1")
        .bind(office.parse::<i64>().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "网络信息中心", "nothing changed");
    assert!(trail.new_entries(&app).await.is_empty(), "and nothing was recorded");
}

const OFFICER: &str = "2026720001";
const VICE: &str = "2026720002";

async fn expire(app: &TestApp, items: &[i64]) {
    sqlx::query("update found_item set registered_at = now() - interval '100 days' where item_id = any($1)")
        .bind(items)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_lost_and_found_step_leaves_an_entry_and_a_claimants_number_is_masked() {
    let app = TestApp::spawn().await;
    let officer_id = app.create_user(OFFICER, "权益部员").await;
    app.grant(OFFICER, "rights", "member").await;
    let vice_id = app.create_user(VICE, "权益副部长").await;
    app.grant(VICE, "rights", "vice_head").await;
    let (mut o, mut vice) = (app.browser_signed_in(officer_id).await, app.browser_signed_in(vice_id).await);
    let mut trail = Trail::start(&app).await;
    let desk = "/d/rights/lost-found";
    let rights = Some("rights");
    let point = app.point_id("北区图书馆").await;

    let item = app.found_item(&point).category("umbrella").description("黑色雨伞").by(&mut o).register().await;
    let e = trail.one(&app, OFFICER, "lost_item.register", ("found_item", &item.to_string()), rights).await;
    assert_eq!(
        (e.before.as_ref(), &e.a()["category"], &e.a()["description"]),
        (None, &json!("umbrella"), &json!("黑色雨伞"))
    );

    let claim = [("claimant_student_no", "2021123412"), ("claimant_name", "张三"), ("note", "核对了颜色")];
    see_other(&o.post_form(&format!("{desk}/items/{item}/claim"), &claim).await);
    let e = trail.one(&app, OFFICER, "lost_item.close", ("found_item", &item.to_string()), rights).await;
    assert_eq!(e.b(), &json!({ "status": "held" }));
    assert_eq!(
        e.a(),
        &json!({ "status": "claimed", "claimant": { "student_no": "2021****12", "name": "张三" }, "note": "核对了颜色" })
    );
    assert!(!e.a().to_string().contains("2021123412"), "the student number is personal data: masked");

    let returned = app.found_item(&point).category("wallet").description("棕色钱包").by(&mut o).register().await;
    trail.skip(&app).await;
    see_other(&o.post_form(&format!("{desk}/items/{returned}/return"), &[("note", "送到了宿舍")]).await);
    let e = trail.one(&app, OFFICER, "lost_item.close", ("found_item", &returned.to_string()), rights).await;
    assert_eq!(
        (&e.b()["status"], &e.a()["status"], &e.a()["note"]),
        (&json!("held"), &json!("returned"), &json!("送到了宿舍"))
    );

    let mut old = vec![];
    for _ in 0..3 {
        old.push(app.found_item(&point).category("books").description("高等数学").by(&mut o).register().await);
    }
    expire(&app, &old).await;
    trail.skip(&app).await;
    see_other(&o.post_form(&format!("{desk}/items/{}/dispose", old[0]), &[]).await);
    let e = trail.one(&app, OFFICER, "lost_item.dispose", ("found_item", &old[0].to_string()), rights).await;
    assert_eq!((&e.b()["status"], &e.a()["status"]), (&json!("held"), &json!("disposed")));

    // The batch disposal: one entry per item, each naming its item.
    let ids = format!("{},{}", old[1], old[2]);
    see_other(&o.post_form(&format!("{desk}/expired/dispose"), &[("ids", &ids)]).await);
    let entries = trail.new_entries(&app).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    for (e, id) in entries.iter().zip(&old[1..]) {
        check(e, OFFICER, "lost_item.dispose", ("found_item", &id.to_string()), rights);
        assert_eq!((&e.b()["status"], &e.a()["status"]), (&json!("held"), &json!("disposed")));
    }

    app.found_item(&point).category("keys").description("钥匙串").by(&mut o).register().await;
    trail.skip(&app).await;
    see_other(&o.post_form(&format!("{desk}/bulletins/publish"), &[]).await);
    let e = trail.one(&app, OFFICER, "bulletin.publish", ("bulletin", "57"), rights).await;
    assert_eq!(e.a(), &json!({ "number": 57, "items": 1 }), "only what is still held is announced");

    let point = [
        ("name_zh", "南区食堂"),
        ("name_en", "South: Canteen"),
        ("address", "南区食堂一楼"),
        ("opening_hours", "每天 8:00–20:00"),
    ];
    see_other(&vice.post_form(&format!("{desk}/points/add"), &point).await);
    let id = id_of(&app, "select point_id from collection_point where name_zh = $1", "南区食堂").await.to_string();
    let e = trail.one(&app, VICE, "collection_point.save", ("collection_point", &id), rights).await;
    assert_eq!((e.before.as_ref(), &e.a()["opening_hours"]), (None, &json!("每天 8:00–20:00")));

    let changed = [
        ("name_zh", "南区食堂"),
        ("name_en", "South: Canteen"),
        ("address", "南区食堂一楼"),
        ("opening_hours", "工作日 9:00–17:00"),
        ("archived", "on"),
    ];
    see_other(&vice.post_form(&format!("{desk}/points/{id}/update"), &changed).await);
    let e = trail.one(&app, VICE, "collection_point.save", ("collection_point", &id), rights).await;
    let facts = |hours: &str, archived: bool| {
        json!({ "name_zh": "南区食堂", "name_en": "South: Canteen", "address": "南区食堂一楼",
                "opening_hours": hours, "sort_order": 100, "archived": archived })
    };
    assert_eq!((e.b(), e.a()), (&facts("每天 8:00–20:00", false), &facts("工作日 9:00–17:00", true)));
}

const ORGANISER: &str = "2026730001";
const ASKER: &str = "2026730002";

/// A session's form a week from now; `topic`, `open_seats`, `leaders` and `quotas` vary, the rest does not.
fn session_form(start: DateTime<Utc>, topic: &str, seats: &str, leaders: &str, quotas: &str) -> Vec<(String, String)> {
    SessionSeed::default()
        .starts_at(start)
        .topic(topic)
        .open_seats(seats)
        .leaders(leaders)
        .quotas(quotas)
        .signup_opens_at(start - Duration::days(8))
        .fields()
}

#[tokio::test]
async fn every_organiser_step_leaves_an_entry_with_every_field_it_changed() {
    let app = TestApp::spawn().await;
    let organiser_id = app.create_user(ORGANISER, "权益副部长").await;
    app.grant(ORGANISER, "rights", "vice_head").await;
    let mut org = app.browser_signed_in(organiser_id).await;
    let mut asker = app.browser_signed_in(app.create_user(ASKER, "提问同学").await).await;
    let mut trail = Trail::start(&app).await;
    let rights = Some("rights");

    let start = Utc::now() + Duration::days(7);
    let form = session_form(start, "食堂", "20", "王建国 副校长\n李明 后勤处处长", "法学院 2\n计算机学院 1");
    let r = org.post_form("/d/rights/reception/new", &refs(&form)).await;
    see_other(&r);
    let session = r.location().unwrap().rsplit('/').next().unwrap().to_string();
    let on = ("reception_session", session.as_str());
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    assert_eq!(
        (e.before.as_ref(), &e.a()["kind"], &e.a()["place"]),
        (None, &json!("leaders"), &json!("行政楼一楼报告厅"))
    );
    let manage = format!("/d/rights/reception/{session}");

    let form = session_form(start, "食堂与宿舍", "30", "王建国 副校长", "法学院 3\n计算机学院 1");
    see_other(&org.post_form(&format!("{manage}/update"), &refs(&form)).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    let keys = |v: &Value| v.as_object().expect("an object").keys().cloned().collect::<BTreeSet<_>>();
    let changed: BTreeSet<String> = ["leaders", "open_seats", "quotas", "topic"].map(String::from).into();
    assert_eq!((keys(e.b()), keys(e.a())), (changed.clone(), changed), "every field that changed, and only those");
    assert_eq!((&e.b()["topic"], &e.a()["topic"]), (&json!("食堂"), &json!("食堂与宿舍")));
    assert_eq!((&e.b()["open_seats"], &e.a()["open_seats"]), (&json!(20), &json!(30)));
    assert_eq!(
        (&e.b()["leaders"], &e.a()["leaders"]),
        (&json!(["王建国 副校长", "李明 后勤处处长"]), &json!(["王建国 副校长"]))
    );
    assert_eq!(
        (&e.b()["quotas"], &e.a()["quotas"]),
        (&json!({ "法学院": 2, "计算机学院": 1 }), &json!({ "法学院": 3, "计算机学院": 1 }))
    );
    let form = session_form(start + Duration::hours(1), "食堂与宿舍", "30", "王建国 副校长", "法学院 3\n计算机学院 1");
    see_other(&org.post_form(&format!("{manage}/update"), &refs(&form)).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    let moved: BTreeSet<String> =
        ["ends_at", "signup_closes_at", "signup_opens_at", "starts_at"].map(String::from).into();
    assert_eq!(keys(e.a()), moved, "a new time: the times, and nothing else");
    let at = |v: &Value| serde_json::from_value::<DateTime<Utc>>(v["starts_at"].clone()).expect("a time");
    assert_eq!(at(e.a()) - at(e.b()), Duration::hours(1), "from the old time to the new one");

    let delegate = [("college", "法学院"), ("student_no", "2026730009"), ("name", "代表甲")];
    see_other(&org.post_form(&format!("{manage}/delegates/add"), &delegate).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    let named = json!({ "student_no": "2026****09", "name": "代表甲", "college": "法学院" });
    assert_eq!(e.a(), &json!({ "delegate_added": named }));
    let delegate_id =
        id_of(&app, "select delegate_id from reception_delegate where student_no = $1", "2026730009").await;
    see_other(&org.post_form(&format!("{manage}/delegates/{delegate_id}/remove"), &[]).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    assert_eq!(
        (e.b(), e.a()),
        (&json!({ "delegate": named }), &json!({ "delegate_removed": delegate_id })),
        "who was removed"
    );

    let code = app.session_code(session.parse().unwrap()).await;
    see_other(&asker.post_form(&format!("/reception/{code}/questions"), &[("body", "食堂能否延长营业时间？")]).await);
    trail.skip(&app).await;
    let question =
        id_of(&app, "select question_id from reception_question where body = $1", "食堂能否延长营业时间？").await;
    for on_agenda in [true, false] {
        see_other(&org.post_form(&format!("{manage}/questions/{question}/agenda"), &[]).await);
        let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
        assert_eq!(
            (e.b(), e.a()),
            (
                &json!({ "question_id": question, "on_agenda": !on_agenda }),
                &json!({ "question_id": question, "on_agenda": on_agenda })
            ),
            "the new state"
        );
    }

    let no = app.complaint().category("canteen").title("食堂排队太久").by(&mut asker).file().await;
    let complaint = id_of(
        &app,
        "update complaint set on_reception_agenda = true where tracking_no = $1 returning complaint_id",
        &no,
    )
    .await;
    trail.skip(&app).await;
    see_other(&org.post_form(&format!("{manage}/agenda/complaint"), &[("complaint_id", &complaint.to_string())]).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    let q: i64 = sqlx::query_scalar("select question_id from reception_question where complaint_id = $1")
        .bind(complaint)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(e.a(), &json!({ "agenda_complaint": complaint, "question_id": q, "on_agenda": true }));

    see_other(&org.post_form(&format!("{manage}/close-signup"), &[]).await);
    let e = trail.one(&app, ORGANISER, "reception_session.save", on, rights).await;
    assert_eq!((e.b(), e.a()), (&json!({ "signup_closed_early": false }), &json!({ "signup_closed_early": true })));

    let office = id_of(&app, "select office_id from school_office where name_zh = $1", "后勤处").await.to_string();
    let due = (union_portal::web::forms::today() + Duration::days(30)).to_string();
    let minute = [
        ("question", "宿舍热水不稳定？"),
        ("answered_by", "后勤处"),
        ("answer", "下月前修好。"),
        ("commitment", "修好北区热水"),
        ("office_id", office.as_str()),
        ("due_on", due.as_str()),
    ];
    see_other(&org.post_form(&format!("{manage}/minutes"), &minute).await);
    let entries = trail.new_entries(&app).await;
    assert_eq!(entries.len(), 2, "the minute and its commitment: {entries:?}");
    check(&entries[0], ORGANISER, "reception_session.save", on, rights);
    assert_eq!(
        (&entries[0].a()["question"], &entries[0].a()["answer"]),
        (&json!("宿舍热水不稳定？"), &json!("下月前修好。"))
    );
    let commitment =
        id_of(&app, "select commitment_id from commitment where what = $1", "修好北区热水").await.to_string();
    check(&entries[1], ORGANISER, "commitment.save", ("commitment", &commitment), rights);
    assert_eq!((&entries[1].a()["what"], &entries[1].a()["due_on"]), (&json!("修好北区热水"), &json!(due)));

    let update = [("body", "已动工"), ("status", "in_progress")];
    see_other(&org.post_multipart(&format!("/d/rights/commitments/{commitment}/update"), &update, &[]).await);
    let e = trail.one(&app, ORGANISER, "commitment.save", ("commitment", &commitment), rights).await;
    assert_eq!(
        (e.b(), e.a()),
        (&json!({ "status": "pending" }), &json!({ "status": "in_progress", "body": "已动工" }))
    );
}

#[tokio::test]
async fn an_organiser_step_whose_entry_cannot_be_written_changes_nothing() {
    let app = TestApp::spawn().await;
    let organiser_id = app.create_user(ORGANISER, "权益副部长").await;
    app.grant(ORGANISER, "rights", "vice_head").await;
    let mut org = app.browser_signed_in(organiser_id).await;
    let form = session_form(Utc::now() + Duration::days(7), "食堂", "20", "王建国 副校长", "法学院 2");
    let r = org.post_form("/d/rights/reception/new", &refs(&form)).await;
    see_other(&r);
    let manage = r.location().unwrap().to_string();
    let delegate = [("college", "法学院"), ("student_no", "2026730009"), ("name", "代表甲")];
    see_other(&org.post_form(&format!("{manage}/delegates/add"), &delegate).await);
    let delegate_id =
        id_of(&app, "select delegate_id from reception_delegate where student_no = $1", "2026730009").await;
    // This test's own database refuses new entries: the change must go with its entry.
    for sql in [
        "create function refuse_entry() returns trigger language plpgsql as $$ begin raise exception 'no entry'; end $$",
        "create trigger refuse_entry before insert on audit_log for each row execute function refuse_entry()",
    ] {
        sqlx::query(sql).execute(&app.db).await.unwrap();
    }

    let r = org.post_form(&format!("{manage}/delegates/{delegate_id}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let left: i64 = sqlx::query_scalar("select count(*) from reception_delegate where delegate_id = $1")
        .bind(delegate_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 1, "the delegate is still there: no change without its entry");
}

const HEAD: &str = "2026740001";
const PRESIDENT: &str = "2026740004";
const OWNER: &str = "2026740003";

async fn version_of(app: &TestApp, table: &str, id: i64) -> String {
    let (table, key) = match table {
        "goal" => ("plan_goal", "goal_id"),
        "action" => ("plan_action", "action_id"),
        _ => ("plan", "plan_id"),
    };
    let column = if table == "plan" { "header_version" } else { "version" };
    let v: i32 = sqlx::query_scalar(&format!("select {column} from {table} where {key} = $1"))
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    v.to_string()
}

#[tokio::test]
async fn every_plan_edit_records_what_it_changed_from() {
    let app = TestApp::spawn().await;
    let head_id = app.create_user(HEAD, "部长").await;
    app.grant(HEAD, "rights", "head").await;
    let owner_id = app.create_user(OWNER, "部员").await;
    app.grant(OWNER, "rights", "member").await;
    let president_id = app.create_user(PRESIDENT, "主席").await;
    app.grant_union(PRESIDENT, "presidium").await;
    let mut head = app.browser_signed_in(head_id).await;
    let mut owner = app.browser_signed_in(owner_id).await;
    let mut president = app.browser_signed_in(president_id).await;
    let mut trail = Trail::start(&app).await;
    let rights = Some("rights");

    let r = head.post_form("/d/rights/plans/new", &[("title", "工作计划"), ("period", "2026秋")]).await;
    see_other(&r);
    let plan_id: i64 = r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let (plan, on) = (format!("/d/rights/plans/{plan_id}"), plan_id.to_string());
    let on = ("plan", on.as_str());
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!((e.before.as_ref(), &e.a()["change"]["title"]), (None, &json!("工作计划")));

    let version = version_of(&app, "plan", plan_id).await;
    let header = [("title", "权益服务部工作计划"), ("period", "2026秋"), ("version", version.as_str())];
    see_other(&head.post_form(&format!("{plan}/header"), &header).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!(
        (&e.b()["change"], &e.a()["change"]),
        (&json!({ "title": "工作计划" }), &json!({ "title": "权益服务部工作计划" }))
    );
    assert_eq!(
        e.b()["version"].as_i64().unwrap() + 1,
        e.a()["version"].as_i64().unwrap(),
        "from one version to the next"
    );

    see_other(&head.post_form(&format!("{plan}/goals/add"), &[("title", "定位清晰")]).await);
    see_other(&head.post_form(&format!("{plan}/goals/add"), &[("title", "重视宣传")]).await);
    let entries = trail.new_entries(&app).await;
    assert_eq!(
        (entries.len(), &entries[0].a()["change"]["goal"], entries[0].before.as_ref()),
        (2, &json!("定位清晰"), None)
    );
    let goal = id_of(&app, "select goal_id from plan_goal where title = $1", "定位清晰").await;
    let second = id_of(&app, "select goal_id from plan_goal where title = $1", "重视宣传").await;

    let version = version_of(&app, "goal", goal).await;
    let edit = [("title", "定位更清晰"), ("version", version.as_str())];
    see_other(&head.post_form(&format!("{plan}/goals/{goal}/update"), &edit).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!(
        (&e.b()["change"], &e.a()["change"]),
        (&json!({ "goal_id": goal, "title": "定位清晰" }), &json!({ "goal_id": goal, "title": "定位更清晰" })),
        "the field the edit changed, from what"
    );

    see_other(&head.post_form(&format!("{plan}/goals/{second}/move"), &[("direction", "up")]).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!(
        (&e.b()["change"], &e.a()["change"]),
        (&json!({ "goal_id": second, "position": 1 }), &json!({ "goal_id": second, "position": 0 }))
    );

    let (due, owner_no) = ("2027-01-15", owner_id.to_string());
    let add = [("title", "接待日"), ("owner", owner_no.as_str()), ("due_on", due)];
    see_other(&head.post_form(&format!("{plan}/goals/{goal}/actions/add"), &add).await);
    see_other(&head.post_form(&format!("{plan}/goals/{goal}/actions/add"), &[("title", "招新")]).await);
    let entries = trail.new_entries(&app).await;
    assert_eq!(
        entries[0].a()["change"],
        json!({ "goal_id": goal, "action": "接待日", "owner_id": owner_id, "due_on": due })
    );
    let action = id_of(&app, "select action_id from plan_action where title = $1", "接待日").await;
    let other = id_of(&app, "select action_id from plan_action where title = $1", "招新").await;

    let version = version_of(&app, "action", action).await;
    let edit =
        [("title", "接待日"), ("owner", owner_no.as_str()), ("due_on", "2027-01-20"), ("version", version.as_str())];
    see_other(&head.post_form(&format!("{plan}/actions/{action}/update"), &edit).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!(
        (&e.b()["change"], &e.a()["change"]),
        (&json!({ "action_id": action, "due_on": due }), &json!({ "action_id": action, "due_on": "2027-01-20" }))
    );

    see_other(&head.post_form(&format!("{plan}/actions/{other}/move"), &[("direction", "up")]).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!((&e.b()["change"]["position"], &e.a()["change"]["position"]), (&json!(1), &json!(0)));

    for (who, step, from, to) in [
        (HEAD, "submit", "draft", "submitted"),
        (PRESIDENT, "approve", "submitted", "approved"),
        (HEAD, "start", "approved", "in_progress"),
    ] {
        let b = if who == HEAD { &mut head } else { &mut president };
        see_other(&b.post_form(&format!("{plan}/steps/{step}"), &[]).await);
        let e = trail.one(&app, who, "plan.save", on, rights).await;
        assert_eq!((&e.b()["change"]["status"], &e.a()["change"]["status"]), (&json!(from), &json!(to)), "{step}");
    }

    let version = version_of(&app, "action", action).await;
    let progress =
        [("status", "in_progress"), ("progress", "30"), ("notes", "已联系后勤处"), ("version", version.as_str())];
    see_other(&owner.post_form(&format!("{plan}/actions/{action}/progress"), &progress).await);
    let e = trail.one(&app, OWNER, "plan.save", on, rights).await;
    assert_eq!(e.b()["change"], json!({ "action_id": action, "status": "not_started", "progress": 0, "notes": "" }));
    assert_eq!(
        e.a()["change"],
        json!({ "action_id": action, "status": "in_progress", "progress": 30, "notes": "已联系后勤处" })
    );

    see_other(&head.post_form(&format!("{plan}/public"), &[("public", "1")]).await);
    let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
    assert_eq!((&e.b()["change"], &e.a()["change"]), (&json!({ "public": false }), &json!({ "public": true })));

    for (path, id, title) in [("actions", action, "接待日"), ("actions", other, "招新"), ("goals", second, "重视宣传")]
    {
        let version = version_of(&app, if path == "goals" { "goal" } else { "action" }, id).await;
        see_other(&head.post_form(&format!("{plan}/{path}/{id}/remove"), &[("version", &version)]).await);
        let e = trail.one(&app, HEAD, "plan.save", on, rights).await;
        assert_eq!(e.b()["change"]["title"], json!(title), "what was removed");
    }
}

const MEMBER: &str = "2026750002";

#[tokio::test]
async fn role_and_admin_changes_are_audited_and_admins_read_every_entry_newest_first() {
    let app = TestApp::spawn().await;
    let mut admin = admin(&app).await;
    let head_id = app.create_user(HEAD, "部长").await;
    app.grant(HEAD, "rights", "head").await;
    let mut head = app.browser_signed_in(head_id).await;
    let member_id = app.create_user(MEMBER, "新部员").await;
    let mut trail = Trail::start(&app).await;
    let member = json!(member_id);

    let add = |role| [("student_no", MEMBER), ("role", role)];
    see_other(&head.post_form("/d/rights/members/add", &add("member")).await);
    let entries = trail.new_entries(&app).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let id = entries[0].object_id.clone();
    check(&entries[0], HEAD, "membership.grant", ("membership", &id), Some("rights"));
    assert_eq!((entries[0].before.as_ref(), entries[0].a()), (None, &json!({ "user_id": member, "role": "member" })));
    see_other(&head.post_form("/d/rights/members/add", &add("vice_head")).await);
    let e = trail.one(&app, HEAD, "membership.grant", ("membership", &id), Some("rights")).await;
    assert_eq!(
        (e.b(), e.a()),
        (&json!({ "user_id": member, "role": "member" }), &json!({ "user_id": member, "role": "vice_head" }))
    );
    see_other(&head.post_form(&format!("/d/rights/members/{id}/remove"), &[]).await);
    let e = trail.one(&app, HEAD, "membership.remove", ("membership", &id), Some("rights")).await;
    assert_eq!(e.b(), &json!({ "user_id": member, "role": "vice_head" }));

    let grant = [("student_no", MEMBER), ("dept", "infra"), ("role", "member")];
    see_other(&admin.post_form("/admin/memberships/grant", &grant).await);
    let id = trail.new_entries(&app).await.remove(0).object_id;
    see_other(&admin.post_form(&format!("/admin/memberships/{id}/revoke"), &[]).await);
    let e = trail.one(&app, ADMIN, "membership.revoke", ("membership", &id), Some("infra")).await;
    assert_eq!(e.b(), &json!({ "user_id": member, "role": "member" }), "filed under the department it was in");

    see_other(&admin.post_form("/admin/union-roles/grant", &[("student_no", MEMBER), ("role", "presidium")]).await);
    let e = trail.new_entries(&app).await.remove(0);
    check(&e, ADMIN, "union_role.grant", ("union_role", &e.object_id), None);
    see_other(&admin.post_form(&format!("/admin/union-roles/{}/revoke", e.object_id), &[]).await);
    let e = trail.one(&app, ADMIN, "union_role.revoke", ("union_role", &e.object_id), None).await;
    assert_eq!(e.b(), &json!({ "user_id": member, "role": "presidium" }));

    see_other(&admin.post_form(&format!("/admin/users/{member_id}/disable"), &[]).await);
    let e = trail.one(&app, ADMIN, "user.disable", ("app_user", &member_id.to_string()), None).await;
    assert_eq!((e.b(), e.a()), (&json!({ "disabled": false }), &json!({ "disabled": true })));
    see_other(&admin.post_form(&format!("/admin/users/{member_id}/enable"), &[]).await);
    trail.one(&app, ADMIN, "user.enable", ("app_user", &member_id.to_string()), None).await;

    see_other(
        &admin
            .post_form("/admin/departments/add", &[("slug", "sports"), ("name_zh", "体育部"), ("name_en", "Sports")])
            .await,
    );
    let dept = id_of(&app, "select department_id from department where slug = $1", "sports").await.to_string();
    trail.one(&app, ADMIN, "department.create", ("department", &dept), Some("sports")).await;
    let rename = [("name_zh", "体育运动部"), ("name_en", "Sports")];
    see_other(&admin.post_form(&format!("/admin/departments/{dept}/update"), &rename).await);
    let e = trail.one(&app, ADMIN, "department.update", ("department", &dept), Some("sports")).await;
    assert_eq!((&e.b()["name_zh"], &e.a()["name_zh"]), (&json!("体育部"), &json!("体育运动部")));

    // The union-wide entries are in no department's trail, and all of them are on /admin/audit, newest first.
    let page = admin.get("/admin/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = audit_rows(&page);
    let newest: Vec<String> =
        sqlx::query_scalar("select action from audit_log order by audit_id desc").fetch_all(&app.db).await.unwrap();
    let shown: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
    let named: Vec<String> = newest.iter().map(|a| action_words(a).to_string()).collect();
    assert_eq!(shown.iter().map(|s| s.split(' ').next().unwrap().to_string()).collect::<Vec<_>>(), named);
    assert!(rows[0][2].contains("体育运动部"), "the department an entry belongs to is named: {:?}", rows[0]);
    assert!(rows[0][3].contains("体育部") && rows[0][4].contains("体育运动部"), "before and after: {:?}", rows[0]);
    assert_eq!(rows[0][1], "管理员", "who");
    assert!(page.body.contains(r#"href="/admin/audit""#), "linked from the admin pages");
    let rights = head.get("/d/rights/audit").await.body;
    assert!(
        !rights.contains("停用账号") && !rights.contains("授予校会职务"),
        "no department holds the union-wide entries"
    );
    assert!(admin.get("/admin").await.body.contains(r#"href="/admin/audit""#), "linked from /admin");

    see_other(&admin.post_form("/admin/terms/handover", &[("name", "2099-2100")]).await);
    let e = trail.new_entries(&app).await.remove(0);
    check(&e, ADMIN, "term.handover", ("term", &e.object_id), None);
    assert_eq!(e.a(), &json!({ "term": "2099-2100" }));
    assert!(e.b()["term"].is_string(), "the term it replaced");
}

/// The cells of each row of the audit table, as text.
fn audit_rows(page: &TestResponse) -> Vec<Vec<String>> {
    let doc = scraper::Html::parse_document(&page.body);
    let row = scraper::Selector::parse("main tbody tr").unwrap();
    let cell = scraper::Selector::parse("td").unwrap();
    doc.select(&row)
        .map(|r| r.select(&cell).map(|c| c.text().collect::<String>().trim().to_string()).collect())
        .collect()
}

/// The catalogue's words for an action, as the page shows them.
fn action_words(action: &str) -> &'static str {
    match action {
        "membership.grant" => "任命职务",
        "membership.remove" => "移出部门",
        "membership.revoke" => "撤销职务",
        "union_role.grant" => "授予校会职务",
        "union_role.revoke" => "撤销校会职务",
        "user.disable" => "停用账号",
        "user.enable" => "启用账号",
        "department.create" => "新建部门",
        "department.update" => "修改部门",
        other => panic!("unexpected {other}"),
    }
}

#[tokio::test]
async fn the_admins_trail_pages_through_every_entry_without_repeating_one() {
    let app = TestApp::spawn().await;
    let mut admin = admin(&app).await;
    let rights: i64 = id_of(&app, "select department_id from department where slug = $1", "rights").await;
    for i in 0..60 {
        // Half union-wide, half a department's: the admins' trail holds both.
        let dept = (i % 2 == 0).then_some(rights);
        union_portal::audit::record(
            &app.db,
            None,
            dept,
            union_portal::audit::Action::TermHandover,
            "term",
            &format!("t{i}"),
            None,
            None,
        )
        .await
        .unwrap();
    }
    let first = admin.get("/admin/audit").await;
    let rows = audit_rows(&first);
    assert_eq!(rows.len(), 50, "a page at a time");
    let doc = scraper::Html::parse_document(&first.body);
    let older = scraper::Selector::parse(r#"main a[href^="/admin/audit?before="]"#).unwrap();
    let next = doc.select(&older).next().expect("a link to older entries").value().attr("href").unwrap().to_string();
    let rest = audit_rows(&admin.get(&next).await);
    let object = |r: &Vec<String>| r[2].rsplit('#').next().unwrap().split(' ').next().unwrap().to_string();
    let ids: Vec<String> = rows.iter().chain(&rest).map(object).collect();
    let expected: Vec<String> =
        sqlx::query_scalar("select object_id from audit_log order by audit_id desc").fetch_all(&app.db).await.unwrap();
    assert_eq!(expected.len(), 61, "the 60 and the admin's own role");
    assert_eq!(ids, expected, "newest first, every entry once");
}

#[tokio::test]
async fn a_head_cannot_change_a_co_heads_role_through_the_members_form() {
    let app = TestApp::spawn().await;
    let head_id = app.create_user(HEAD, "部长").await;
    app.grant(HEAD, "rights", "head").await;
    app.create_user("2026760002", "另一位部长").await;
    app.grant("2026760002", "rights", "head").await;
    let mut head = app.browser_signed_in(head_id).await;
    let mut admin = admin(&app).await;
    let mut trail = Trail::start(&app).await;
    let role_of = |no: &'static str| {
        let db = app.db.clone();
        async move {
            let role: String = sqlx::query_scalar(
                "select m.role from membership m join app_user u using (user_id) join department d using (department_id)
                 where u.student_no = $1 and d.slug = 'rights'",
            )
            .bind(no)
            .fetch_one(&db)
            .await
            .unwrap();
            role
        }
    };

    for (no, role) in [("2026760002", "member"), ("2026760002", "vice_head"), (HEAD, "member")] {
        let r = head.post_form("/d/rights/members/add", &[("student_no", no), ("role", role)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{no} → {role}: {}", r.body);
        assert_eq!(
            r.field_error("student_no").as_deref(),
            Some("这位同学是本部门的部长：部长的职务只能由管理员变更。")
        );
        assert_eq!(r.field_value("student_no").as_deref(), Some(no), "the form is kept");
    }
    assert_eq!((role_of("2026760002").await, role_of(HEAD).await), ("head".to_string(), "head".to_string()));
    assert!(trail.new_entries(&app).await.is_empty(), "nothing changed, nothing recorded");

    // Administrators still can.
    let grant = [("student_no", "2026760002"), ("dept", "rights"), ("role", "member")];
    see_other(&admin.post_form("/admin/memberships/grant", &grant).await);
    assert_eq!(role_of("2026760002").await, "member");
    let e = trail.new_entries(&app).await.remove(0);
    assert_eq!((&e.b()["role"], &e.a()["role"]), (&json!("head"), &json!("member")));
}

#[tokio::test]
async fn the_audit_trail_cannot_be_changed_through_the_portal() {
    let app = TestApp::spawn().await;
    let mut admin = admin(&app).await;
    let head_id = app.create_user(HEAD, "部长").await;
    app.grant(HEAD, "rights", "head").await;
    let mut head = app.browser_signed_in(head_id).await;
    app.create_user(MEMBER, "新部员").await;
    see_other(&head.post_form("/d/rights/members/add", &[("student_no", MEMBER), ("role", "member")]).await);
    let snapshot = || async {
        let rows: Vec<(i64, String, Option<Value>, Option<Value>)> =
            sqlx::query_as("select audit_id, action, before, after from audit_log order by audit_id")
                .fetch_all(&app.db)
                .await
                .unwrap();
        rows
    };
    let kept = snapshot().await;
    assert!(!kept.is_empty());
    let id = kept[0].0;

    // No route writes to the trail: the only routes about it read it.
    let root = env!("CARGO_MANIFEST_DIR");
    let mut stack = vec![std::path::PathBuf::from(format!("{root}/src"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default().to_lowercase();
            for line in text.lines().filter(|l| l.contains(".route(\"") && l.contains("audit")) {
                assert!(line.contains("get("), "{}: an audit route only reads: {line}", path.display());
            }
            for writes in ["update audit_log", "delete from audit_log", "truncate audit_log"] {
                assert!(!text.contains(writes), "{}: {writes}", path.display());
            }
        }
    }
    for (b, path) in [(&mut admin, "/admin/audit"), (&mut head, "/d/rights/audit")] {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            for p in
                [path.to_string(), format!("{path}/{id}"), format!("{path}/{id}/delete"), format!("{path}/{id}/update")]
            {
                // POST with the page's CSRF token, so only the router can refuse it.
                let r = if method == Method::POST {
                    b.post_form(&p, &[("action", "forged"), ("audit_id", &id.to_string())]).await
                } else {
                    b.send(method.clone(), &p, Some(format!("action=forged&audit_id={id}")), &[]).await
                };
                assert!(!r.status.is_success() && !r.status.is_redirection(), "{method} {p}: {}", r.status);
            }
        }
        let page = b.get(path).await.body;
        let doc = scraper::Html::parse_document(&page);
        let forms = scraper::Selector::parse(r#"main form[method="post"]"#).unwrap();
        assert_eq!(doc.select(&forms).count(), 0, "{path} offers no form that changes anything");
    }

    // Not even the app's own pool can change it.
    let pool = &app.state.db;
    for sql in [
        "update audit_log set action = 'forged', after = null".to_string(),
        format!("delete from audit_log where audit_id = {id}"),
        "delete from audit_log".to_string(),
        "truncate audit_log".to_string(),
    ] {
        let refused = sqlx::query(&sql).execute(pool).await.expect_err(&sql).to_string();
        assert!(refused.contains("append-only") || refused.contains("permission denied"), "{sql}: {refused}");
    }
    assert_eq!(snapshot().await, kept, "every entry as it was");
}
