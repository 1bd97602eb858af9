//! The world the table is checked in: one account per role and the objects each row's
//! URL names (the valid submission for every form is in `forms`).

use super::*;
use crate::helpers::{Browser, TestApp};

/// The people of the world, in the order of ROLES after the anonymous visitor, then two more.
pub(crate) const PEOPLE: [(&str, &str); 11] = [
    ("2026000101", "学生"),
    ("2026000110", "投诉人"),
    ("2026000102", "部员"),
    ("2026000103", "副部长"),
    ("2026000104", "部长"),
    ("2026000105", "别部部长"),
    ("2026000106", "主席团成员"),
    ("2026000107", "管理员"),
    ("2026000111", "后勤处联络人"),
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
    sqlx::query(
        "insert into office_liaison (office_id, user_id) select office_id, $1 from school_office where name_zh = '后勤处'",
    )
    .bind(ids[8])
    .execute(&app.db)
    .await
    .unwrap();
    let users: Vec<Option<i64>> = std::iter::once(None).chain(ids[..9].iter().copied().map(Some)).collect();
    let mut w = World { target_user: ids[9], owner: ids[1], app, browsers: vec![], users, bystander_no: "2026000109" };
    for i in 0..ROLES.len() {
        let b = w.browser_for(i).await;
        w.browsers.push(b);
    }
    super::inspections::arrange(&w).await;
    super::lending::arrange(&w).await;
    super::recruitment::arrange(&w).await;
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

    /// A thing the owner found and will hand in at one of the rights department's points, pending.
    pub(crate) async fn found_offer(&self) -> i64 {
        let point: i64 = sqlx::query_scalar(
            "select point_id from collection_point p join department d using (department_id) where d.slug = 'rights' limit 1",
        )
        .fetch_one(&self.app.db)
        .await
        .unwrap();
        let offer = union_portal::lost_found::queries::NewOffer {
            reporter_id: self.owner,
            category: "umbrella",
            description: "蓝色折叠伞",
            colour: "蓝",
            found_place: "图书馆三楼",
            found_on: union_portal::web::forms::today(),
            point_id: Some(point),
            keeper_contact: "",
            photo: None,
        };
        union_portal::lost_found::queries::insert_offer(&self.app.db, &offer).await.unwrap().unwrap()
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
        if path.contains("{invite_token}") || path.contains("{invite_id}") {
            let (id, token) = self.office_invite().await;
            path = path.replace("{invite_token}", &token).replace("{invite_id}", &id.to_string());
        }
        if path.contains("{office_id}") {
            let id = self.id_of("select office_id from school_office where name_zh = '图书馆'").await;
            if path.contains("/liaisons/") {
                // The bystander answers for 图书馆 until the presidium removes them.
                sqlx::query("insert into office_liaison (office_id, user_id) values ($1, $2) on conflict do nothing")
                    .bind(id)
                    .bind(self.target_user)
                    .execute(&app.db)
                    .await
                    .unwrap();
            }
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
            // Taking off the agenda is for a complaint the daily job placed there.
            let placed = if path.ends_with("/take-off") { Some(self.file_complaint().await) } else { None };
            let id: i64 = sqlx::query_scalar(
                "insert into reception_question (session_id, author_id, body, complaint_id, on_agenda, placed_overdue)
                 values ($1, $2, '食堂能否延长营业时间？', (select complaint_id from complaint where tracking_no = $3),
                         $3 is not null, $3 is not null)
                 returning question_id",
            )
            .bind(session_id)
            .bind(self.owner)
            .bind(placed)
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
            if path.starts_with("/office/") {
                // Forwarded to 后勤处, whose liaison the world has.
                sqlx::query(
                    "update complaint set status = 'forwarded', forwarded_at = now(),
                            office_id = (select office_id from school_office where name_zh = '后勤处')
                     where tracking_no = $1",
                )
                .bind(&no)
                .execute(&app.db)
                .await
                .unwrap();
            }
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
        if path.contains("{escalated_no}") {
            let no = self.complaint(false, false).await;
            sqlx::query("update complaint set escalated_at = now() where tracking_no = $1")
                .bind(&no)
                .execute(&app.db)
                .await
                .unwrap();
            path = path.replace("{escalated_no}", &no);
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
        if path.contains("{offer_id}") {
            path = path.replace("{offer_id}", &self.found_offer().await.to_string());
        }
        if path.contains("event_id}") {
            path = self.with_event(path).await;
        }
        let path = self.with_inspections(path).await;
        let path = self.with_robots(path).await;
        let path = self.with_surveys(path).await;
        let path = self.lending_path(path).await;
        let path = self.with_recruitment(path).await;
        let form = self.form(row, attempt).await;
        (path, form)
    }

    /// A fresh password-reset link's token for the bystander's account.
    /// A pending invitation to answer for 学生处 (whose earlier liaisons by invitation go first,
    /// so no role stays one for the rows after), and its token.
    pub(crate) async fn office_invite(&self) -> (i64, String) {
        let office = self.id_of("select office_id from school_office where name_zh = '学生处'").await;
        sqlx::query("delete from office_liaison where office_id = $1")
            .bind(office)
            .execute(&self.app.db)
            .await
            .expect("earlier liaisons");
        let token = union_portal::web::session::random_token();
        let id: i64 = sqlx::query_scalar(
            "insert into office_invite (office_id, email, token_hash, expires_at)
             values ($1, 'invitee@hq.example.edu.cn', $2, now() + interval '14 days') returning invite_id",
        )
        .bind(office)
        .bind(union_portal::web::session::hash_token(&token))
        .fetch_one(&self.app.db)
        .await
        .expect("an invitation");
        (id, token)
    }

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
}
