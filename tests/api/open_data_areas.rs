//! The open data API's other areas over the real router — reception days, the commitments
//! board, events and their draws, inspection rankings, statistics — each as its public page
//! shows it, bad parameters refused (400); `seed_areas` is the privacy sweep's data too.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::Value;

use crate::helpers::{id_in, local, TestApp, TestResponse};

pub const OWNER_NAME: &str = "后勤处王老师";
pub const RESIDENT_NAME: &str = "韩梅梅";
pub const APPLICANT_NAME: &str = "报名同学甲";

fn json(r: &TestResponse) -> Value {
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    match serde_json::from_str(&r.body) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", r.body),
    }
}

async fn exec(app: &TestApp, sql: &str) {
    if let Err(e) = sqlx::query(sql).execute(&app.db).await {
        panic!("{sql}: {e}");
    }
}

/// What the tests read: reception day 148 (a week ahead, two leaders, 20 open seats, one
/// taken), its minute with two commitments (后勤处's, with an owner and an update; 基建处's,
/// overdue); a drawn event (A0002 selected, A0001 waiting); a week's inspection round.
pub struct Areas {
    pub app: TestApp,
    pub event_id: i64,
}

pub async fn areas() -> Areas {
    let app = TestApp::spawn().await;
    let event_id = seed_areas(&app).await;
    Areas { app, event_id }
}

/// The areas' data in an app (the privacy sweep's world has it too); the event's id.
pub async fn seed_areas(app: &TestApp) -> i64 {
    let owner = app.create_user("T20269001", OWNER_NAME).await;
    let applicant = app.create_user("2026900002", APPLICANT_NAME).await;
    exec(
        app,
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', 148, department_id, now() + interval '7 days', now() + interval '7 days 2 hours',
                '行政楼一楼报告厅', '食堂与宿舍', 20, now() - interval '1 day', now() + interval '6 days'
         from department where slug = 'rights'",
    )
    .await;
    exec(app, "insert into reception_leader (session_id, position, name, title) select session_id, p, n, t from reception_session, (values (1, '王建国', '副校长'), (2, '李明', '后勤处处长')) as l(p, n, t)").await;
    exec(app, &format!("insert into reception_signup (session_id, user_id, status) select session_id, {applicant}, 'seat' from reception_session")).await;
    exec(app, &format!("insert into office_liaison (office_id, user_id) select office_id, {owner} from school_office where name_zh = '后勤处'")).await;
    exec(
        app,
        "insert into reception_minute (session_id, question, answered_by, answer)
         select session_id, '食堂太贵', '后勤处', '会改' from reception_session",
    )
    .await;
    exec(
        app,
        &format!(
            "insert into commitment (minute_id, session_id, what, office_id, owner_id, due_on, status)
             select m.minute_id, m.session_id, c.what, o.office_id, c.owner, current_date + c.due, c.status
             from reception_minute m,
                  (values ('后勤处', '二食堂降价', 30, 'in_progress', {owner}), ('基建处', '修北门的路', -3, 'pending', null))
                    as c(office, what, due, status, owner)
             join school_office o on o.name_zh = c.office"
        ),
    )
    .await;
    exec(
        app,
        "insert into commitment_update (commitment_id, body, status_after, created_at)
         select commitment_id, b.body, 'in_progress', now() - b.ago from commitment,
                (values ('已与餐饮公司商谈', interval '2 days'), ('新价格下周一起执行', interval '1 hour')) as b(body, ago)
         where what = '二食堂降价'",
    )
    .await;
    ranked_rooms(app).await;
    drawn_event(app).await
}

