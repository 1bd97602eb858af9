//! IDOR for dorm inspections: a resident of another room cannot read this room's
//! deduction photo or appeal, appeal its result or withdraw its shared photo (404, nothing
//! shown, no row changed); a department without the inspections desk cannot reach the
//! rights department's round through its own prefix (404) nor through rights' (403); a
//! department that inspects reaches it only through rights' prefix, not its own (404),
//! and its members do not score a round that does not name them (404).

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

const OWNER_NO: &str = "2026000110";
const NEIGHBOUR_NO: &str = "2026000112";
const APPEAL: &str = "被子是叠好的，照片拍的是室友起床前";
const REASON: &str = "被子未叠整齐";

struct Dorm {
    app: TestApp,
    round: i64,
    room: i64,
    result: i64,
    deduction: i64,
    appeal: i64,
    photo: i64,
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::raw_sql(sql).execute(&app.db).await.unwrap();
}

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// Rights runs inspections; rooms 301 (the owner's) and 302 (the neighbour's); a published
/// round of rights with 301's result, a deduction with a photo, the owner's appeal with a
/// photo, and a photo the owner shared.
async fn arrange() -> Dorm {
    let app = TestApp::spawn().await;
    let owner = app.create_user(OWNER_NO, "林晓雾").await;
    app.create_user(NEIGHBOUR_NO, "邻居").await;
    let member = app.create_user("2026000102", "权益部员").await;
    app.grant("2026000102", "rights", "member").await;
    app.rights_inspect_rooms_301_and_302(OWNER_NO, NEIGHBOUR_NO).await;
    exec(
        &app,
        "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons)
         select rubric_id, 1, '床铺', 100, false, '{}' from inspection_rubric",
    )
    .await;
    let room = id(&app, "select room_id from dorm_room where room_number = '301'").await;
    let round = id(
        &app,
        "insert into inspection_round (department_id, kind, held_on, rubric_id, published_at)
         select department_id, 'weekly', current_date, (select rubric_id from inspection_rubric), now()
         from department where slug = 'rights' returning round_id",
    )
    .await;
    exec(&app, &format!("insert into inspection_inspector values ({round}, {member})")).await;
    let result = id(
        &app,
        &format!(
            "insert into inspection_result (round_id, room_id, outcome, score, grade, inspected_by)
             values ({round}, {room}, 'scored', 95, 'excellent', {member}) returning result_id"
        ),
    )
    .await;
    let (full, thumb, ..) = app.stored_photo().await;
    let deduction = id(
        &app,
        &format!(
            "insert into inspection_deduction (result_id, item_id, points, reason, photo_name, thumb_name)
             select {result}, item_id, 5, '{REASON}', '{full}', '{thumb}' from inspection_item returning deduction_id"
        ),
    )
    .await;
    let (full, thumb, ..) = app.stored_photo().await;
    let appeal = id(
        &app,
        &format!(
            "insert into inspection_appeal (result_id, room_id, term, filed_by, body, photo_name, thumb_name)
             values ({result}, {room}, '2026-autumn', {owner}, '{APPEAL}', '{full}', '{thumb}') returning appeal_id"
        ),
    )
    .await;
    let (full, thumb, ..) = app.stored_photo().await;
    let photo = id(
        &app,
        &format!(
            "insert into dorm_room_photo (room_id, term, shared_by, file_name, thumb_name)
             values ({room}, '2026-autumn', {owner}, '{full}', '{thumb}') returning photo_id"
        ),
    )
    .await;
    Dorm { app, round, room, result, deduction, appeal, photo }
}

/// Every row of the inspections' tables, as text.
async fn snapshot(app: &TestApp) -> Vec<(String, String)> {
    let sql = ["dorm_resident", "inspection_round", "inspection_inspector", "inspection_result"]
        .iter()
        .chain(&["inspection_deduction", "inspection_appeal", "dorm_room_photo", "complaint"])
        .map(|t| format!("select '{t}', coalesce(string_agg(x::text, E'\\n' order by x::text), '') from {t} x"))
        .collect::<Vec<_>>()
        .join(" union all ");
    sqlx::query_as(&sql).fetch_all(&app.db).await.unwrap()
}

async fn signed_in(app: &TestApp, no: &str) -> Browser {
    app.browser_signed_in(app.user_id(no).await).await
}

fn shows_nothing(body: &str, what: &str) {
    for secret in [APPEAL, REASON, OWNER_NO, "林晓雾"] {
        assert!(!body.contains(secret), "{what} shows {secret}");
    }
}

