//! Inspections over the real router, the inspector's and the resident's side: a room scored
//! with its round's rubric version, veto, 拒查 and nobody-in, the walk from room to room, two
//! inspectors on one room (a conflict, never an overwrite), who may score (404 for others),
//! a published round (no edits), what a resident sees (their own room, published results,
//! their photos only), one appeal per room per term within the days, and the one-tap complaint.
//! Rubrics, rooms and rounds are arranged in SQL: their pages are another part of the area.

use axum::http::StatusCode;
use sqlx::Row;

use crate::helpers::{png, Browser, TestApp};

const INSPECTOR: &str = "2026600001";
const SECOND: &str = "2026600002";
const OUTSIDER: &str = "2026600003";
const RESIDENT: &str = "2026600011";
const NEIGHBOUR: &str = "2026600012";

struct Round {
    app: TestApp,
    inspector: Browser,
    round_id: i64,
    building_id: i64,
    /// 301, 302, 303 on the third floor, then 401.
    rooms: [i64; 4],
    /// 床铺 (20, presets −2 / −5), 违禁电器 (veto), 地面 (80).
    bed: i64,
    veto: i64,
    floor: i64,
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::raw_sql(sql).execute(&app.db).await.unwrap();
}

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// A rubric version: boundaries and the three items; its id.
async fn rubric(app: &TestApp, version: i32, bounds: (i32, i32, i32), bed_max: i32) -> i64 {
    let rubric_id = id(
        app,
        &format!(
            "insert into inspection_rubric (version, excellent_min, good_min, pass_min) values ({version}, {}, {}, {}) returning rubric_id",
            bounds.0, bounds.1, bounds.2
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons) values
             ({rubric_id}, 1, '床铺', {bed_max}, false, '{{\"2 床铺未整理\",\"5 被子未叠\"}}'),
             ({rubric_id}, 2, '违禁电器', 0, true, '{{\"0 使用热得快\"}}'),
             ({rubric_id}, 3, '地面', 80, false, '{{}}')"
        ),
    )
    .await;
    rubric_id
}

/// 北区24栋 with four rooms, rubric v1 for the round and a newer v2 made after it, a weekly
/// round of 生活卫生部 today with one inspector, signed in.
async fn round() -> Round {
    round_in(TestApp::spawn().await).await
}

async fn round_in(app: TestApp) -> Round {
    let user = app.create_user(INSPECTOR, "检查员甲").await;
    app.grant(INSPECTOR, "life", "member").await;
    let building_id = id(&app, "insert into dorm_building (name) values ('北区24栋') returning building_id").await;
    let mut rooms = [0; 4];
    for (i, (number, floor, walk)) in
        [("301", 3, 1), ("302", 3, 2), ("303", 3, 3), ("401", 4, 1)].into_iter().enumerate()
    {
        rooms[i] = id(
            &app,
            &format!(
                "insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
                 values ({building_id}, '{number}', {floor}, {walk}, 4, '计算机学院', 'm') returning room_id"
            ),
        )
        .await;
    }
    let v1 = rubric(&app, 1, (90, 80, 60), 20).await;
    let round_id = id(
        &app,
        &format!(
            "insert into inspection_round (department_id, kind, held_on, rubric_id)
             values ((select department_id from department where slug = 'life'), 'weekly', current_date, {v1}) returning round_id"
        ),
    )
    .await;
    exec(&app, &format!("insert into inspection_round_building values ({round_id}, {building_id})")).await;
    exec(&app, &format!("insert into inspection_inspector values ({round_id}, {user})")).await;
    // The current version is stricter: the round keeps its own.
    rubric(&app, 2, (95, 85, 70), 30).await;
    let item = |name: &str| format!("select item_id from inspection_item where rubric_id = {v1} and name = '{name}'");
    let (bed, veto, floor) =
        (id(&app, &item("床铺")).await, id(&app, &item("违禁电器")).await, id(&app, &item("地面")).await);
    let inspector = app.browser_signed_in(user).await;
    Round { app, inspector, round_id, building_id, rooms, bed, veto, floor }
}

