//! The inspecting department's pages over the real router: rooms and residents from CSV
//! (every bad line named, nothing saved), rubric versions a round keeps, rounds on this
//! week's Wednesday, who may inspect, publishing once (residents told), an appeal that
//! changes a score and its grade, and who may see and change any of it.

use axum::http::StatusCode;
use chrono::{Datelike, Days};

use crate::helpers::{id_in, Browser, TestApp};

const HEAD: &str = "2026700001";
const MEMBER: &str = "2026700002";
const RESIDENT: &str = "2026700003";

const ROOMS: &str = "楼栋,房间,床位,学院,性别\n北区24栋,301,4,计算机学院,男\n北区24栋,302,4,计算机学院,男\n北区24栋,401,6,外国语学院,女\n";

struct Desk {
    app: TestApp,
    head: Browser,
}

async fn desk() -> Desk {
    let app = TestApp::spawn().await;
    let id = app.create_user(HEAD, "生活部副部长").await;
    app.grant(HEAD, "life", "vice_head").await;
    let head = app.browser_signed_in(id).await;
    Desk { app, head }
}

impl Desk {
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> crate::helpers::TestResponse {
        self.head.post_form(&format!("/d/life/inspections{path}"), fields).await
    }

    async fn rooms(&mut self) {
        let r = self.post("/rooms/import", &[("csv", ROOMS)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    /// A rubric of two items (60 and 40 points, the second a veto) with these boundaries.
    async fn rubric(&mut self, excellent: &str) {
        let fields = [
            ("excellent_min", excellent),
            ("good_min", "80"),
            ("pass_min", "60"),
            ("name_0", "床铺"),
            ("max_0", "60"),
            ("reasons_0", "2 床铺未整理\n5 被子未叠"),
            ("name_1", "违禁电器"),
            ("max_1", "40"),
            ("veto_1", "on"),
            ("reasons_1", "40 使用大功率电器"),
        ];
        let r = self.post("/rubric", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    async fn round(&mut self) -> i64 {
        let building =
            self.app.scalar("select building_id from dorm_building where name = '北区24栋'").await.to_string();
        let page = self.head.get("/d/life/inspections").await;
        let day = page.field_value("held_on").unwrap();
        let r = self.post("/rounds/new", &[("kind", "weekly"), ("held_on", &day), ("building", &building)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        id_in(r.location())
    }

    /// A scored result for room 301 (as an inspector's page would save it), and its id.
    async fn result_301(&self, round_id: i64, score: i32, grade: &str) -> i64 {
        sqlx::query_scalar(
            "insert into inspection_result (round_id, room_id, outcome, score, grade)
             select $1, room_id, 'scored', $2, $3 from dorm_room where room_number = '301' returning result_id",
        )
        .bind(round_id)
        .bind(score)
        .bind(grade)
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }

    /// A verified student living in room 301.
    async fn resident(&self) {
        self.app.create_user(RESIDENT, "住宿同学").await;
        sqlx::query("insert into dorm_resident (student_no, room_id) select $1, room_id from dorm_room where room_number = '301'")
            .bind(RESIDENT)
            .execute(&self.app.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn rooms_import_from_csv_with_floors_from_their_numbers_and_a_bad_line_saves_nothing() {
    let mut d = desk().await;
    d.rooms().await;
    let floors = d.app.scalar("select sum(floor * 10 + walk_order) from dorm_room").await;
    assert_eq!(floors, (31 + 32 + 41) as i64);
    // Again, one room changed: updated in place, not added.
    let r = d.post("/rooms/import", &[("csv", &ROOMS.replace("401,6", "401,5"))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from dorm_room").await, 3);
    assert_eq!(d.app.scalar("select capacity::bigint from dorm_room where room_number = '401'").await, 5);

    let bad = "楼栋,房间,床位,学院,性别\n北区24栋,501,4,,男\n北区24栋,502,0,,男\n西区12栋,12,4,,?\n";
    let r = d.post("/rooms/import", &[("csv", bad)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 3 行，床位"), "{}", r.body);
    assert!(r.body.contains("第 4 行，楼层"), "{}", r.body);
    assert!(r.body.contains("第 4 行，性别"), "{}", r.body);
    assert!(r.body.contains("北区24栋,502,0,,男"), "the form keeps the text");
    assert_eq!(d.app.scalar("select count(*) from dorm_room").await, 3);
    assert_eq!(d.app.scalar("select count(*) from dorm_building").await, 1);

    // Residents: an unknown room is named by its line, and nothing is saved.
    let residents = "学号,楼栋,房间\n2026000001,北区24栋,301\n2026000002,北区24栋,999\n";
    let r = d.post("/residents/import", &[("csv", residents)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("第 3 行，房间"), "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from dorm_resident").await, 0);
    let r = d.post("/residents/import", &[("csv", &residents.replace("999", "302"))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from dorm_resident").await, 2);
}

#[tokio::test]
async fn a_round_starts_on_this_weeks_wednesday_and_keeps_its_rubric_version_after_a_new_one() {
    let mut d = desk().await;
    d.rooms().await;
    let page = d.head.get("/d/life/inspections/rubric").await;
    assert!(page.body.contains("还没有评分表"), "the page explains there is none");
    let r = d.post("/rounds/new", &[("kind", "weekly"), ("held_on", "2026-12-02"), ("building", "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no round without a rubric");

    d.rubric("90").await;
    let dashboard = d.head.get("/d/life/inspections").await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    assert_eq!(dashboard.field_value("held_on").unwrap(), (monday + Days::new(2)).to_string());
    let round_id = d.round().await;

    d.rubric("95").await;
    let versions = format!(
        "select k.version::bigint from inspection_round o join inspection_rubric k using (rubric_id) where round_id = {round_id}"
    );
    assert_eq!(d.app.scalar(&versions).await, 1);
    assert_eq!(d.app.scalar("select max(version)::bigint from inspection_rubric").await, 2);
    assert_eq!(d.app.scalar("select count(*) from inspection_item").await, 4, "version 1's items stand");
    let page = d.head.get("/d/life/inspections/rubric").await;
    assert!(page.body.contains("第 2 版"));

    let bad = d
        .post(
            "/rubric",
            &[
                ("excellent_min", "50"),
                ("good_min", "80"),
                ("pass_min", "60"),
                ("name_0", "床铺"),
                ("max_0", "60"),
                ("reasons_0", "70 太多"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("reasons-0").is_some() && bad.field_error("good_min").is_some(), "{}", bad.body);
}

#[tokio::test]
async fn an_inspector_must_be_a_member_of_a_department_that_inspects() {
    let mut d = desk().await;
    d.rooms().await;
    d.rubric("90").await;
    let round_id = d.round().await;
    d.app.create_user("2026700010", "女生部部员").await;
    d.app.grant("2026700010", "girls", "member").await;
    d.app.create_user("2026700011", "权益部部员").await;
    d.app.grant("2026700011", "rights", "member").await;

    let r = d.post(&format!("/rounds/{round_id}/inspectors"), &[("student_no", "2026700011")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("student_no").is_some());
    let r = d.post(&format!("/rounds/{round_id}/inspectors"), &[("student_no", "2026700010")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from inspection_inspector").await, 1);
}

#[tokio::test]
async fn a_round_is_published_once_and_its_rooms_residents_are_told() {
    let mut d = desk().await;
    d.rooms().await;
    d.rubric("90").await;
    d.resident().await;
    let round_id = d.round().await;
    d.result_301(round_id, 88, "good").await;

    let page = d.head.get(&format!("/d/life/inspections/rounds/{round_id}")).await;
    assert!(page.body.contains("草稿") && page.body.contains("良好"), "{}", page.body);
    let r = d.post(&format!("/rounds/{round_id}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(d.app.notified(RESIDENT, "notify.inspections.published").await, 1);
    let again = d.post(&format!("/rounds/{round_id}/publish"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(d.app.notified(RESIDENT, "notify.inspections.published").await, 1);

    let csv = d.head.get(&format!("/d/life/inspections/rounds/{round_id}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("北区24栋,301,计算机学院,已评分,88,良好"), "{}", csv.body);
    let print = d.head.get(&format!("/d/life/inspections/rounds/{round_id}/print")).await;
    assert_eq!(print.status, StatusCode::OK);
}

#[tokio::test]
async fn a_changed_appeal_rescores_and_regrades_the_room_tells_its_residents_and_is_audited() {
    let mut d = desk().await;
    d.rooms().await;
    d.rubric("90").await;
    d.resident().await;
    let round_id = d.round().await;
    let result_id = d.result_301(round_id, 70, "pass").await;
    d.post(&format!("/rounds/{round_id}/publish"), &[]).await;
    let filed_by = d.app.user_id(RESIDENT).await;
    let appeal_id: i64 = sqlx::query_scalar(
        "insert into inspection_appeal (result_id, room_id, term, filed_by, body)
         select result_id, room_id, '2026-autumn', $2, '床铺已整理' from inspection_result where result_id = $1 returning appeal_id",
    )
    .bind(result_id)
    .bind(filed_by)
    .fetch_one(&d.app.db)
    .await
    .unwrap();

    let path = format!("/appeals/{appeal_id}/decide");
    let r = d.post(&path, &[("decision", "changed"), ("new_score", "101"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "beyond full marks, and no reason");
    let r = d.post(&path, &[("decision", "changed"), ("new_score", "95"), ("reason", "复查属实")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let row: (i32, String, i32) =
        sqlx::query_as("select score, grade, score_before_appeal from inspection_result where result_id = $1")
            .bind(result_id)
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    assert_eq!(row, (95, "excellent".to_string(), 70));
    assert_eq!(d.app.scalar("select count(*) from audit_log where action = 'inspection.appeal_decide'").await, 1);
    assert_eq!(d.app.notified(RESIDENT, "notify.inspections.appeal_changed").await, 1);
    let again = d.post(&path, &[("decision", "upheld"), ("reason", "再来一次")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_department_without_the_desk_gets_404_and_a_member_reads_but_cannot_change() {
    let mut d = desk().await;
    let rights = d.app.create_user("2026700020", "权益部长").await;
    d.app.grant("2026700020", "rights", "head").await;
    let mut rights = d.app.browser_signed_in(rights).await;
    assert_eq!(rights.get("/d/rights/inspections").await.status, StatusCode::NOT_FOUND);
    assert_eq!(rights.get("/d/life/inspections").await.status, StatusCode::FORBIDDEN);

    let member = d.app.create_user(MEMBER, "生活部部员").await;
    d.app.grant(MEMBER, "life", "member").await;
    let mut member = d.app.browser_signed_in(member).await;
    assert_eq!(member.get("/d/life/inspections/rooms").await.status, StatusCode::OK);
    let r = member.post_form("/d/life/inspections/rooms/import", &[("csv", ROOMS)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    d.rooms().await;
    assert_eq!(d.app.scalar("select count(*) from dorm_room").await, 3);
}
