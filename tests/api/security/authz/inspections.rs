//! The dorm inspections of the table's world: the rights department runs inspections (and
//! 生活部, the other head's, does too); 北区24栋 has room 301, the owner's, and 302, the
//! bystander's; a rubric of two items. Every request that names a round gets a fresh one of
//! the rights department with the member as its inspector (and the target account, whom
//! the removal takes off): unpublished for the scoring rows, published with a result and a
//! deduction with a photo for the resident's and the photos' rows.

use super::*;

/// The world's building, with rooms 301 (the owner's) and 302 (the bystander's), and a rubric.
pub(crate) async fn arrange(w: &World) {
    w.app.rights_inspect_rooms_301_and_302(OWNER_NO, w.bystander_no).await;
    w.app
        .execute(
            "insert into inspection_item (rubric_id, position, name, max_points, veto, reasons)
             select rubric_id, 1, '床铺', 60, false, '{\"2 床铺未整理\",\"5 被子未叠\"}' from inspection_rubric;
             insert into inspection_item (rubric_id, position, name, max_points, veto, reasons)
             select rubric_id, 2, '地面', 40, false, '{}' from inspection_rubric;",
        )
        .await;
}

/// What a round of the world holds.
struct RoundIds {
    round: i64,
    result: Option<i64>,
    deduction: Option<i64>,
}

impl World {
    /// Room 301's id (the owner's).
    pub(crate) async fn room_301(&self) -> i64 {
        self.id_of("select room_id from dorm_room where room_number = '301'").await
    }

    /// A fresh round of the rights department over 北区24栋, inspected by the member and the
    /// target account; with room 301's result (a 床铺 deduction with a photo) when `scored`.
    async fn inspection_round(&self, published: bool, scored: bool) -> RoundIds {
        let app = &self.app;
        let round: i64 = sqlx::query_scalar(
            "insert into inspection_round (department_id, kind, held_on, rubric_id, published_at)
             select department_id, 'weekly', current_date, (select max(rubric_id) from inspection_item), $1
             from department where slug = 'rights' returning round_id",
        )
        .bind(published.then(chrono::Utc::now))
        .fetch_one(&app.db)
        .await
        .expect("a round");
        sqlx::query(
            "insert into inspection_round_building select $1, building_id from dorm_building where name = '北区24栋'",
        )
        .bind(round)
        .execute(&app.db)
        .await
        .expect("its building");
        let member = app.user_id(MEMBER_NO).await;
        for inspector in [member, self.target_user] {
            sqlx::query("insert into inspection_inspector (round_id, user_id) values ($1, $2)")
                .bind(round)
                .bind(inspector)
                .execute(&app.db)
                .await
                .expect("an inspector");
        }
        if !scored {
            return RoundIds { round, result: None, deduction: None };
        }
        let result: i64 = sqlx::query_scalar(
            "insert into inspection_result (round_id, room_id, outcome, score, grade, inspected_by)
             select $1, room_id, 'scored', 95, 'excellent', $2 from dorm_room where room_number = '301'
             returning result_id",
        )
        .bind(round)
        .bind(member)
        .fetch_one(&app.db)
        .await
        .expect("a result");
        let (full, thumb, ..) = app.stored_photo().await;
        let deduction: i64 = sqlx::query_scalar(
            "insert into inspection_deduction (result_id, item_id, points, reason, photo_name, thumb_name)
             select $1, item_id, 5, '被子未叠', $2, $3 from inspection_item
             where name = '床铺' order by item_id desc limit 1 returning deduction_id",
        )
        .bind(result)
        .bind(full)
        .bind(thumb)
        .fetch_one(&app.db)
        .await
        .expect("a deduction");
        RoundIds { round, result: Some(result), deduction: Some(deduction) }
    }

    /// An undecided appeal of room 301 against a fresh published result, filed by the owner
    /// with a photo (the room's earlier appeals go first: one a term).
    async fn appeal(&self) -> i64 {
        let ids = self.inspection_round(true, true).await;
        let (full, thumb, ..) = self.app.stored_photo().await;
        sqlx::query_scalar(
            "insert into inspection_appeal (result_id, room_id, term, filed_by, body, photo_name, thumb_name)
             select result_id, room_id, '2026-autumn', $2, '被子是叠好的', $3, $4 from inspection_result
             where result_id = $1 returning appeal_id",
        )
        .bind(ids.result)
        .bind(self.owner)
        .bind(full)
        .bind(thumb)
        .fetch_one(&self.app.db)
        .await
        .expect("an appeal")
    }

    /// A photo of room 301 the owner shared (the room's earlier ones go first).
    async fn room_photo(&self) -> i64 {
        self.clear_room_301("dorm_room_photo").await;
        let (full, thumb, ..) = self.app.stored_photo().await;
        sqlx::query_scalar(
            "insert into dorm_room_photo (room_id, term, shared_by, file_name, thumb_name)
             select room_id, '2026-autumn', $1, $2, $3 from dorm_room where room_number = '301' returning photo_id",
        )
        .bind(self.owner)
        .bind(full)
        .bind(thumb)
        .fetch_one(&self.app.db)
        .await
        .expect("a shared photo")
    }

