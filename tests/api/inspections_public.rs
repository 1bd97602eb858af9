//! The public side of inspections over the real router: the 红黑榜, the rankings for a
//! week, a month and a term, the 文明寝室 and their shared photos — published rounds only,
//! room numbers only, recomputed by `rankings::refresh` as publishing does.

use axum::http::StatusCode;
use chrono::NaiveDate;
use sqlx::PgPool;

use crate::helpers::TestApp;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A building of five rooms (301–305), its residents, and rubric version 1 (one item of 100).
struct Dorm {
    rubric_id: i64,
    rooms: Vec<i64>,
    life: i64,
}

async fn dorm(db: &PgPool) -> Dorm {
    let building: i64 =
        sqlx::query_scalar("insert into dorm_building (name) values ('北区24栋') returning building_id")
            .fetch_one(db)
            .await
            .unwrap();
    let mut rooms = vec![];
    for (i, number) in ["301", "302", "303", "304", "305"].iter().enumerate() {
        let college = if i < 3 { "计算机学院" } else { "法学院" };
        let id: i64 = sqlx::query_scalar(
            "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
             values ($1, $2, 3, $3, 4, $4, 'm') returning room_id",
        )
        .bind(building)
        .bind(number)
        .bind(i as i32)
        .bind(college)
        .fetch_one(db)
        .await
        .unwrap();
        rooms.push(id);
    }
    let rubric_id: i64 = sqlx::query_scalar(
        "insert into inspection_rubric (version, excellent_min, good_min, pass_min) values (1, 90, 80, 60) returning rubric_id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query("insert into inspection_item (rubric_id, position, name, max_points) values ($1, 1, '整体', 100)")
        .bind(rubric_id)
        .execute(db)
        .await
        .unwrap();
    let life: i64 =
        sqlx::query_scalar("select department_id from department where slug = 'life'").fetch_one(db).await.unwrap();
    Dorm { rubric_id, rooms, life }
}

impl Dorm {
    /// A round held on `held_on` with these rooms' results (`None`: 拒查), published or not;
    /// the standings recomputed, and the app's kept latest day and colleges forgotten, as
    /// publishing does (another process would hear it from the tables' triggers).
    async fn round(&self, app: &TestApp, held_on: NaiveDate, scores: &[Option<i32>], published: bool) {
        let db = &app.db;
        let round_id: i64 = sqlx::query_scalar(
            "insert into inspection_round (department_id, kind, held_on, rubric_id, published_at)
             values ($1, 'weekly', $2, $3, case when $4 then now() end) returning round_id",
        )
        .bind(self.life)
        .bind(held_on)
        .bind(self.rubric_id)
        .bind(published)
        .fetch_one(db)
        .await
        .unwrap();
        let bounds = union_portal::inspections::model::Boundaries { excellent_min: 90, good_min: 80, pass_min: 60 };
        for (room, score) in self.rooms.iter().zip(scores) {
            let (outcome, grade) = match score {
                Some(s) => ("scored", bounds.grade(*s, false).key()),
                None => ("refused", "fail"),
            };
            sqlx::query(
                "insert into inspection_result (round_id, room_id, outcome, score, grade) values ($1, $2, $3, $4, $5)",
            )
            .bind(round_id)
            .bind(room)
            .bind(outcome)
            .bind(score)
            .bind(grade)
            .execute(db)
            .await
            .unwrap();
        }
        let mut tx = db.begin().await.unwrap();
        union_portal::inspections::rankings::refresh(&mut tx, held_on).await.unwrap();
        tx.commit().await.unwrap();
        app.state.cached.changed("inspection_round");
        app.state.cached.changed("inspection_group_standing");
    }
}

/// The rooms as a page lists them, in order.
fn rooms_in(body: &str) -> Vec<&str> {
    ["301", "302", "303", "304", "305"]
        .into_iter()
        .filter_map(|n| body.find(&format!(">{n}<")).map(|at| (at, n)))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_values()
        .collect()
}

#[tokio::test]
async fn the_board_ranks_the_latest_week_by_room_number_and_never_names_a_resident() {
    let app = TestApp::spawn().await;
    let d = dorm(&app.db).await;
    let resident = app.create_user("2025990001", "韩梅梅").await;
    sqlx::query("insert into dorm_resident (student_no, room_id) values ('2025990001', $1)")
        .bind(d.rooms[0])
        .execute(&app.db)
        .await
        .unwrap();
    let _ = resident;
    let mut visitor = app.browser();
    let empty = visitor.get("/inspections").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("还没有公布的检查结果"), "{}", empty.body);

    d.round(&app, day(2026, 11, 25), &[Some(95), Some(70), Some(88), None, Some(100)], true).await;
    // A draft round of the next week shows nowhere.
    d.round(&app, day(2026, 12, 2), &[Some(10), Some(10), Some(10), Some(10), Some(10)], false).await;
    let board = app.browser().get("/inspections").await;
    assert_eq!(board.status, StatusCode::OK);
    let red = &board.body[board.body.find("红榜（").unwrap()..board.body.find("黑榜（").unwrap()];
    assert_eq!(rooms_in(red), ["305", "301", "303", "302", "304"], "best first");
    let black = &board.body[board.body.find("黑榜（").unwrap()..];
    assert_eq!(rooms_in(black)[0], "304", "拒查 counts 0 and comes last");
    assert!(!board.body.contains("韩梅梅") && !board.body.contains("2025990001"));
    assert!(!board.body.contains(">10.0<"), "a draft round is not shown");
}