impl Round {
    fn sheet(&self, room: usize) -> String {
        format!("/inspect/rounds/{}/rooms/{}", self.round_id, self.rooms[room])
    }

    /// Post a sheet as `who` (the inspector when `None`).
    async fn score(
        &mut self,
        who: Option<&mut Browser>,
        room: usize,
        fields: &[(String, &str)],
        photos: &[(String, Vec<u8>)],
    ) -> crate::helpers::TestResponse {
        let path = self.sheet(room);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let files: Vec<(&str, &str, &[u8])> = photos.iter().map(|(k, b)| (k.as_str(), "p.png", b.as_slice())).collect();
        let b = who.unwrap_or(&mut self.inspector);
        b.post_multipart(&path, &fields, &files).await
    }

    async fn result(&self, room: usize) -> (String, Option<i32>, Option<String>, bool) {
        let row = sqlx::query(
            "select outcome, score, grade, vetoed from inspection_result where round_id = $1 and room_id = $2",
        )
        .bind(self.round_id)
        .bind(self.rooms[room])
        .fetch_one(&self.app.db)
        .await
        .unwrap();
        (row.get(0), row.get(1), row.get(2), row.get(3))
    }

    async fn publish(&self, days_ago: i32) {
        exec(
            &self.app,
            &format!(
                "update inspection_round set published_at = now() - interval '{days_ago} days' where round_id = {}",
                self.round_id
            ),
        )
        .await;
    }

    /// A verified student living in `room`, signed in.
    async fn resident(&self, student_no: &str, room: usize) -> Browser {
        let user = self.app.create_user(student_no, "住宿同学").await;
        exec(
            &self.app,
            &format!("update app_user set verified_by = 'admin', verified_at = now() where user_id = {user}"),
        )
        .await;
        exec(
            &self.app,
            &format!("insert into dorm_resident (student_no, room_id) values ('{student_no}', {})", self.rooms[room]),
        )
        .await;
        self.app.browser_signed_in(user).await
    }
}

fn f(name: impl Into<String>, value: &str) -> (String, &str) {
    (name.into(), value)
}

