//! The world the table is checked in: one account per role, the objects each row's URL
//! names, and a valid submission for every form.

use super::*;
use crate::helpers::{Browser, TestApp};

/// A valid session form: next week, sign-up open now.
pub(crate) fn reception_session_form() -> Vec<(String, String)> {
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%dT%H:%M").to_string()
    };
    let start = chrono::Utc::now() + chrono::Duration::days(7);
    [
        ("kind", "leaders".to_string()),
        ("starts_at", local(start)),
        ("ends_at", local(start + chrono::Duration::hours(2))),
        ("place", "行政楼".to_string()),
        ("topic", "食堂".to_string()),
        ("leaders", "王建国 副校长".to_string()),
        ("quotas", "法学院 3".to_string()),
        ("open_seats", "20".to_string()),
        ("signup_opens_at", local(chrono::Utc::now())),
        ("signup_closes_at", local(start - chrono::Duration::days(1))),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The people of the world, in the order of ROLES after the anonymous visitor, then two more.
pub(crate) const PEOPLE: [(&str, &str); 10] = [
    ("2026000101", "学生"),
    ("2026000110", "投诉人"),
    ("2026000102", "部员"),
    ("2026000103", "副部长"),
    ("2026000104", "部长"),
    ("2026000105", "别部部长"),
    ("2026000106", "主席团成员"),
    ("2026000107", "管理员"),
    ("2026000108", "被操作者"),
    ("2026000109", "旁观者"),
];
pub(crate) const OWNER_NO: &str = "2026000110";
pub(crate) const MEMBER_NO: &str = "2026000102";

pub(crate) struct World {
    pub(crate) app: TestApp,
    /// One per role, in the order of ROLES.
    pub(crate) browsers: Vec<Browser>,
    /// The account behind each browser (none for the anonymous visitor).
    pub(crate) users: Vec<Option<i64>>,
    pub(crate) target_user: i64,
    pub(crate) bystander_no: &'static str,
    pub(crate) owner: i64,
}

pub(crate) async fn world() -> World {
    let app = TestApp::spawn().await;
    let mut ids = vec![];
    for (no, name) in PEOPLE {
        ids.push(app.create_user(no, name).await);
    }
    app.grant(MEMBER_NO, "rights", "member").await;
    app.grant("2026000103", "rights", "vice_head").await;
    app.grant("2026000104", "rights", "head").await;
    app.grant("2026000105", "life", "head").await;
    app.grant_union("2026000106", "presidium").await;
    app.grant_union("2026000107", "admin").await;
    let users: Vec<Option<i64>> = std::iter::once(None).chain(ids[..8].iter().copied().map(Some)).collect();
    let mut w = World { target_user: ids[8], owner: ids[1], app, browsers: vec![], users, bystander_no: "2026000109" };
    for i in 0..ROLES.len() {
        let b = w.browser_for(i).await;
        w.browsers.push(b);
    }
    w
}

impl World {
    /// A fresh browser for role `i`, signed in as its account; each role comes from its own
    /// address, so per-address limits see one visitor each.
    pub(crate) async fn browser_for(&self, i: usize) -> Browser {
        let mut b = match self.users[i] {
            Some(id) => self.app.browser_signed_in(id).await,
            None => self.app.browser(),
        };
        b.ip = format!("192.0.2.{}", 10 + i);
        b
    }

    pub(crate) async fn id_of(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.app.db).await.unwrap()
    }

    /// A fresh complaint of the owner's about a canteen (the rights department's); its tracking number.
    pub(crate) async fn complaint(&self, public: bool, photo: bool) -> String {
        let (category_id, department_id): (i64, i64) =
            sqlx::query_as("select category_id, department_id from complaint_category where slug = 'canteen'")
                .fetch_one(&self.app.db)
                .await
                .unwrap();
        let values = union_portal::complaints::NewComplaintValues {
            category_id,
            department_id,
            title: "食堂饭菜有异物".into(),
            location: "西区一食堂".into(),
            description: "午饭里有头发。".into(),
            is_public: public,
            is_anonymous: false,
        };
        let photos = if photo { vec![self.app.stored_photo().await] } else { vec![] };
        let (_, no) =
            union_portal::complaints::file_complaint(&self.app.state, self.owner, &values, &photos).await.unwrap();
        no
    }

    /// A fresh private complaint of the owner's; its tracking number.
    pub(crate) async fn file_complaint(&self) -> String {
        self.complaint(false, false).await
    }

    /// A session of the rights department, with seats for 法学院 delegates; its id.
    pub(crate) async fn reception_session(&self) -> i64 {
        sqlx::query_scalar(
            "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number),
                  s as (insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic,
                                                      open_seats, signup_opens_at, signup_closes_at)
                        select 'leaders', (select last_number from n), department_id,
                               now() + interval '7 days', now() + interval '7 days 2 hours', '行政楼', '食堂', 20,
                               now() - interval '1 hour', now() + interval '6 days'
                        from department where slug = 'rights' returning session_id)
             insert into reception_quota (session_id, college, seats) select session_id, '法学院', 100 from s
             returning session_id",
        )
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }

    /// A held item registered directly in the database; `expired` puts it past the retention period.
    pub(crate) async fn found_item(&self, expired: bool) -> i64 {
        let id: i64 = sqlx::query_scalar(
            "insert into found_item (department_id, point_id, category, description, found_place, found_on, registered_at)
             select d.department_id, p.point_id, 'umbrella', '黑色雨伞', '图书馆', current_date,
                    now() - case when $1 then interval '100 days' else interval '0 days' end
             from department d join collection_point p using (department_id)
             where d.slug = 'rights' order by p.point_id limit 1
             returning item_id",
        )
        .bind(expired)
        .fetch_one(&self.app.db)
        .await
        .unwrap();
        id
    }

    /// A held item with a photo, registered by the rights member; a card is the owner's campus card.
    pub(crate) async fn item_with_photo(&self, card: bool) -> i64 {
        let point_id = self.id_of("select point_id from collection_point where name_zh = '北区24栋'").await;
        let values = union_portal::lost_found::forms::ItemValues {
            point_id,
            category: if card { "card" } else { "umbrella" }.into(),
            description: if card { "校园卡" } else { "黑色雨伞" }.into(),
            colour: String::new(),
            found_place: "图书馆".into(),
            found_on: union_portal::web::forms::today(),
            card_student_no: card.then(|| OWNER_NO.to_string()),
            card_name: if card { "投诉人" } else { "" }.into(),
        };
        let rights = self.id_of("select department_id from department where slug = 'rights'").await;
        let member = self.app.user_id(MEMBER_NO).await;
        let photo = self.app.stored_photo().await;
        union_portal::lost_found::register_item(&self.app.state, rights, member, &values, Some(&photo)).await.unwrap()
    }

    /// The number of a freshly published bulletin of the rights department.
    pub(crate) async fn bulletin(&self) -> i32 {
        self.found_item(false).await;
        let rights = self.id_of("select department_id from department where slug = 'rights'").await;
        let member = self.app.user_id(MEMBER_NO).await;
        let published =
            union_portal::lost_found::bulletins::publish_next(&self.app.db, rights, member, 57).await.unwrap();
        published.expect("something to publish").0
    }

    /// A fresh lost report of the owner's; its id.
    pub(crate) async fn lost_report(&self) -> i64 {
        let report = union_portal::lost_found::queries::NewReport {
            owner_id: self.owner,
            category: "umbrella",
            what: "黑色雨伞",
            place: "图书馆",
            lost_on: union_portal::web::forms::today(),
            description: "",
            contact: "微信 owner-110",
        };
        union_portal::lost_found::queries::insert_report(&self.app.db, &report).await.unwrap()
    }

    /// A plan of the rights department with one goal and one action owned by the member:
    /// (plan, goal, action).
    pub(crate) async fn plan(&self, path: &str, attempt: usize) -> (i64, i64, i64) {
        let app = &self.app;
        let status = if path.ends_with("/approve") || path.ends_with("/return") {
            "submitted"
        } else if path.ends_with("/progress") || path.ends_with("/public") || path.ends_with("/start") {
            "approved"
        } else if path.ends_with("/review") {
            "in_progress"
        } else {
            "draft"
        };
        // The review needs every action's outcome.
        let action_status = if path.ends_with("/review") { "done" } else { "not_started" };
        let plan: i64 = sqlx::query_scalar(
            "insert into plan (department_id, period, title, status)
             select department_id, $1, '工作计划', $2 from department where slug = 'rights' returning plan_id",
        )
        .bind(format!("第{attempt}期"))
        .bind(status)
        .fetch_one(&app.db)
        .await
        .unwrap();
        let goal: i64 = sqlx::query_scalar(
            "insert into plan_goal (plan_id, position, title) values ($1, 0, '定位清晰') returning goal_id",
        )
        .bind(plan)
        .fetch_one(&app.db)
        .await
        .unwrap();
        let action: i64 = sqlx::query_scalar(
            "insert into plan_action (plan_id, goal_id, position, title, owner_id, status)
             select $1, $2, 0, '接待日', user_id, $3 from app_user where student_no = $4 returning action_id",
        )
        .bind(plan)
        .bind(goal)
        .bind(action_status)
        .bind(MEMBER_NO)
        .fetch_one(&app.db)
        .await
        .unwrap();
        (plan, goal, action)
    }

    /// Fill in the path and the form for one request, re-creating what a previous success removed.
    pub(crate) async fn prepare(&self, row: &Row, attempt: usize) -> (String, Vec<(String, String)>) {
        let app = &self.app;
        let mut path = row.path.to_string();
        if path.contains("{membership_id}") {
            let id = app.grant("2026000108", "rights", "member").await;
            path = path.replace("{membership_id}", &id.to_string());
        }
        if path.contains("{user_id}") {
            path = path.replace("{user_id}", &self.target_user.to_string());
        }
        if path.contains("{reset_token}") {
            path = path.replace("{reset_token}", &self.reset_token().await);
        }
        if path.contains("{department_id}") {
            let id = self.id_of("select department_id from department where slug = 'news'").await;
            path = path.replace("{department_id}", &id.to_string());
        }
        if path.contains("{union_role_id}") {
            app.grant_union("2026000108", "presidium").await;
            let id: i64 =
                sqlx::query_scalar("select union_role_id from union_role where user_id = $1 and role = 'presidium'")
                    .bind(self.target_user)
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
            path = path.replace("{union_role_id}", &id.to_string());
        }
        if path.contains("{category_id}") {
            let id = self.id_of("select category_id from complaint_category where slug = 'other'").await;
            path = path.replace("{category_id}", &id.to_string());
        }
        if path.contains("{day}") {
            // A day of its own per attempt, far from any real schedule: the admin's deletes it.
            let day: String = sqlx::query_scalar(
                "insert into calendar_day (day, kind, name) values (date '2090-01-01' + $1::int, 'holiday', '测试')
                 returning day::text",
            )
            .bind(attempt as i32)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path.replace("{day}", &day);
        }
        if path.contains("{office_id}") {
            let id = self.id_of("select office_id from school_office where name_zh = '图书馆'").await;
            path = path.replace("{office_id}", &id.to_string());
        }
        if path.contains("{item_id}") {
            path = path.replace("{item_id}", &self.found_item(row.route.ends_with("/dispose")).await.to_string());
        }
        if path.contains("{photo_item_id}") {
            path = path.replace("{photo_item_id}", &self.item_with_photo(false).await.to_string());
        }
        if path.contains("{card_item_id}") {
            path = path.replace("{card_item_id}", &self.item_with_photo(true).await.to_string());
        }
        if path.contains("{point_id}") {
            let id = self.id_of("select point_id from collection_point where name_zh = '北区24栋'").await;
            path = path.replace("{point_id}", &id.to_string());
        }
        let public_plan = path.contains("{public_plan_id}");
        if public_plan || path.contains("{plan_id}") {
            let (plan, goal, action) = self.plan(&path, attempt).await;
            if public_plan {
                sqlx::query("update plan set is_public = true, status = 'approved' where plan_id = $1")
                    .bind(plan)
                    .execute(&app.db)
                    .await
                    .unwrap();
            }
            path = path
                .replace("{public_plan_id}", &plan.to_string())
                .replace("{plan_id}", &plan.to_string())
                .replace("{goal_id}", &goal.to_string())
                .replace("{action_id}", &action.to_string());
        }
        let mut session_id = 0;
        if path.contains("{session_id}") || path.contains("{commitment_id}") || path.contains("{code}") {
            session_id = self.reception_session().await;
            path = path.replace("{session_id}", &session_id.to_string());
        }
        if path.contains("{code}") {
            let code: String = sqlx::query_scalar(
                "select k.path_prefix || s.number from reception_session s join reception_kind k using (kind)
                 where s.session_id = $1",
            )
            .bind(session_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path.replace("{code}", &code);
            // The owner has a seat: theirs to give up.
            union_portal::reception::seats::sign_up(&app.db, session_id, self.owner, chrono::Utc::now()).await.unwrap();
        }
        if path.contains("{delegate_id}") {
            let id: i64 = sqlx::query_scalar(
                "insert into reception_delegate (session_id, college, student_no, name)
                 values ($1, '法学院', '2026000188', '代表') returning delegate_id",
            )
            .bind(session_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path.replace("{delegate_id}", &id.to_string());
        }
        if path.contains("{question_id}") {
            let id: i64 = sqlx::query_scalar(
                "insert into reception_question (session_id, author_id, body) values ($1, $2, '食堂能否延长营业时间？')
                 returning question_id",
            )
            .bind(session_id)
            .bind(self.owner)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path.replace("{question_id}", &id.to_string());
        }
        if path.contains("{commitment_id}") {
            let id: i64 = sqlx::query_scalar(
                "with m as (insert into reception_minute (session_id, question, answered_by, answer)
                            values ($1, '宿舍热水？', '后勤处', '会修。') returning minute_id, session_id)
                 insert into commitment (minute_id, session_id, what, office_id, due_on)
                 select m.minute_id, m.session_id, '修好热水', o.office_id, current_date + 30 from m, school_office o
                 where o.name_zh = '后勤处' returning commitment_id",
            )
            .bind(session_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path.replace("{commitment_id}", &id.to_string());
            if path.contains("{update_id}") {
                let (full, thumb, ..) = app.stored_photo().await;
                let update: i64 = sqlx::query_scalar(
                    "insert into commitment_update (commitment_id, author_id, body, status_after, photo_name, thumb_name)
                     select $1, user_id, '已动工', 'in_progress', $2, $3 from app_user where student_no = $4
                     returning update_id",
                )
                .bind(id)
                .bind(full)
                .bind(thumb)
                .bind(MEMBER_NO)
                .fetch_one(&app.db)
                .await
                .unwrap();
                path = path.replace("{update_id}", &update.to_string());
            }
        }
        if path.contains("{tracking_no}") {
            let no = self.complaint(false, path.contains("{photo_id}")).await;
            if path.ends_with("/confirm") || path.ends_with("/reopen") {
                sqlx::query("update complaint set status = 'resolved', resolved_at = now() where tracking_no = $1")
                    .bind(&no)
                    .execute(&app.db)
                    .await
                    .unwrap();
            }
            if path.contains("{photo_id}") {
                let photo: i64 = sqlx::query_scalar(
                    "select photo_id from complaint_photo join complaint using (complaint_id) where tracking_no = $1",
                )
                .bind(&no)
                .fetch_one(&app.db)
                .await
                .unwrap();
                path = path.replace("{photo_id}", &photo.to_string());
            }
            path = path.replace("{tracking_no}", &no);
        }
        if path.contains("{public_no}") {
            path = path.replace("{public_no}", &self.complaint(true, false).await);
        }
        if path.contains("{number}") {
            path = path.replace("{number}", &self.bulletin().await.to_string());
        }
        if path.contains("{report_id}") {
            path = path.replace("{report_id}", &self.lost_report().await.to_string());
        }
        let form = self.form(row, attempt).await;
        (path, form)
    }

    /// A fresh password-reset link's token for the bystander's account.
    pub(crate) async fn reset_token(&self) -> String {
        let token = union_portal::web::session::random_token();
        sqlx::query(
            "insert into password_reset (user_id, token_hash, expires_at) values ($1, $2, now() + interval '30 minutes')",
        )
        .bind(self.target_user)
        .bind(union_portal::web::session::hash_token(&token))
        .execute(&self.app.db)
        .await
        .expect("reset link");
        token
    }

    /// A valid form for the row's route: whatever it refuses, it refuses for who is asking.
    pub(crate) async fn form(&self, row: &Row, attempt: usize) -> Vec<(String, String)> {
        let app = &self.app;
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let today = union_portal::web::forms::today().to_string();
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
            "/complaints/new" => vec![
                s("category", "canteen"),
                s("title", "食堂饭菜有异物"),
                s("location", "西区一食堂"),
                s("description", "午饭里有头发。"),
                s("visibility", "public"),
            ],
            "/complaints/{tracking_no}/reply" | "/complaints/{tracking_no}/reopen" => vec![s("body", "还是没有解决。")],
            "/complaints/{tracking_no}/confirm" => vec![s("rating", "5")],
            "/lost-found/lost/new" => vec![
                s("category", "umbrella"),
                s("what", "黑色雨伞"),
                s("place", "图书馆"),
                s("lost_on", &today),
                s("contact", "微信 someone"),
            ],
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
                let day = chrono::NaiveDate::from_ymd_opt(2095, 1, 1).unwrap() + chrono::Days::new(attempt as u64);
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
            "/d/{dept}/reception/commitments/{commitment_id}/update" => {
                vec![s("body", "已动工"), s("status", "in_progress")]
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
            _ => vec![],
        }
    }
}
