//! Every staff route × every role, with the expected status, from one table.
//! A route added to the departments router and missing here fails the test.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

const ROLES: [&str; 8] = ["anonymous", "student", "member", "vice_head", "head", "other_head", "presidium", "admin"];

/// 303L: redirected to the login page. 303: done and redirected. Others are plain statuses.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Login,
    Ok,
    Done,
    Forbidden,
}
use Expect::*;

struct Row {
    method: &'static str,
    /// As written in the router (`{membership_id}` etc. are filled in per request).
    route: &'static str,
    /// The path requested.
    path: &'static str,
    expect: [Expect; 8],
}

/// Read by a member of the department and up, and by the presidium.
const READ_MEMBER: [Expect; 8] = [Login, Forbidden, Ok, Ok, Ok, Forbidden, Ok, Forbidden];
const READ_HEAD: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden];
const ACT_HEAD: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Done, Forbidden, Forbidden, Forbidden];
const PRESIDIUM_ACT: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Done, Forbidden];
const PRESIDIUM_READ: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden];
const ACT_VICE_HEAD: [Expect; 8] = [Login, Forbidden, Forbidden, Done, Done, Forbidden, Forbidden, Forbidden];
const ACT_MEMBER: [Expect; 8] = [Login, Forbidden, Done, Done, Done, Forbidden, Forbidden, Forbidden];
const ADMIN_READ: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok];
const ADMIN_ACT: [Expect; 8] = [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Done];