#[tokio::test]
async fn a_resident_of_another_room_cannot_read_appeal_or_withdraw_this_rooms_things() {
    let d = arrange().await;
    let before = snapshot(&d.app).await;
    let mut neighbour = signed_in(&d.app, NEIGHBOUR_NO).await;
    for path in [
        format!("/inspections/deductions/{}/photo", d.deduction),
        format!("/inspections/deductions/{}/photo?size=thumb", d.deduction),
        format!("/inspections/appeals/{}/photo", d.appeal),
        format!("/inspections/appeals/{}/photo?size=thumb", d.appeal),
    ] {
        let r = neighbour.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {path}");
        shows_nothing(&r.body, &path);
    }
    let page = neighbour.get("/me/room").await;
    assert_eq!(page.status, StatusCode::OK);
    shows_nothing(&page.body, "the neighbour's /me/room");
    assert!(!page.body.contains(&format!("/inspections/deductions/{}/", d.deduction)));
    let appeal = format!("/me/room/results/{}/appeal", d.result);
    let r = neighbour.post_multipart(&appeal, &[("body", "替隔壁申诉")], &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {appeal}");
    shows_nothing(&r.body, &appeal);
    let remove = format!("/me/room/photos/{}/remove", d.photo);
    let r = neighbour.post_form(&remove, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {remove}");
    assert_eq!(snapshot(&d.app).await, before, "no row changed");
    // The owner, for contrast, reaches all of it.
    let mut owner = signed_in(&d.app, OWNER_NO).await;
    assert_eq!(owner.get(&format!("/inspections/deductions/{}/photo", d.deduction)).await.status, StatusCode::OK);
    assert_eq!(owner.get(&format!("/inspections/appeals/{}/photo", d.appeal)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn another_department_cannot_reach_the_rights_round_through_either_prefix() {
    let d = arrange().await;
    d.app.create_user("2026000107", "新闻部长").await;
    d.app.grant("2026000107", "news", "head").await;
    d.app.create_user("2026000105", "生活部长").await;
    d.app.grant("2026000105", "life", "head").await;
    let before = snapshot(&d.app).await;
    let (round, room) = (d.round, d.room);
    let mut news = signed_in(&d.app, "2026000107").await;
    let mut life = signed_in(&d.app, "2026000105").await;
    let pages = |dept: &str| {
        [
            format!("/d/{dept}/inspections/rounds/{round}"),
            format!("/d/{dept}/inspections/rounds/{round}/export.csv"),
            format!("/d/{dept}/inspections/rounds/{round}/print"),
        ]
    };
    // News runs no inspections: no such pages under its own prefix, no way in through rights'.
    for path in pages("news") {
        assert_eq!(news.get(&path).await.status, StatusCode::NOT_FOUND, "news: GET {path}");
    }
    for path in pages("rights") {
        assert_eq!(news.get(&path).await.status, StatusCode::FORBIDDEN, "news: GET {path}");
        assert_eq!(life.get(&path).await.status, StatusCode::FORBIDDEN, "life: GET {path}");
    }
    // 生活部 inspects, but the round is rights': through its own prefix it does not exist.
    for path in pages("life") {
        let r = life.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "life: GET {path}");
        shows_nothing(&r.body, &path);
    }
    let publish = format!("/d/life/inspections/rounds/{round}/publish");
    assert_eq!(life.post_form(&publish, &[]).await.status, StatusCode::NOT_FOUND, "life: POST {publish}");
    let inspectors = format!("/d/life/inspections/rounds/{round}/inspectors");
    let r = life.post_form(&inspectors, &[("student_no", "2026000105")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "life: POST {inspectors}");
    // Nor is its head one of the round's inspectors.
    for path in [format!("/inspect/rounds/{round}"), format!("/inspect/rounds/{round}/rooms/{room}")] {
        assert_eq!(life.get(&path).await.status, StatusCode::NOT_FOUND, "life: GET {path}");
        assert_eq!(news.get(&path).await.status, StatusCode::NOT_FOUND, "news: GET {path}");
    }
    let sheet = format!("/inspect/rounds/{round}/rooms/{room}");
    let r = life.post_multipart(&sheet, &[("outcome", "absent"), ("revision", "1")], &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "life: POST {sheet}");
    assert_eq!(snapshot(&d.app).await, before, "no row changed");
}