#[tokio::test]
async fn rankings_cover_a_week_a_month_and_a_term_and_filter_by_building_and_college() {
    let app = TestApp::spawn().await;
    let d = dorm(&app.db).await;
    d.round(&app, day(2026, 11, 4), &[Some(60), Some(100), Some(90), Some(80), Some(70)], true).await;
    d.round(&app, day(2026, 12, 2), &[Some(100), Some(60), Some(90), Some(80), Some(70)], true).await;
    let mut b = app.browser();
    let week = b.get("/inspections/rankings?period=week&day=2026-12-02").await;
    assert_eq!(rooms_in(&week.body), ["301", "303", "304", "305", "302"]);
    let november = b.get("/inspections/rankings?period=month&day=2026-11-15").await;
    assert_eq!(rooms_in(&november.body), ["302", "303", "304", "305", "301"]);
    // The term: 301 and 302 both average 80; ties keep the room order.
    let term = b.get("/inspections/rankings?period=term&day=2026-12-02").await;
    assert_eq!(rooms_in(&term.body), ["303", "301", "302", "304", "305"]);
    assert!(!term.body.contains("chart-buildings-title"), "the averages are a page of their own");
    let averages = b.get("/inspections/averages?period=term&day=2026-12-02").await;
    assert!(averages.body.contains("chart-buildings-title") && averages.body.contains("chart-colleges-title"));
    assert!(averages.body.contains("北区24栋"), "{}", averages.body);
    let none = b.get("/inspections/averages?period=century").await;
    assert_eq!(none.status, StatusCode::OK, "a nonsense period is the term");
    let law = b.get("/inspections/rankings?period=term&day=2026-12-02&college=%E6%B3%95%E5%AD%A6%E9%99%A2").await;
    assert_eq!(rooms_in(&law.body), ["304", "305"]);
    let nonsense = b.get("/inspections/rankings?period=decade&day=yesterday&building=x&page=-3").await;
    assert_eq!(nonsense.status, StatusCode::OK, "a nonsense address is the default ranking");
    let csv = b.get("/inspections/rankings.csv?period=term&day=2026-12-02").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("北区24栋,303,计算机学院,90.0"), "{}", csv.body);
    let print = b.get("/inspections/rankings/print?period=week&day=2026-12-02").await;
    assert_eq!(print.status, StatusCode::OK);
}

#[tokio::test]
async fn a_civilised_room_needs_its_fail_cleared_by_three_excellent_in_a_row_and_its_photos_are_public() {
    let app = TestApp::spawn().await;
    let d = dorm(&app.db).await;
    // 301: fail, then three excellent → 文明寝室. 302: three excellent, then a fail → not.
    let weeks = [day(2026, 9, 2), day(2026, 9, 9), day(2026, 9, 16), day(2026, 9, 23)];
    let scores = [[Some(50), Some(95)], [Some(95), Some(95)], [Some(95), Some(95)], [Some(95), None]];
    for (held_on, s) in weeks.iter().zip(scores) {
        d.round(&app, *held_on, &[s[0], s[1], Some(85), Some(70), Some(60)], true).await;
    }
    let uploader = app.create_user("2025990002", "寝室长").await;
    let (full, thumb, ..) = app.stored_photo().await;
    let photo: i64 = sqlx::query_scalar(
        "insert into dorm_room_photo (room_id, term, shared_by, file_name, thumb_name) values ($1, '2026-autumn', $2, $3, $4)
         returning photo_id",
    )
    .bind(d.rooms[0])
    .bind(uploader)
    .bind(full)
    .bind(thumb)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let mut b = app.browser();
    let page = b.get("/inspections/civilised?term=2026-autumn").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("北区24栋 301"), "{}", page.body);
    assert!(!page.body.contains("北区24栋 302"));
    assert!(page.body.contains(&format!("/inspections/photos/{photo}?size=thumb")));
    let img = b.get(&format!("/inspections/photos/{photo}?size=thumb")).await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(img.header("content-type"), Some("image/jpeg"));
    assert_eq!(b.get("/inspections/photos/999999").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_college_filter_of_any_day_is_listed_but_only_the_latest_periods_are_kept() {
    let app = TestApp::spawn().await;
    let d = dorm(&app.db).await;
    d.round(&app, day(2026, 11, 4), &[Some(60), Some(100), Some(90), Some(80), Some(70)], true).await;
    d.round(&app, day(2026, 12, 2), &[Some(100), Some(60), Some(90), Some(80), Some(70)], true).await;
    let mut b = app.browser();
    // `?day=` takes any date: walking through them must not grow what the process keeps.
    for d in ["2026-11-04", "2026-11-05", "2025-01-01", "1999-12-31", "2026-10-01"] {
        let page = b.get(&format!("/inspections/rankings?period=week&day={d}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let old_week = b.get("/inspections/rankings?period=week&day=2026-11-04").await;
    assert!(old_week.body.contains(">法学院<"), "an older week still lists its colleges");
    assert_eq!(app.state.cached.ranking_colleges.len(), 0, "nothing kept for days other than the latest");
    for period in ["week", "month", "term"] {
        let latest = b.get(&format!("/inspections/rankings?period={period}")).await;
        assert!(latest.body.contains(">计算机学院<"), "{}", latest.body);
    }
    assert_eq!(app.state.cached.ranking_colleges.len(), 3, "the latest round's week, month and term");
}