const TABLE: &[Row] = &[
    Row { method: "GET", route: "/d", path: "/d", expect: [Login, Ok, Ok, Ok, Ok, Ok, Ok, Ok] },
    Row { method: "GET", route: "/", path: "/d/rights", expect: READ_MEMBER },
    Row { method: "GET", route: "/members", path: "/d/rights/members", expect: READ_MEMBER },
    Row { method: "GET", route: "/audit", path: "/d/rights/audit", expect: READ_HEAD },
    Row { method: "POST", route: "/members/add", path: "/d/rights/members/add", expect: ACT_HEAD },
    Row {
        method: "POST",
        route: "/members/{membership_id}/remove",
        path: "/d/rights/members/{membership_id}/remove",
        expect: ACT_HEAD,
    },
    Row { method: "GET", route: "/complaints", path: "/d/rights/complaints", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/complaints/{tracking_no}",
        path: "/d/rights/complaints/{tracking_no}",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/transition",
        path: "/d/rights/complaints/{tracking_no}/transition",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/reply",
        path: "/d/rights/complaints/{tracking_no}/reply",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/note",
        path: "/d/rights/complaints/{tracking_no}/note",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/assign",
        path: "/d/rights/complaints/{tracking_no}/assign",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/transfer",
        path: "/d/rights/complaints/{tracking_no}/transfer",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/escalate",
        path: "/d/rights/complaints/{tracking_no}/escalate",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/agenda",
        path: "/d/rights/complaints/{tracking_no}/agenda",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/merge",
        path: "/d/rights/complaints/{tracking_no}/merge",
        expect: ACT_MEMBER,
    },
    Row { method: "GET", route: "/lost-found", path: "/d/rights/lost-found", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/lost-found/items/{item_id}",
        path: "/d/rights/lost-found/items/{item_id}",
        expect: READ_MEMBER,
    },
    Row { method: "GET", route: "/lost-found/expired", path: "/d/rights/lost-found/expired", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/lost-found/lost-reports",
        path: "/d/rights/lost-found/lost-reports",
        expect: READ_MEMBER,
    },
    Row { method: "GET", route: "/lost-found/register", path: "/d/rights/lost-found/register", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/lost-found/register.csv",
        path: "/d/rights/lost-found/register.csv",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/lost-found/register.xlsx",
        path: "/d/rights/lost-found/register.xlsx",
        expect: READ_MEMBER,
    },
    Row { method: "GET", route: "/lost-found/bulletins", path: "/d/rights/lost-found/bulletins", expect: READ_MEMBER },
    Row { method: "GET", route: "/lost-found/points", path: "/d/rights/lost-found/points", expect: READ_MEMBER },
    Row { method: "POST", route: "/lost-found/items", path: "/d/rights/lost-found/items", expect: ACT_MEMBER },
    Row {
        method: "POST",
        route: "/lost-found/items/{item_id}/claim",
        path: "/d/rights/lost-found/items/{item_id}/claim",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/lost-found/items/{item_id}/return",
        path: "/d/rights/lost-found/items/{item_id}/return",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/lost-found/items/{item_id}/dispose",
        path: "/d/rights/lost-found/items/{item_id}/dispose",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/lost-found/expired/dispose",
        path: "/d/rights/lost-found/expired/dispose",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/lost-found/bulletins/publish",
        path: "/d/rights/lost-found/bulletins/publish",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/lost-found/points/add",
        path: "/d/rights/lost-found/points/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/lost-found/points/{point_id}/update",
        path: "/d/rights/lost-found/points/{point_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row { method: "GET", route: "/reception", path: "/d/rights/reception", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/reception/{session_id}",
        path: "/d/rights/reception/{session_id}",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/delegates/add",
        path: "/d/rights/reception/{session_id}/delegates/add",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/delegates/{delegate_id}/remove",
        path: "/d/rights/reception/{session_id}/delegates/{delegate_id}/remove",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/questions/{question_id}/agenda",
        path: "/d/rights/reception/{session_id}/questions/{question_id}/agenda",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/agenda/complaint",
        path: "/d/rights/reception/{session_id}/agenda/complaint",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/minutes",
        path: "/d/rights/reception/{session_id}/minutes",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/reception/commitments/{commitment_id}/update",
        path: "/d/rights/reception/commitments/{commitment_id}/update",
        expect: ACT_MEMBER,
    },
    Row { method: "POST", route: "/reception/new", path: "/d/rights/reception/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/reception/{session_id}/update",
        path: "/d/rights/reception/{session_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/reception/{session_id}/close-signup",
        path: "/d/rights/reception/{session_id}/close-signup",
        expect: ACT_VICE_HEAD,
    },
    Row { method: "GET", route: "/plans", path: "/d/rights/plans", expect: READ_MEMBER },
    Row { method: "GET", route: "/plans/{plan_id}", path: "/d/rights/plans/{plan_id}", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/plans/{plan_id}/history",
        path: "/d/rights/plans/{plan_id}/history",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/plans/{plan_id}/print",
        path: "/d/rights/plans/{plan_id}/print",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/plans/{plan_id}/export.md",
        path: "/d/rights/plans/{plan_id}/export.md",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/steps/{step}",
        path: "/d/rights/plans/{plan_id}/steps/submit",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/steps/{step}",
        path: "/d/rights/plans/{plan_id}/steps/approve",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/steps/{step}",
        path: "/d/rights/plans/{plan_id}/steps/return",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/steps/{step}",
        path: "/d/rights/plans/{plan_id}/steps/start",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/steps/{step}",
        path: "/d/rights/plans/{plan_id}/steps/review",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/actions/{action_id}/progress",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/progress",
        expect: ACT_MEMBER,
    },
    Row { method: "POST", route: "/plans/new", path: "/d/rights/plans/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/header",
        path: "/d/rights/plans/{plan_id}/header",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/goals/add",
        path: "/d/rights/plans/{plan_id}/goals/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/goals/{goal_id}/update",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/goals/{goal_id}/remove",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/goals/{goal_id}/move",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/move",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/goals/{goal_id}/actions/add",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/actions/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/actions/{action_id}/update",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/actions/{action_id}/remove",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/actions/{action_id}/move",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/move",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/plans/{plan_id}/public",
        path: "/d/rights/plans/{plan_id}/public",
        expect: ACT_HEAD,
    },
    Row { method: "GET", route: "/presidium/plans", path: "/presidium/plans", expect: PRESIDIUM_READ },
    Row { method: "GET", route: "/", path: "/admin", expect: ADMIN_READ },
    Row { method: "GET", route: "/users", path: "/admin/users", expect: ADMIN_READ },
    Row {
        method: "POST",
        route: "/users/{user_id}/disable",
        path: "/admin/users/{user_id}/disable",
        expect: ADMIN_ACT,
    },
    Row { method: "POST", route: "/users/{user_id}/enable", path: "/admin/users/{user_id}/enable", expect: ADMIN_ACT },
    Row { method: "GET", route: "/departments", path: "/admin/departments", expect: ADMIN_READ },
    Row { method: "POST", route: "/departments/add", path: "/admin/departments/add", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/departments/{department_id}/update",
        path: "/admin/departments/{department_id}/update",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/memberships", path: "/admin/memberships", expect: ADMIN_READ },
    Row { method: "POST", route: "/memberships/grant", path: "/admin/memberships/grant", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/memberships/{membership_id}/revoke",
        path: "/admin/memberships/{membership_id}/revoke",
        expect: ADMIN_ACT,
    },
    Row { method: "POST", route: "/union-roles/grant", path: "/admin/union-roles/grant", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/union-roles/{union_role_id}/revoke",
        path: "/admin/union-roles/{union_role_id}/revoke",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/complaint-setup", path: "/admin/complaint-setup", expect: ADMIN_READ },
    Row {
        method: "POST",
        route: "/complaint-setup/categories/add",
        path: "/admin/complaint-setup/categories/add",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/complaint-setup/categories/{category_id}/update",
        path: "/admin/complaint-setup/categories/{category_id}/update",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/complaint-setup/offices/add",
        path: "/admin/complaint-setup/offices/add",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/complaint-setup/offices/{office_id}/update",
        path: "/admin/complaint-setup/offices/{office_id}/update",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/audit", path: "/admin/audit", expect: ADMIN_READ },
    // Last: a handover takes every department role away.
    Row { method: "POST", route: "/terms/handover", path: "/admin/terms/handover", expect: ADMIN_ACT },
];

/// A valid session form: next week, sign-up open now.
fn reception_session_form() -> Vec<(String, String)> {
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

struct World {
    app: TestApp,
    browsers: Vec<Browser>,
    target_user: i64,
    bystander_no: &'static str,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let users = [
        ("2026000101", "学生"),
        ("2026000102", "部员"),
        ("2026000103", "副部长"),
        ("2026000104", "部长"),
        ("2026000105", "别部部长"),
        ("2026000106", "主席团成员"),
        ("2026000107", "管理员"),
        ("2026000108", "被操作者"),
        ("2026000109", "旁观者"),
    ];
    let mut ids = vec![];
    for (no, name) in users {
        ids.push(app.create_user(no, name).await);
    }
    app.grant("2026000102", "rights", "member").await;
    app.grant("2026000103", "rights", "vice_head").await;
    app.grant("2026000104", "rights", "head").await;
    app.grant("2026000105", "life", "head").await;
    app.grant_union("2026000106", "presidium").await;
    app.grant_union("2026000107", "admin").await;
    let mut browsers = vec![app.browser()];
    for id in &ids[..7] {
        browsers.push(app.browser_signed_in(*id).await);
    }
    World { target_user: ids[7], app, browsers, bystander_no: "2026000109" }
}

impl World {
    /// A fresh complaint, filed through the real form by a separate student; its tracking number.
    async fn file_complaint(&self) -> String {
        let reporter: i64 = sqlx::query_scalar("select user_id from app_user where student_no = '2026000109'")
            .fetch_one(&self.app.db)
            .await
            .unwrap();
        let mut b = self.app.browser_signed_in(reporter).await;
        let fields = [
            ("category", "canteen"),
            ("title", "食堂饭菜有异物"),
            ("location", "西区一食堂"),
            ("description", "午饭里有头发。"),
            ("visibility", "private"),
        ];
        let r = b.post_multipart("/complaints/new", &fields, &[]).await;
        r.location().expect("filed").trim_start_matches("/complaints/").to_string()
    }

    /// A session of the rights department, with seats for 法学院 delegates; its id.
    async fn reception_session(&self) -> i64 {
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
    async fn found_item(&self, expired: bool) -> i64 {
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

    /// Fill in the path and the form for one request, re-creating what a previous success removed.
    async fn prepare(&self, row: &Row, attempt: usize) -> (String, Vec<(String, String)>) {
        let app = &self.app;
        let mut path = row.path.to_string();
        if path.contains("{membership_id}") {
            let id = app.grant("2026000108", "rights", "member").await;
            path = path.replace("{membership_id}", &id.to_string());
        }
        if path.contains("{user_id}") {
            path = path.replace("{user_id}", &self.target_user.to_string());
        }
        if path.contains("{department_id}") {
            let id: i64 = sqlx::query_scalar("select department_id from department where slug = 'news'")
                .fetch_one(&app.db)
                .await
                .unwrap();
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
            let id: i64 = sqlx::query_scalar("select category_id from complaint_category where slug = 'other'")
                .fetch_one(&app.db)
                .await
                .unwrap();
            path = path.replace("{category_id}", &id.to_string());
        }
        if path.contains("{office_id}") {
            let id: i64 = sqlx::query_scalar("select office_id from school_office where name_zh = '图书馆'")
                .fetch_one(&app.db)
                .await
                .unwrap();
            path = path.replace("{office_id}", &id.to_string());
        }
        if path.contains("{item_id}") {
            path = path.replace("{item_id}", &self.found_item(row.route.ends_with("/dispose")).await.to_string());
        }
        if path.contains("{point_id}") {
            let id: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = '北区24栋'")
                .fetch_one(&app.db)
                .await
                .unwrap();
            path = path.replace("{point_id}", &id.to_string());
        }
        if path.contains("{plan_id}") {
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
                 select $1, $2, 0, '接待日', user_id, $3 from app_user where student_no = '2026000102' returning action_id",
            )
            .bind(plan)
            .bind(goal)
            .bind(action_status)
            .fetch_one(&app.db)
            .await
            .unwrap();
            path = path
                .replace("{plan_id}", &plan.to_string())
                .replace("{goal_id}", &goal.to_string())
                .replace("{action_id}", &action.to_string());
        }
        let mut session_id = 0;
        if path.contains("{session_id}") || path.contains("{commitment_id}") {
            session_id = self.reception_session().await;
            path = path.replace("{session_id}", &session_id.to_string());
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
                "insert into reception_question (session_id, author_id, body)
                 select $1, user_id, '食堂能否延长营业时间？' from app_user where student_no = '2026000109'
                 returning question_id",
            )
            .bind(session_id)
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
        }
        if path.contains("{tracking_no}") {
            path = path.replace("{tracking_no}", &self.file_complaint().await);
        }
        let member_id: i64 = sqlx::query_scalar("select user_id from app_user where student_no = '2026000102'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let form = match row.route {
            "/plans/{plan_id}/steps/{step}" if path.ends_with("/return") => vec![s("comment", "请补充负责人。")],
            "/members/add" => vec![s("student_no", self.bystander_no), s("role", "member")],
            "/departments/add" => {
                vec![s("slug", &format!("dept-{attempt}")), s("name_zh", "测试部"), s("name_en", "Test")]
            }
            "/departments/{department_id}/update" => {
                vec![s("name_zh", "新闻网络部"), s("name_en", "News & Web")]
            }
            "/memberships/grant" => vec![s("student_no", self.bystander_no), s("dept", "infra"), s("role", "member")],
            "/union-roles/grant" => {
                vec![s("student_no", self.bystander_no), s("role", "presidium")]
            }
            "/terms/handover" => vec![s("name", "2099-2100")],
            "/complaints/{tracking_no}/transition" => vec![s("to", "accepted")],
            "/complaints/{tracking_no}/transfer" => vec![s("dept", "safety")],
            "/complaint-setup/categories/add" => {
                vec![
                    s("slug", &format!("cat-{}", "x".repeat(attempt % 20 + 1))),
                    s("name_zh", "测试"),
                    s("name_en", "Test"),
                    s("dept", "rights"),
                ]
            }
            "/complaint-setup/categories/{category_id}/update" => {
                vec![s("name_zh", "其他"), s("name_en", "Other"), s("dept", "rights")]
            }
            "/complaint-setup/offices/add" => {
                vec![s("name_zh", &format!("办公室{attempt}")), s("name_en", "An office")]
            }
            "/complaint-setup/offices/{office_id}/update" => vec![s("name_zh", "图书馆"), s("name_en", "Library")],
            "/complaints/{tracking_no}/merge" => vec![s("into", &self.file_complaint().await)],
            "/complaints/{tracking_no}/reply" | "/complaints/{tracking_no}/note" => vec![s("body", "已联系后勤处")],
            "/complaints/{tracking_no}/assign" => vec![s("assignee_id", &member_id.to_string())],
            "/lost-found/items" => {
                let point: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = '北区24栋'")
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
                vec![
                    s("point", &point.to_string()),
                    s("category", "keys"),
                    s("description", "钥匙串"),
                    s("found_place", "24栋楼下"),
                    s("found_on", &union_portal::web::forms::today().to_string()),
                ]
            }
            "/plans/new" => vec![s("title", "工作计划"), s("period", &format!("新一期{attempt}"))],
            "/plans/{plan_id}/header" => {
                vec![s("title", "工作计划"), s("period", &format!("改名{attempt}")), s("version", "1")]
            }
            "/plans/{plan_id}/goals/add" => vec![s("title", "重视宣传")],
            "/plans/{plan_id}/goals/{goal_id}/update" => vec![s("title", "定位清晰"), s("version", "1")],
            "/plans/{plan_id}/goals/{goal_id}/actions/add" => vec![s("title", "招新")],
            "/plans/{plan_id}/actions/{action_id}/update" => vec![s("title", "接待日"), s("version", "1")],
            "/plans/{plan_id}/actions/{action_id}/progress" => {
                vec![s("status", "in_progress"), s("progress", "30"), s("version", "1")]
            }
            "/plans/{plan_id}/goals/{goal_id}/move" | "/plans/{plan_id}/actions/{action_id}/move" => {
                vec![s("direction", "up")]
            }
            "/plans/{plan_id}/public" => vec![s("public", "1")],
            "/plans/{plan_id}/goals/{goal_id}/remove" | "/plans/{plan_id}/actions/{action_id}/remove" => {
                vec![s("version", "1")]
            }
            "/reception/{session_id}/delegates/add" => {
                vec![s("college", "法学院"), s("student_no", &format!("20269{attempt:05}")), s("name", "代表")]
            }
            "/reception/{session_id}/agenda/complaint" => {
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
            "/reception/{session_id}/minutes" => {
                vec![s("question", "图书馆能否通宵开放？"), s("answered_by", "图书馆"), s("answer", "考试周试行。")]
            }
            "/reception/commitments/{commitment_id}/update" => vec![s("body", "已动工"), s("status", "in_progress")],
            "/reception/new" | "/reception/{session_id}/update" => reception_session_form(),
            "/lost-found/bulletins/publish" => {
                // Something new to publish for every attempt.
                self.found_item(false).await;
                vec![]
            }
            "/lost-found/items/{item_id}/claim" => {
                vec![s("claimant_student_no", "2026000109"), s("claimant_name", "旁观者")]
            }
            "/lost-found/items/{item_id}/return" => vec![s("note", "已送还")],
            "/lost-found/expired/dispose" => vec![s("ids", &self.found_item(true).await.to_string())],
            "/lost-found/points/add" => vec![
                s("name_zh", &format!("南区{attempt}")),
                s("name_en", "South"),
                s("address", "南区食堂"),
                s("opening_hours", "每天 8:00–20:00"),
            ],
            "/lost-found/points/{point_id}/update" => vec![
                s("name_zh", "北区24栋"),
                s("name_en", "North: Dorm 24"),
                s("address", "北区24栋宿管值班室"),
                s("opening_hours", "每天 7:00–23:00"),
            ],
            _ => vec![],
        };
        (path, form)
    }
}

#[tokio::test]
async fn every_staff_route_answers_every_role_as_the_table_says() {
    let mut w = world().await;
    let mut failures = vec![];
    let mut attempt = 0;
    for row in TABLE {
        for (i, role) in ROLES.iter().enumerate() {
            attempt += 1;
            let (path, form) = w.prepare(row, attempt).await;
            let b = &mut w.browsers[i];
            let r = if row.method == "GET" {
                b.get(&path).await
            } else {
                let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                if row.route == "/lost-found/items" || row.route == "/reception/commitments/{commitment_id}/update" {
                    // The intake form carries a photo: multipart.
                    b.post_multipart(&path, &fields, &[]).await
                } else {
                    b.post_form(&path, &fields).await
                }
            };
            let got = match (r.status, r.location()) {
                (StatusCode::SEE_OTHER, Some(l)) if l.starts_with("/login?next=") => Login,
                (StatusCode::SEE_OTHER, _) => Done,
                (StatusCode::OK, _) => Ok,
                (StatusCode::FORBIDDEN, _) => Forbidden,
                (other, _) => {
                    failures.push(format!("{} {path} as {role}: unexpected {other}", row.method));
                    continue;
                }
            };
            if got != row.expect[i] {
                failures.push(format!("{} {path} as {role}: expected {:?}, got {got:?}", row.method, row.expect[i]));
            }
            if got == Forbidden {
                assert!(r.body.contains("没有权限"), "a 403 is a friendly page");
            }
        }
    }
    assert!(failures.is_empty(), "authorization mismatches:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn an_unknown_department_is_404_for_everyone() {
    let mut w = world().await;
    for b in w.browsers.iter_mut() {
        assert_eq!(b.get("/d/nosuch").await.status, StatusCode::NOT_FOUND);
        assert_eq!(b.get("/d/nosuch/members").await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_head_cannot_remove_a_membership_of_another_department() {
    let w = world().await;
    let life_member = w.app.grant("2026000109", "life", "member").await;
    let mut head = w
        .app
        .browser_signed_in(
            sqlx::query_scalar("select user_id from app_user where student_no = '2026000104'")
                .fetch_one(&w.app.db)
                .await
                .unwrap(),
        )
        .await;
    let r = head.post_form(&format!("/d/rights/members/{life_member}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another department's row is not found through this one");
    let still: i64 = sqlx::query_scalar("select count(*) from membership where membership_id = $1")
        .bind(life_member)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(still, 1);
}

#[tokio::test]
async fn a_role_taken_away_applies_at_the_next_request() {
    let mut w = world().await;
    assert_eq!(w.browsers[2].get("/d/rights").await.status, StatusCode::OK);
    sqlx::query(
        "delete from membership where user_id = (select user_id from app_user where student_no = '2026000102')",
    )
    .execute(&w.app.db)
    .await
    .unwrap();
    assert_eq!(w.browsers[2].get("/d/rights").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_handover_takes_the_old_terms_roles_away_and_keeps_their_records() {
    let mut w = world().await;
    let admin = &mut w.browsers[7];
    assert_eq!(admin.post_form("/admin/terms/handover", &[("name", "2027-2028")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(w.browsers[4].get("/d/rights").await.status, StatusCode::FORBIDDEN, "the old head lost the role");
    assert_eq!(w.browsers[6].get("/d/rights").await.status, StatusCode::FORBIDDEN, "the old presidium too");
    assert_eq!(w.browsers[7].get("/admin").await.status, StatusCode::OK, "admins stay");
    let kept: i64 = sqlx::query_scalar("select count(*) from membership").fetch_one(&w.app.db).await.unwrap();
    assert_eq!(kept, 4, "the old memberships are kept as records");
    let r = w.browsers[7].post_form("/admin/terms/handover", &[("name", "2027-2028")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a taken name is a field error");
    assert_eq!(r.field_error("name").as_deref(), Some("已有同名的届次。"));
}

#[test]
fn every_staff_route_is_in_the_table() {
    let root = env!("CARGO_MANIFEST_DIR");
    let departments = std::fs::read_to_string(format!("{root}/src/departments/mod.rs")).expect("router source");
    let complaints = std::fs::read_to_string(format!("{root}/src/complaints/mod.rs")).expect("router source");
    // Only the staff part of the complaints router: its public routes are tested in complaints.rs.
    let complaints_staff = &complaints[complaints.find("pub fn staff_routes").expect("staff routes")..];
    let lost_found = std::fs::read_to_string(format!("{root}/src/lost_found/mod.rs")).expect("router source");
    let lost_found_staff = &lost_found[lost_found.find("pub fn staff_routes").expect("staff routes")..];
    let reception = std::fs::read_to_string(format!("{root}/src/reception/mod.rs")).expect("router source");
    let reception_staff = &reception[reception.find("pub fn staff_routes").expect("staff routes")..];
    let plans = std::fs::read_to_string(format!("{root}/src/plans/mod.rs")).expect("router source");
    // The staff routes and, after them, the presidium's.
    let plans_staff = &plans[plans.find("pub fn staff_routes").expect("staff routes")..];
    let source = format!("{departments}{complaints_staff}{lost_found_staff}{reception_staff}{plans_staff}");
    let mut missing = vec![];
    // `.route("/path", get(handler))`: the path, then the method's name up to `(`.
    for (i, _) in source.match_indices(".route(\"") {
        let rest = &source[i + 8..];
        let route = &rest[..rest.find('"').expect("closing quote")];
        let after = rest[route.len() + 1..].trim_start_matches([',', ' ']);
        let method = after[..after.find('(').expect("method call")].to_uppercase();
        if !TABLE.iter().any(|r| r.route == route && r.method == method) {
            missing.push(format!("{method} {route}"));
        }
    }
    assert!(missing.is_empty(), "routes missing from the authorization table: {missing:?}");
}