/// An event created through the rights desk's form, its window closed and its draw stored.
async fn drawn_event(app: &TestApp) -> i64 {
    let organiser = app.create_user("2026900001", "权益副部长").await;
    app.grant("2026900001", "rights", "vice_head").await;
    let mut b = app.browser_signed_in(organiser).await;
    let now = Utc::now();
    let form = [
        ("title", "第一届食堂开放日".to_string()),
        ("description", "走进**西二食堂**后厨".into()),
        ("place", "西二食堂".into()),
        ("starts_at", local(now + Duration::days(7))),
        ("ends_at", local(now + Duration::days(7) + Duration::hours(2))),
        ("places", "1".into()),
        ("applications_open_at", local(now - Duration::minutes(1))),
        ("applications_close_at", local(now + Duration::days(1))),
        ("questions", "你最想了解食堂的哪个环节？".into()),
        ("selection", "draw".into()),
        ("quota_rule", "none".into()),
        ("confirm_hours", "48".into()),
    ];
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post_form("/d/rights/events/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let event_id = id_in(r.location());
    let pool = "A0001,法学院\nA0002,文学院\n".to_string();
    let draw = union_portal::events::draw::Draw {
        algorithm: union_portal::events::draw::ALGORITHM.into(),
        event_id,
        places: 1,
        quota_rule: "none".into(),
        quotas: Default::default(),
        pool_hash: union_portal::events::draw::sha256_hex(&pool),
        pool: pool.clone(),
        commitments: vec![],
        public_value: Some("上证指数 3001.23".into()),
        beacon: "上证指数 3001.23".into(),
        seed: "5eed".into(),
        order: vec![
            union_portal::events::draw::Ranked { app_no: "A0002".into(), key: "0a".into() },
            union_portal::events::draw::Ranked { app_no: "A0001".into(), key: "0b".into() },
        ],
        selected: vec!["A0002".into()],
        waiting: vec!["A0001".into()],
    };
    let stored = serde_json::to_value(&draw).unwrap_or_default();
    let done = sqlx::query(
        "update event set applications_open_at = now() - interval '2 days', applications_close_at = now() - interval '1 hour',
                pool = $2, pool_hash = $3, quotas = '{}'::jsonb, pool_frozen_at = now(), draw = $4, drawn_at = now(),
                public_value_source = '上证指数收盘价', public_value = '上证指数 3001.23'
         where event_id = $1",
    )
    .bind(event_id)
    .bind(&pool)
    .bind(&draw.pool_hash)
    .bind(stored)
    .execute(&app.db)
    .await;
    done.unwrap_or_else(|e| panic!("the draw stored: {e}"));
    event_id
}

/// Building 北区24栋, rooms 301 (计算机学院, 95) and 302 (法学院, 70) with a resident, one
/// published weekly round on 2026-12-02, the standings recomputed as publishing does.
async fn ranked_rooms(app: &TestApp) {
    exec(app, "insert into dorm_building (name) values ('北区24栋')").await;
    exec(
        app,
        "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
         select building_id, r.no, 3, r.ord, 4, r.college, 'm' from dorm_building,
                (values ('301', 1, '计算机学院'), ('302', 2, '法学院')) as r(no, ord, college)",
    )
    .await;
    exec(app, "insert into dorm_resident (student_no, room_id) select '2025990001', room_id from dorm_room where room_number = '302'").await;
    app.create_user("2025990001", RESIDENT_NAME).await;
    exec(app, "with r as (insert into inspection_rubric (version, excellent_min, good_min, pass_min) values (1, 90, 80, 60) returning rubric_id) insert into inspection_item (rubric_id, position, name, max_points) select rubric_id, 1, '整体', 100 from r").await;
    exec(
        app,
        "insert into inspection_round (department_id, kind, held_on, rubric_id, published_at)
         select department_id, 'weekly', '2026-12-02', rubric_id, now() from department, inspection_rubric where slug = 'life'",
    )
    .await;
    exec(
        app,
        "insert into inspection_result (round_id, room_id, outcome, score, grade)
         select round_id, room_id, 'scored', case room_number when '301' then 95 else 70 end,
                case room_number when '301' then 'excellent' else 'pass' end
         from inspection_round, dorm_room",
    )
    .await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
    let mut tx = app.db.begin().await.unwrap_or_else(|e| panic!("a transaction: {e}"));
    union_portal::inspections::rankings::refresh(&mut tx, day).await.unwrap_or_else(|e| panic!("refreshed: {e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("committed: {e}"));
}

#[tokio::test]
async fn reception_days_list_their_leaders_time_place_and_seats_and_one_day_its_commitments() {
    let w = areas().await;
    let mut api = w.app.browser();
    let days = json(&api.get("/api/v1/reception/days").await);
    let d = &days["items"][0];
    assert_eq!((d["code"].as_str(), d["number"].as_i64()), (Some("148"), Some(148)));
    assert_eq!(d["place"], "行政楼一楼报告厅");
    assert_eq!(d["leaders"][0]["name"], "王建国");
    assert_eq!(d["leaders"][1]["title"], "后勤处处长");
    assert_eq!((d["open_seats"].as_i64(), d["open_seats_left"].as_i64()), (Some(20), Some(19)));
    assert_eq!(d["signup_open"], true);
    assert!(d["url"].as_str().is_some_and(|u| u.ends_with("/reception/148")));
    let one = json(&api.get("/api/v1/reception/days/148").await);
    assert_eq!(one["day"]["topic"], "食堂与宿舍");
    let what: Vec<&str> =
        one["commitments"].as_array().into_iter().flatten().filter_map(|c| c["what"].as_str()).collect();
    assert_eq!(what, ["修北门的路", "二食堂降价"], "the board's order: by due date");
    assert_eq!(api.get("/api/v1/reception/days/149").await.status, StatusCode::NOT_FOUND);
    assert_eq!(api.get("/api/v1/reception/days/..%2F1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_commitments_board_has_each_promise_its_state_and_its_latest_update() {
    let w = areas().await;
    let mut api = w.app.browser();
    let board = json(&api.get("/api/v1/commitments").await);
    let items = board["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!((items[0]["what"].as_str(), items[0]["state"].as_str()), (Some("修北门的路"), Some("overdue")));
    assert!(items[0]["latest_update"].is_null());
    assert_eq!(items[1]["by_zh"], "后勤处");
    assert_eq!(items[1]["session_code"], "148");
    assert_eq!(items[1]["updates"], 2);
    assert_eq!(items[1]["latest_update"]["body"], "新价格下周一起执行", "the latest, not the first");
    let overdue = json(&api.get("/api/v1/commitments?status=overdue").await);
    assert_eq!(overdue["items"].as_array().map(Vec::len), Some(1));
    let paged = json(&api.get("/api/v1/commitments?per_page=1").await);
    let next = paged["next"].as_str().unwrap_or_default();
    let rest = json(&api.get(&next[next.find("/api/").unwrap_or(0)..]).await);
    assert_eq!(rest["items"][0]["what"], "二食堂降价", "the next page by cursor");
    let union = json(&api.get("/api/v1/commitments?office=union").await);
    assert_eq!(union["items"].as_array().map(Vec::len), Some(0), "union departments promised nothing here");
}

#[tokio::test]
async fn an_event_and_its_draw_are_served_by_application_numbers() {
    let w = areas().await;
    let mut api = w.app.browser();
    let list = json(&api.get("/api/v1/events").await);
    assert_eq!(list["items"][0]["title"], "第一届食堂开放日");
    assert_eq!(list["items"][0]["selection"], "draw");
    assert_eq!(list["items"][0]["phase"], "decided");
    let one = json(&api.get(&format!("/api/v1/events/{}", w.event_id)).await);
    assert_eq!(one["event"]["place"], "西二食堂");
    assert_eq!(one["description"], "走进**西二食堂**后厨");
    let draw = &one["draw"];
    assert_eq!(draw["public_value"], "上证指数 3001.23");
    assert!(draw["pool_hash"].as_str().is_some_and(|h| h.len() == 64));
    assert_eq!(draw["result"]["selected"][0], "A0002");
    assert_eq!(draw["result"]["order"][1]["app_no"], "A0001");
    assert_eq!(draw["result"]["order"][1]["selected"], false);
    assert_eq!(api.get("/api/v1/events/999999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rankings_list_rooms_by_number_best_first_and_statistics_are_numbers() {
    let w = areas().await;
    let mut api = w.app.browser();
    let week = json(&api.get("/api/v1/inspections/rankings?period=week&day=2026-12-02").await);
    assert_eq!((week["starts_on"].as_str(), week["ends_on"].as_str()), (Some("2026-11-30"), Some("2026-12-06")));
    let rooms: Vec<&str> =
        week["rooms"].as_array().into_iter().flatten().filter_map(|r| r["room_number"].as_str()).collect();
    assert_eq!(rooms, ["301", "302"]);
    assert_eq!((week["rooms"][1]["rank"].as_i64(), week["rooms"][1]["average"].as_f64()), (Some(2), Some(70.0)));
    let law = json(
        &api.get("/api/v1/inspections/rankings?period=week&day=2026-12-02&college=%E6%B3%95%E5%AD%A6%E9%99%A2").await,
    );
    assert_eq!(law["rooms"].as_array().map(Vec::len), Some(1));
    let first = json(&api.get("/api/v1/inspections/rankings?period=week&day=2026-12-02&per_page=1").await);
    let next = first["next"].as_str().unwrap_or_default();
    let second = json(&api.get(&next[next.find("/api/").unwrap_or(0)..]).await);
    assert_eq!(second["rooms"][0]["room_number"], "302", "the next page by cursor");
    assert_eq!(second["rooms"][0]["rank"], 2);
    let stats = json(&api.get("/api/v1/stats").await);
    assert_eq!(stats["lost_found"]["registered"], 0);
    let kept: Vec<&Value> =
        stats["commitments"].as_array().into_iter().flatten().filter(|c| c["by_zh"] == "基建处").collect();
    assert_eq!(kept.first().map(|c| c["overdue"].clone()), Some(Value::from(1)));
    assert!(stats["complaints"]["by_month"].as_array().is_some_and(|m| m.len() == 12));
}

#[tokio::test]
async fn bad_parameters_of_the_new_endpoints_are_400() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for (path, field) in [
        ("/api/v1/reception/days?per_page=0", "per_page"),
        ("/api/v1/reception/days?cursor=-1", "cursor"),
        ("/api/v1/commitments?status=late", "status"),
        ("/api/v1/commitments?office=x", "office"),
        ("/api/v1/commitments?cursor=1_x_2", "cursor"),
        ("/api/v1/events?cursor=abc", "cursor"),
        ("/api/v1/events?per_page=101", "per_page"),
        ("/api/v1/inspections/rankings?period=decade", "period"),
        ("/api/v1/inspections/rankings?day=yesterday", "day"),
        ("/api/v1/inspections/rankings?building=x", "building"),
        ("/api/v1/inspections/rankings?cursor=0", "cursor"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
        assert_eq!(body["field"], field, "{path}");
    }
}