    async fn clear_room_301(&self, table: &str) {
        sqlx::raw_sql(&format!(
            "delete from {table} where room_id = (select room_id from dorm_room where room_number = '301')"
        ))
        .execute(&self.app.db)
        .await
        .expect("room 301's earlier rows");
    }

    /// The path with its rooms, rounds, results, deductions, appeals and photos filled in.
    pub(crate) async fn with_inspections(&self, path: String) -> String {
        let mut path = path;
        if path.contains("{room_id}") {
            path = path.replace("{room_id}", &self.room_301().await.to_string());
        }
        if path.contains("{round_id}") || path.contains("{scored_round_id}") {
            // A finding to report (its form is on the scored room's sheet): room 301's result.
            let scored = path.contains("{scored_round_id}") || path.ends_with("/report");
            let ids = self.inspection_round(false, scored).await;
            path =
                path.replace("{round_id}", &ids.round.to_string()).replace("{scored_round_id}", &ids.round.to_string());
        }
        if path.contains("{result_id}") || path.contains("{deduction_id}") {
            self.clear_room_301("inspection_appeal").await;
            let ids = self.inspection_round(true, true).await;
            let (result, deduction) = (ids.result.unwrap_or(0), ids.deduction.unwrap_or(0));
            path = path.replace("{result_id}", &result.to_string()).replace("{deduction_id}", &deduction.to_string());
        }
        if path.contains("{appeal_id}") {
            self.clear_room_301("inspection_appeal").await;
            path = path.replace("{appeal_id}", &self.appeal().await.to_string());
        }
        if path.contains("{room_photo_id}") {
            path = path.replace("{room_photo_id}", &self.room_photo().await.to_string());
        }
        if path == "/me/room/photos" {
            self.clear_room_301("dorm_room_photo").await;
        }
        if path == "/me/room" {
            // A published result to appeal and a shared photo to withdraw: the page's forms.
            self.clear_room_301("inspection_appeal").await;
            self.inspection_round(true, true).await;
            self.room_photo().await;
        }
        if path.ends_with("/inspections/appeals") {
            // An appeal to decide: the page's form.
            self.clear_room_301("inspection_appeal").await;
            self.appeal().await;
        }
        if path.contains("/residents/remove") || path.contains("/residents/add") {
            // The target account: added by the add row, taken off by the remove row.
            sqlx::query(
                "delete from dorm_resident where student_no = (select student_no from app_user where user_id = $1)",
            )
            .bind(self.target_user)
            .execute(&self.app.db)
            .await
            .expect("the target's room");
            if path.contains("/remove") {
                sqlx::query(
                    "insert into dorm_resident (student_no, room_id)
                     select u.student_no, r.room_id from app_user u, dorm_room r
                     where u.user_id = $1 and r.room_number = '301'",
                )
                .bind(self.target_user)
                .execute(&self.app.db)
                .await
                .expect("the target in room 301");
            }
        }
        path
    }

    /// A valid submission for the inspections' forms.
    pub(crate) async fn inspections_form(&self, route: &str) -> Option<Vec<(String, String)>> {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let target_no = || PEOPLE[9].0;
        let form = match route {
            "/inspect/rounds/{round_id}/rooms/{room_id}" => {
                vec![s("outcome", "absent"), s("note", ""), s("revision", "0")]
            }
            "/inspect/rounds/{round_id}/rooms/{room_id}/report" => vec![s("kind", "complaint")],
            "/me/room/results/{result_id}/appeal" => vec![s("body", "被子是叠好的，照片拍的是室友起床前。")],
            "/d/{dept}/inspections/rooms/import" => {
                vec![s("csv", "楼栋,房间,床位,学院,性别\n北区24栋,303,4,计算机学院,男\n")]
            }
            "/d/{dept}/inspections/residents/import" => {
                vec![s("csv", &format!("学号,楼栋,房间\n{},北区24栋,302\n", self.bystander_no))]
            }
            "/d/{dept}/inspections/rooms/{room_id}/update" => {
                vec![s("capacity", "4"), s("college", "计算机学院"), s("gender", "m"), s("walk_order", "1")]
            }
            "/d/{dept}/inspections/rooms/{room_id}/residents/add"
            | "/d/{dept}/inspections/rooms/{room_id}/residents/remove" => vec![s("student_no", target_no())],
            "/d/{dept}/inspections/rubric" => vec![
                s("excellent_min", "90"),
                s("good_min", "80"),
                s("pass_min", "60"),
                s("name_0", "床铺"),
                s("max_0", "60"),
                s("reasons_0", "2 床铺未整理\n5 被子未叠"),
                s("name_1", "地面"),
                s("max_1", "40"),
                s("reasons_1", ""),
            ],
            "/d/{dept}/inspections/rounds/new" => {
                let building = self.id_of("select building_id from dorm_building where name = '北区24栋'").await;
                let today = union_portal::web::forms::today().to_string();
                vec![s("kind", "weekly"), s("held_on", &today), s("building", &building.to_string())]
            }
            // The vice head: a member of a department that inspects.
            "/d/{dept}/inspections/rounds/{round_id}/inspectors" => vec![s("student_no", PEOPLE[3].0)],
            "/d/{dept}/inspections/appeals/{appeal_id}/decide" => {
                vec![s("decision", "upheld"), s("new_score", ""), s("reason", "复查属实，维持原判。")]
            }
            _ => return None,
        };
        Some(form)
    }
}
