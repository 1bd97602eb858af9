//! A valid submission for every form of the table: whatever a route refuses, it then
//! refuses for who is asking, not for what was typed.

use super::{
    events::{ANSWER, OWNER_SECRET},
    *,
};
use crate::helpers::SessionSeed;

/// A valid event: in two weeks, applications open since this morning for a week, a draw with one
/// place per college first.
pub(crate) fn event_form() -> Vec<(String, String)> {
    let at = |days: i64, hour: &str| {
        let day = (chrono::Utc::now() + chrono::Duration::days(days)).with_timezone(&chrono_tz::Asia::Shanghai);
        format!("{}T{hour}", day.date_naive())
    };
    [
        ("title", "第一届食堂开放日".to_string()),
        ("description", "参观后厨。".into()),
        ("place", "西二食堂".into()),
        ("starts_at", at(14, "11:00")),
        ("ends_at", at(14, "13:00")),
        ("places", "20".into()),
        ("applications_open_at", at(0, "00:00")),
        ("applications_close_at", at(7, "20:00")),
        ("questions", "为什么想参加？".into()),
        ("selection", "draw".into()),
        ("quota_rule", "one_per_college".into()),
        ("confirm_hours", "48".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// A valid session form: next week, sign-up open now.
fn reception_session_form() -> Vec<(String, String)> {
    SessionSeed::default()
        .place("行政楼")
        .topic("食堂")
        .leaders("王建国 副校长")
        .quotas("法学院 3")
        .signup_opens_at(chrono::Utc::now())
        .fields()
}

impl World {
    /// A valid form for the row's route: whatever it refuses, it refuses for who is asking.
    pub(crate) async fn form(&self, row: &Row, attempt: usize) -> Vec<(String, String)> {
        let app = &self.app;
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let today = union_portal::web::forms::today().to_string();
        if let Some(form) = self.inspections_form(row.route).await {
            return form;
        }
        if let Some(form) = self.lending_form(row.route, attempt).await {
            return form;
        }
        if let Some(form) = self.robots_form(row.route, attempt) {
            return form;
        }
        if let Some(form) = self.surveys_form(row.route) {
            return form;
        }
        if let Some(form) = self.recruitment_form(row.route, attempt).await {
            return form;
        }
        match row.route {
            "/lang" => vec![s("lang", "zh-CN"), s("next", "/")],
            "/password-reset" => vec![s("student_no", &format!("2029{attempt:06}"))],
            "/password-reset/choose" => {
                let password = "quiet lantern 48 harbour";
                vec![s("token", &self.reset_token().await), s("password", password), s("password_confirm", password)]
            }
            "/register" => {
                let password = "quiet lantern 48 harbour";
                vec![
                    s("student_no", &format!("2027{attempt:06}")),
                    s("name", "新同学"),
                    s("college", "法学院"),
                    s("email", &format!("new{attempt}@stu.example.edu.cn")),
                    s("password", password),
                    s("password_confirm", password),
                ]
            }
            // An unknown student number: the same answer as a wrong password, and no throttling of a real account.
            "/login" => vec![s("student_no", &format!("2028{attempt:06}")), s("password", "not the password 1")],
            "/account/password" => vec![
                s("current_password", crate::helpers::PASSWORD),
                s("new_password", "lantern harbour 93 quay"),
                s("password_confirm", "lantern harbour 93 quay"),
            ],
            "/me/notifications/email" => vec![s("email", "on")],
            "/me/notifications/digest" => vec![s("digest", "on")],
            "/complaints/new" => vec![
                s("category", "canteen"),
                s("title", "食堂饭菜有异物"),
                s("location", "西区一食堂"),
                s("description", "午饭里有头发。"),
                s("visibility", "public"),
            ],
            "/complaints/{tracking_no}/reply" | "/complaints/{tracking_no}/reopen" => vec![s("body", "还是没有解决。")],
            "/complaints/{tracking_no}/confirm" => vec![s("rating", "5")],
            "/office/complaints/{tracking_no}/answer" => vec![s("body", "已安排维修。"), s("public", "1")],
            "/office/complaints/{tracking_no}/ask" => vec![s("body", "请问是哪一间？")],
            "/office/complaints/{tracking_no}/plan" => {
                let next_week = (union_portal::web::forms::today() + chrono::Days::new(7)).to_string();
                vec![s("body", "下周更换。"), s("due_on", &next_week)]
            }
            "/presidium/escalations/{tracking_no}/reply"
            | "/presidium/escalations/{tracking_no}/note"
            | "/presidium/escalations/{tracking_no}/send-back" => vec![s("body", "请尽快处理。")],
            "/presidium/escalations/{tracking_no}/transfer" => vec![s("dept", "life")],
            "/presidium/escalations/{tracking_no}/forward" => {
                let office = self.id_of("select office_id from school_office where name_zh = '图书馆'").await;
                vec![s("office_id", &office.to_string())]
            }
            "/d/{dept}/reception/{session_id}/questions/{question_id}/take-off" => vec![s("off_reason", "另行处理")],
            "/d/{dept}/complaints/new" => vec![
                s("channel", "weibo"),
                s("category", "canteen"),
                s("title", "食堂涨价"),
                s("location", "西二食堂"),
                s("description", "微博私信反映。"),
                s("visibility", "public"),
            ],
            "/presidium/offices/liaisons" => {
                let office = self.id_of("select office_id from school_office where name_zh = '保卫处'").await;
                vec![s("office_id", &office.to_string()), s("student_no", "2026000109")]
            }
            "/presidium/offices/{office_id}/invites" => vec![s("email", &format!("invite{attempt}@hq.example.edu.cn"))],
            "/lost-found/lost/new" => vec![
                s("category", "umbrella"),
                s("what", "黑色雨伞"),
                s("place", "图书馆"),
                s("lost_on", &today),
                s("contact", "微信 someone"),
            ],
            "/lost-found/found/new" => vec![
                s("category", "umbrella"),
                s("description", "蓝色折叠伞"),
                s("found_place", "图书馆三楼"),
                s("found_on", &today),
                s("point", "keep"),
                s("keeper_contact", "微信 finder"),
            ],
            "/d/{dept}/lost-found/offers/{offer_id}/confirm" => {
                let point = self.id_of("select point_id from collection_point p join department d using (department_id) where d.slug = 'rights' limit 1").await;
                vec![s("point", &point.to_string()), s("description", "蓝色折叠伞")]
            }
            "/d/{dept}/lost-found/offers/{offer_id}/decline" => vec![s("reason", "没有交到招领点")],
            "/reception/{code}/questions" => vec![s("body", "图书馆能否延长开放时间？")],
            "/d/{dept}/plans/{plan_id}/steps/return" => vec![s("comment", "请补充负责人。")],
            "/d/{dept}/members/add" => vec![s("student_no", self.bystander_no), s("role", "member")],
            "/admin/departments/add" => {
                vec![s("slug", &format!("dept-{attempt}")), s("name_zh", "测试部"), s("name_en", "Test")]
            }
            "/admin/departments/{department_id}/update" => {
                vec![s("name_zh", "新闻网络部"), s("name_en", "News & Web")]
            }
            "/admin/memberships/grant" => {
                vec![s("student_no", self.bystander_no), s("dept", "infra"), s("role", "member")]
            }
            "/admin/union-roles/grant" => vec![s("student_no", self.bystander_no), s("role", "presidium")],
            "/admin/terms/handover" => vec![s("name", "2099-2100")],
            "/admin/holidays/add" => {
                // A day of its own per attempt, within the years the calendar takes (2000–2100).
                let day =
                    chrono::NaiveDate::from_ymd_opt(2095, 1, 1).unwrap() + chrono::Days::new(attempt as u64 % 2000);
                vec![s("day", &day.to_string()), s("kind", "holiday"), s("name", "测试假日")]
            }
            "/d/{dept}/complaints/{tracking_no}/transition" => vec![s("to", "accepted")],
            "/d/{dept}/complaints/{tracking_no}/transfer" => vec![s("dept", "safety")],
            "/admin/complaint-setup/categories/add" => vec![
                s("slug", &format!("cat-{}", "x".repeat(attempt % 20 + 1))),
                s("name_zh", "测试"),
                s("name_en", "Test"),
                s("dept", "rights"),
            ],
            "/admin/complaint-setup/categories/{category_id}/update" => {
                vec![s("name_zh", "其他"), s("name_en", "Other"), s("dept", "rights")]
            }
            "/admin/complaint-setup/offices/add" => {
                vec![s("name_zh", &format!("办公室{attempt}")), s("name_en", "An office")]
            }
            "/admin/complaint-setup/offices/{office_id}/update" => {
                vec![s("name_zh", "图书馆"), s("name_en", "Library")]
            }
            "/d/{dept}/complaints/{tracking_no}/merge" => vec![s("into", &self.file_complaint().await)],
            "/d/{dept}/complaints/{tracking_no}/reply" | "/d/{dept}/complaints/{tracking_no}/note" => {
                vec![s("body", "已联系后勤处")]
            }
            "/d/{dept}/complaints/{tracking_no}/assign" => {
                vec![s("assignee_id", &app.user_id(MEMBER_NO).await.to_string())]
            }
            "/d/{dept}/lost-found/items" => {
                let point = self.id_of("select point_id from collection_point where name_zh = '北区24栋'").await;
                vec![
                    s("point", &point.to_string()),
                    s("category", "keys"),
                    s("description", "钥匙串"),
                    s("found_place", "24栋楼下"),
                    s("found_on", &today),
                ]
            }
            "/d/{dept}/plans/new" => vec![s("title", "工作计划"), s("period", &format!("新一期{attempt}"))],
            "/d/{dept}/plans/{plan_id}/header" => {
                vec![s("title", "工作计划"), s("period", &format!("改名{attempt}")), s("version", "1")]
            }
            "/d/{dept}/plans/{plan_id}/goals/add" => vec![s("title", "重视宣传")],
            "/d/{dept}/plans/{plan_id}/goals/{goal_id}/update" => vec![s("title", "定位清晰"), s("version", "1")],
            "/d/{dept}/plans/{plan_id}/goals/{goal_id}/actions/add" => vec![s("title", "招新")],
            "/d/{dept}/plans/{plan_id}/actions/{action_id}/update" => vec![s("title", "接待日"), s("version", "1")],
            "/d/{dept}/plans/{plan_id}/actions/{action_id}/progress" => {
                vec![s("status", "in_progress"), s("progress", "30"), s("version", "1")]
            }
            "/d/{dept}/plans/{plan_id}/goals/{goal_id}/move" | "/d/{dept}/plans/{plan_id}/actions/{action_id}/move" => {
                vec![s("direction", "up")]
            }
            "/d/{dept}/plans/{plan_id}/public" => vec![s("public", "1")],
            "/d/{dept}/plans/{plan_id}/goals/{goal_id}/remove"
            | "/d/{dept}/plans/{plan_id}/actions/{action_id}/remove" => vec![s("version", "1")],
            "/d/{dept}/reception/{session_id}/delegates/add" => {
                vec![s("college", "法学院"), s("student_no", &format!("20269{attempt:05}")), s("name", "代表")]
            }
            "/d/{dept}/reception/{session_id}/agenda/complaint" => {
                let no = self.file_complaint().await;
                let id: i64 = sqlx::query_scalar(
                    "update complaint set on_reception_agenda = true where tracking_no = $1 returning complaint_id",
                )
                .bind(&no)
                .fetch_one(&app.db)
                .await
                .unwrap();
                vec![s("complaint_id", &id.to_string())]
            }
            "/d/{dept}/reception/{session_id}/minutes" => {
                vec![s("question", "图书馆能否通宵开放？"), s("answered_by", "图书馆"), s("answer", "考试周试行。")]
            }
            "/d/{dept}/commitments/{commitment_id}/update" | "/office/commitments/{commitment_id}/update" => {
                vec![s("body", "已动工"), s("status", "in_progress")]
            }
            "/d/{dept}/complaints/{tracking_no}/commitments" => {
                let office = self.id_of("select office_id from school_office where name_zh = '后勤处'").await;
                let due = (union_portal::web::forms::today() + chrono::Days::new(30)).to_string();
                vec![s("commitment", "月底前修好"), s("commitment_by", &office.to_string()), s("commitment_due", &due)]
            }
            "/d/{dept}/reception/new" | "/d/{dept}/reception/{session_id}/update" => reception_session_form(),
            "/d/{dept}/lost-found/bulletins/publish" => {
                // Something new to publish for every attempt.
                self.found_item(false).await;
                vec![]
            }
            "/d/{dept}/lost-found/items/{item_id}/claim" => {
                vec![s("claimant_student_no", "2026000109"), s("claimant_name", "旁观者")]
            }
            "/d/{dept}/lost-found/items/{item_id}/return" => vec![s("note", "已送还")],
            "/d/{dept}/lost-found/expired/dispose" => vec![s("ids", &self.found_item(true).await.to_string())],
            "/d/{dept}/lost-found/points/add" => vec![
                s("name_zh", &format!("南区{attempt}")),
                s("name_en", "South"),
                s("address", "南区食堂"),
                s("opening_hours", "每天 8:00–20:00"),
            ],
            "/d/{dept}/lost-found/points/{point_id}/update" => vec![
                s("name_zh", "北区24栋"),
                s("name_en", "North: Dorm 24"),
                s("address", "北区24栋宿管值班室"),
                s("opening_hours", "每天 7:00–23:00"),
            ],
            "/events/{event_id}/apply" => vec![s("a1", ANSWER)],
            "/events/{event_id}/commit" => vec![s("commitment", &union_portal::events::draw::sha256_hex("a secret"))],
            "/events/{event_id}/reveal" => vec![s("secret", OWNER_SECRET)],
            "/d/{dept}/events/new" | "/d/{dept}/events/{event_id}/update" => event_form(),
            "/d/{dept}/events/{event_id}/witnesses/add" => {
                // The student: no witness of the event yet (the bystander is one already).
                vec![s("student_no", PEOPLE[0].0), s("label", "学生代表 学生")]
            }
            // No public value was named: the draw needs none.
            "/d/{dept}/events/{event_id}/draw" => vec![s("public_value", "")],
            _ => vec![],
        }
    }
}