#[tokio::test]
async fn a_room_is_scored_with_the_rounds_rubric_version_and_saving_walks_to_the_next_room() {
    let mut r = round().await;
    let form = r.inspector.get(&r.sheet(0)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("−5 被子未叠") && form.body.contains("人脸"),
        "presets and the photo rule are on the form"
    );
    assert_eq!(form.field_value("revision").as_deref(), Some("0"));
    let (bed, floor) = (r.bed, r.floor);
    let saved = r
        .score(
            None,
            0,
            &[
                f("outcome", "scored"),
                f("revision", "0"),
                f(format!("preset_{bed}"), "1"),
                f(format!("points_{floor}"), "2"),
                f(format!("reason_{floor}"), "地面有纸屑"),
            ],
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some(r.sheet(1).as_str()), "straight to the next room on the floor");
    // 100 − 7 = 93: 优秀 by the round's version 1 (the current version 2 would say 良好).
    assert_eq!(r.result(0).await, ("scored".into(), Some(93), Some("excellent".into()), false));
    let last_on_floor = r.score(None, 2, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    assert_eq!(last_on_floor.location(), Some(r.sheet(3).as_str()), "then the next floor");
    let last = r.score(None, 3, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    let back = format!("/inspect/rounds/{}?building={}&floor=4", r.round_id, r.building_id);
    assert_eq!(last.location(), Some(back.as_str()), "after the last room, the round's page");
    let page = r.inspector.get(&format!("/inspect/rounds/{}?building={}&floor=3", r.round_id, r.building_id)).await;
    assert!(page.body.contains("已评 2/3") && page.body.contains("302"), "{}", page.body);
    let audited = id(&r.app, "select count(*) from audit_log where action = 'inspection.score'").await;
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn a_veto_fails_outright_refused_fails_without_a_score_and_nobody_in_has_no_grade() {
    let mut r = round().await;
    let veto = r.veto;
    r.score(None, 0, &[f("outcome", "scored"), f("revision", "0"), f(format!("preset_{veto}"), "0")], &[]).await;
    assert_eq!(r.result(0).await, ("scored".into(), Some(100), Some("fail".into()), true));
    r.score(None, 1, &[f("outcome", "refused"), f("revision", "0")], &[]).await;
    assert_eq!(r.result(1).await, ("refused".into(), None, Some("fail".into()), false));
    r.score(None, 2, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    assert_eq!(r.result(2).await, ("absent".into(), None, None, false));
}

#[tokio::test]
async fn bad_lines_come_back_beside_their_fields_with_what_was_typed() {
    let mut r = round().await;
    let (bed, floor) = (r.bed, r.floor);
    let refused = r
        .score(
            None,
            0,
            &[
                f("outcome", "scored"),
                f("revision", "0"),
                f(format!("points_{bed}"), "25"),
                f(format!("reason_{bed}"), "乱"),
                f(format!("points_{floor}"), "3"),
            ],
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.field_error(&format!("custom_{bed}")).unwrap().contains("满分"));
    assert!(refused.field_error(&format!("custom_{floor}")).unwrap().contains("原因"));
    assert_eq!(refused.field_value(&format!("points_{bed}")).as_deref(), Some("25"));
    let unknown = r
        .score(
            None,
            0,
            &[f("outcome", "scored"), f("revision", "0"), f("points_999999", "1"), f("reason_999999", "x")],
            &[],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(id(&r.app, "select count(*) from inspection_result").await, 0);
}

#[tokio::test]
async fn two_inspectors_on_one_room_see_a_conflict_never_an_overwrite() {
    let mut r = round().await;
    let second = r.app.create_user(SECOND, "检查员乙").await;
    r.app.grant(SECOND, "safety", "member").await;
    exec(&r.app, &format!("insert into inspection_inspector values ({}, {second})", r.round_id)).await;
    let mut b = r.app.browser_signed_in(second).await;
    assert_eq!(b.get(&r.sheet(0)).await.field_value("revision").as_deref(), Some("0"));
    let bed = r.bed;
    r.score(None, 0, &[f("outcome", "scored"), f("revision", "0"), f(format!("preset_{bed}"), "0")], &[]).await;
    let floor = r.floor;
    let fields = [
        f("outcome", "scored"),
        f("revision", "0"),
        f(format!("points_{floor}"), "9"),
        f(format!("reason_{floor}"), "积水"),
    ];
    let conflict = r.score(Some(&mut b), 0, &fields, &[]).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.body.contains("检查员甲") && conflict.body.contains("98"), "who saved it and their result");
    assert_eq!(conflict.field_value(&format!("reason_{floor}")).as_deref(), Some("积水"), "what was typed is kept");
    assert_eq!(r.result(0).await.1, Some(98), "not overwritten");
    // Saving again, with the other result in view, is a choice.
    let revision = conflict.field_value("revision").unwrap();
    assert_eq!(revision, "1");
    let again = [
        f("outcome", "scored"),
        f("revision", &revision),
        f(format!("points_{floor}"), "9"),
        f(format!("reason_{floor}"), "积水"),
    ];
    assert_eq!(r.score(Some(&mut b), 0, &again, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(r.result(0).await.1, Some(91));
}

#[tokio::test]
async fn someone_the_round_does_not_name_gets_404_and_a_published_round_takes_no_edits() {
    let mut r = round().await;
    let outsider = r.app.create_user(OUTSIDER, "生活部部员").await;
    r.app.grant(OUTSIDER, "life", "head").await;
    let mut o = r.app.browser_signed_in(outsider).await;
    assert_eq!(o.get(&format!("/inspect/rounds/{}", r.round_id)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(o.get(&r.sheet(0)).await.status, StatusCode::NOT_FOUND);
    let post = r.score(Some(&mut o), 0, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert!(!o.get("/inspect").await.body.contains(&format!("/inspect/rounds/{}", r.round_id)));
    assert!(!o.get("/me").await.body.contains("href=\"/inspect\""), "no rounds: no link");
    assert!(r.inspector.get("/me").await.body.contains("href=\"/inspect\""), "the inspector's way in");
    r.publish(0).await;
    assert!(!r.inspector.get("/me").await.body.contains("href=\"/inspect\""), "published: nothing to score");
    let refused = r.score(None, 0, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(id(&r.app, "select count(*) from inspection_result").await, 0);
}

/// Room 301 scored with a photo of its 床铺 deduction; its deduction's id.
async fn scored_with_photo(r: &mut Round) -> i64 {
    let bed = r.bed;
    let saved = r
        .score(
            None,
            0,
            &[f("outcome", "scored"), f("revision", "0"), f(format!("preset_{bed}"), "1")],
            &[(format!("photo_{bed}"), png())],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    id(&r.app, "select deduction_id from inspection_deduction where photo_name is not null").await
}

#[tokio::test]
async fn a_resident_sees_only_their_own_room_its_published_results_and_their_photos() {
    let mut r = round().await;
    let deduction = scored_with_photo(&mut r).await;
    r.score(None, 1, &[f("outcome", "refused"), f("revision", "0")], &[]).await;
    let mut mine = r.resident(RESIDENT, 0).await;
    let mut neighbour = r.resident(NEIGHBOUR, 1).await;
    let photo = format!("/inspections/deductions/{deduction}/photo");
    let draft = mine.get("/me/room").await;
    assert!(draft.body.contains("301") && !draft.body.contains("被子未叠"), "a draft is not shown");
    assert_eq!(mine.get(&photo).await.status, StatusCode::NOT_FOUND, "nor its photo");
    assert_eq!(r.inspector.get(&format!("{photo}?size=thumb")).await.status, StatusCode::OK, "the inspector sees it");
    r.publish(0).await;
    let published = mine.get("/me/room").await;
    assert!(published.body.contains("被子未叠") && published.body.contains("95"), "{}", published.body);
    assert!(!published.body.contains("拒查"), "not the neighbour's result");
    let shown = mine.get(&photo).await;
    assert_eq!((shown.status, shown.header("cache-control")), (StatusCode::OK, Some("private, no-store")));
    assert_eq!(neighbour.get(&photo).await.status, StatusCode::NOT_FOUND, "another room's resident");
    assert!(neighbour.get("/me/room").await.body.contains("拒查"));
    assert_eq!(r.app.browser().get(&photo).await.status, StatusCode::NOT_FOUND, "anonymous");
    assert!(mine.get("/me").await.body.contains("/me/room"), "a link from /me");
    let nobody = r.app.create_user("2026600099", "走读同学").await;
    let page = r.app.browser_signed_in(nobody).await.get("/me/room").await;
    assert!(page.body.contains("没有你的住宿记录") && !page.body.contains("301"));
    exec(
        &r.app,
        &format!("update app_user set verified_by = null, verified_at = null where student_no = '{RESIDENT}'"),
    )
    .await;
    assert!(mine.get("/me/room").await.body.contains("验证学号"));
    assert_eq!(mine.get(&photo).await.status, StatusCode::NOT_FOUND, "unverified, no room");
}

#[tokio::test]
async fn a_room_appeals_once_a_term_within_the_days() {
    let mut r = round().await;
    let head = r.app.create_user("2026600098", "生活卫生部部长").await;
    r.app.grant("2026600098", "life", "head").await;
    scored_with_photo(&mut r).await;
    r.score(None, 2, &[f("outcome", "absent"), f("revision", "0")], &[]).await;
    r.publish(1).await;
    let mut mine = r.resident(RESIDENT, 0).await;
    let result = id(&r.app, &format!("select result_id from inspection_result where room_id = {}", r.rooms[0])).await;
    let path = format!("/me/room/results/{result}/appeal");
    let filed = mine
        .post_multipart(&path, &[("body", "被子是叠好的，照片拍的是室友起床前")], &[("photo", "p.png", &png())])
        .await;
    assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, Some("/me/room")));
    let appeal = id(&r.app, "select appeal_id from inspection_appeal").await;
    assert_eq!(mine.get(&format!("/inspections/appeals/{appeal}/photo")).await.status, StatusCode::OK);
    let mut neighbour = r.resident(NEIGHBOUR, 1).await;
    assert_eq!(neighbour.get(&format!("/inspections/appeals/{appeal}/photo")).await.status, StatusCode::NOT_FOUND);
    let again = mine.post_multipart(&path, &[("body", "再申诉一次")], &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("每学期只能申诉一次"), "{}", again.body);
    assert_eq!(id(&r.app, "select count(*) from inspection_appeal").await, 1);
    assert_eq!(id(&r.app, "select count(*) from audit_log where action = 'inspection.appeal'").await, 1);
    let told = format!(
        "select count(*) from notification where user_id = {head} and message_key = 'notify.inspections.appeal_filed'
           and link = '/d/life/inspections/appeals'"
    );
    assert_eq!(id(&r.app, &told).await, 1, "the department's head is told once");
    // Not another room's result, whatever the id.
    let other = id(&r.app, &format!("select result_id from inspection_result where room_id = {}", r.rooms[2])).await;
    let foreign = neighbour.post_multipart(&format!("/me/room/results/{other}/appeal"), &[("body", "x")], &[]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_appeal_after_the_days_is_refused_with_a_message() {
    let mut r = round().await;
    scored_with_photo(&mut r).await;
    r.publish(4).await;
    let mut mine = r.resident(RESIDENT, 0).await;
    assert!(!mine.get("/me/room").await.body.contains("提交申诉"), "no form after the days");
    let result = id(&r.app, "select result_id from inspection_result").await;
    let late = mine.post_multipart(&format!("/me/room/results/{result}/appeal"), &[("body", "晚了")], &[]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("申诉期已过"));
    assert_eq!(id(&r.app, "select count(*) from inspection_appeal").await, 0);
}

#[tokio::test]
async fn one_tap_files_a_private_complaint_for_a_finding_once() {
    let mut r = round().await;
    let veto = r.veto;
    r.score(None, 0, &[f("outcome", "scored"), f("revision", "0"), f(format!("preset_{veto}"), "0")], &[]).await;
    r.score(None, 1, &[f("outcome", "scored"), f("revision", "0")], &[]).await;
    let report = |room: usize| format!("/inspect/rounds/{}/rooms/{}/report", r.round_id, r.rooms[room]);
    let (clean, vetoed) = (report(1), report(0));
    assert_eq!(
        r.inspector.post_form(&clean, &[("kind", "complaint")]).await.status,
        StatusCode::CONFLICT,
        "nothing to report"
    );
    let filed = r.inspector.post_form(&vetoed, &[("kind", "complaint")]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let to = filed.location().unwrap().to_string();
    assert!(to.starts_with("/complaints/"), "{to}");
    let row = sqlx::query("select title, location, is_public, is_anonymous, reporter_id from complaint")
        .fetch_one(&r.app.db)
        .await
        .unwrap();
    let title: String = row.get(0);
    assert!(title.contains("北区24栋301") && title.contains("使用热得快"), "{title}");
    assert_eq!(row.get::<String, _>(1), "北区24栋 301");
    assert!(!row.get::<bool, _>(2) && !row.get::<bool, _>(3));
    assert_eq!(row.get::<i64, _>(4), r.app.user_id(INSPECTOR).await);
    let category = "select cat.slug from complaint join complaint_category cat using (category_id)";
    assert_eq!(category_of(&r.app, category).await, "safety", "a veto finding goes to 安全");
    assert_eq!(r.inspector.get(&to).await.status, StatusCode::OK, "the inspector follows it");
    let again = r.inspector.post_form(&vetoed, &[("kind", "complaint")]).await;
    assert_eq!(again.location(), Some(to.as_str()), "a second tap opens the same complaint");
    assert_eq!(id(&r.app, "select count(*) from complaint").await, 1);
    assert_eq!(id(&r.app, "select count(*) from audit_log where action = 'inspection.report'").await, 1);
    let outsider = r.app.create_user(OUTSIDER, "路人").await;
    let mut o = r.app.browser_signed_in(outsider).await;
    assert_eq!(o.post_form(&vetoed, &[("kind", "complaint")]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_inspector_past_the_hours_photos_gets_a_429_that_keeps_the_sheet() {
    let mut r = round_in(TestApp::spawn_with(|c| c.rate_limits.photos = 1).await).await;
    scored_with_photo(&mut r).await;
    let bed = r.bed;
    let fields =
        [f("outcome", "scored"), f("revision", "0"), f(format!("preset_{bed}"), "1"), f("note", "床上堆满衣物")];
    let refused = r.score(None, 1, &fields, &[(format!("photo_{bed}"), png())]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("操作太频繁") && refused.body.contains("床上堆满衣物"), "{}", refused.body);
    assert_eq!(id(&r.app, "select count(*) from inspection_result").await, 1, "only the first room");
    let without_photo = r.score(None, 1, &fields, &[]).await;
    assert_eq!(without_photo.status, StatusCode::SEE_OTHER, "a sheet without photos still saves");
}

async fn category_of(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_repair_request_goes_to_logistics_with_a_copy_of_the_deductions_photo() {
    let mut r = round().await;
    scored_with_photo(&mut r).await;
    let path = format!("/inspect/rounds/{}/rooms/{}/report", r.round_id, r.rooms[0]);
    assert_eq!(r.inspector.post_form(&path, &[("kind", "fix")]).await.status, StatusCode::BAD_REQUEST);
    let filed = r.inspector.post_form(&path, &[("kind", "repair")]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let repair = filed.location().unwrap().to_string();
    let row = sqlx::query(
        "select c.title, cat.slug, p.file_name, (select photo_name from inspection_deduction)
         from complaint c join complaint_category cat using (category_id) join complaint_photo p using (complaint_id)",
    )
    .fetch_one(&r.app.db)
    .await
    .unwrap();
    assert!(row.get::<String, _>(0).starts_with("报修：北区24栋301"), "{}", row.get::<String, _>(0));
    assert_eq!(row.get::<String, _>(1), "logistics");
    assert_ne!(row.get::<String, _>(2), row.get::<String, _>(3), "the complaint has its own copy");
    let sheet = r.inspector.get(&r.sheet(0)).await.body;
    assert!(sheet.contains("已报修") && sheet.contains("一键投诉"), "the other kind can still be filed");
    let complaint = r.inspector.post_form(&path, &[("kind", "complaint")]).await;
    assert_ne!(complaint.location(), Some(repair.as_str()), "a complaint is its own record");
    let dorm =
        "select cat.slug from complaint join complaint_category cat using (category_id) order by complaint_id desc";
    assert_eq!(category_of(&r.app, &format!("{dorm} limit 1")).await, "dorm", "no veto: to 宿舍");
    let again = r.inspector.post_form(&path, &[("kind", "repair")]).await;
    assert_eq!(again.location(), Some(repair.as_str()));
    assert_eq!(id(&r.app, "select count(*) from complaint").await, 2);
}

#[tokio::test]
async fn a_resident_shares_a_photo_of_their_room_and_only_they_withdraw_it() {
    let r = round().await;
    let mut mine = r.resident(RESIDENT, 0).await;
    mine.get("/me/room").await;
    let shared = mine.post_multipart("/me/room/photos", &[], &[("share_photo", "room.png", &png())]).await;
    assert_eq!((shared.status, shared.location()), (StatusCode::SEE_OTHER, Some("/me/room")));
    let photo = id(&r.app, &format!("select photo_id from dorm_room_photo where room_id = {}", r.rooms[0])).await;
    let empty = mine.post_multipart("/me/room/photos", &[], &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut neighbour = r.resident(NEIGHBOUR, 1).await;
    let path = format!("/me/room/photos/{photo}/remove");
    assert_eq!(neighbour.post_form(&path, &[]).await.status, StatusCode::NOT_FOUND, "not their room's");
    assert_eq!(mine.post_form(&path, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(id(&r.app, "select count(*) from dorm_room_photo").await, 0);
    assert_eq!(id(&r.app, "select count(*) from audit_log where action = 'inspection.photo_share'").await, 2);
}
