//! Department plans over the real router: the workflow and who may take each step,
//! edit conflicts that lose nothing, versions and diffs, Markdown made safe,
//! reordering, carry-over, members' progress, public plans and the overview.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

struct Office {
    app: TestApp,
    head: Browser,
    vice: Browser,
    member: Browser,
    other_member: Browser,
    presidium: Browser,
    member_id: i64,
}

async fn office() -> Office {
    let app = TestApp::spawn().await;
    let mut ids = vec![];
    for (no, name, role) in [
        ("2026600001", "部长", Some("head")),
        ("2026600002", "副部长", Some("vice_head")),
        ("2026600003", "部员甲", Some("member")),
        ("2026600004", "部员乙", Some("member")),
        ("2026600005", "主席", None),
    ] {
        ids.push(app.create_user(no, name).await);
        match role {
            Some(r) => {
                app.grant(no, "rights", r).await;
            }
            None => app.grant_union(no, "presidium").await,
        }
    }
    Office {
        head: app.browser_signed_in(ids[0]).await,
        vice: app.browser_signed_in(ids[1]).await,
        member: app.browser_signed_in(ids[2]).await,
        other_member: app.browser_signed_in(ids[3]).await,
        presidium: app.browser_signed_in(ids[4]).await,
        member_id: ids[2],
        app,
    }
}

impl Office {
    async fn create(&mut self, period: &str, from: &str) -> i64 {
        let r = self
            .head
            .post_form("/d/rights/plans/new", &[("title", "权益服务部工作计划"), ("period", period), ("from", from)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.location().unwrap().rsplit('/').next().unwrap().parse().unwrap()
    }

    async fn version(&self, plan: i64) -> i32 {
        sqlx::query_scalar("select version from plan where plan_id = $1")
            .bind(plan)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    async fn add_goal(&mut self, plan: i64, title: &str, description: &str) -> i64 {
        let base = self.version(plan).await.to_string();
        let r = self
            .vice
            .post_form(
                &format!("/d/rights/plans/{plan}/goals/add"),
                &[("title", title), ("description", description), ("base", &base)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        self.app.scalar("select max(goal_id) from plan_goal").await
    }

    async fn add_action(&mut self, plan: i64, goal: i64, title: &str, owner: Option<i64>, due: &str) -> i64 {
        let owner = owner.map(|o| o.to_string()).unwrap_or_default();
        let path = format!("/d/rights/plans/{plan}/goals/{goal}/actions/add");
        let r = self.vice.post_form(&path, &[("title", title), ("owner", &owner), ("due_on", due)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        self.app.scalar("select max(action_id) from plan_action").await
    }

    async fn status(&self, plan: i64) -> String {
        sqlx::query_scalar("select status from plan where plan_id = $1")
            .bind(plan)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    async fn step(&mut self, who: &str, plan: i64, step: &str, comment: &str) -> StatusCode {
        let b = match who {
            "head" => &mut self.head,
            "vice" => &mut self.vice,
            "member" => &mut self.member,
            _ => &mut self.presidium,
        };
        b.post_form(&format!("/d/rights/plans/{plan}/steps/{step}"), &[("comment", comment)]).await.status
    }

    async fn progress(&mut self, who: &str, plan: i64, action: i64, status: &str, progress: &str) -> StatusCode {
        let version: i32 = sqlx::query_scalar("select version from plan_action where action_id = $1")
            .bind(action)
            .fetch_one(&self.app.db)
            .await
            .unwrap();
        let b = match who {
            "head" => &mut self.head,
            "member" => &mut self.member,
            _ => &mut self.other_member,
        };
        let path = format!("/d/rights/plans/{plan}/actions/{action}/progress");
        b.post_form(
            &path,
            &[("status", status), ("progress", progress), ("notes", "已联系后勤处"), ("version", &version.to_string())],
        )
        .await
        .status
    }
}

#[tokio::test]
async fn each_step_is_taken_only_by_its_role_from_its_state() {
    let mut o = office().await;
    let plan = o.create("2026–2027学年", "").await;
    let goal = o.add_goal(plan, "定位清晰", "接待日与失物招领").await;
    let action = o.add_action(plan, goal, "筹备第148期接待日", Some(o.member_id), "2020-01-01").await;
    assert_eq!(o.step("presidium", plan, "approve", "").await, StatusCode::CONFLICT, "a draft is not approved");
    for who in ["member", "vice", "presidium"] {
        assert_eq!(o.step(who, plan, "submit", "").await, StatusCode::FORBIDDEN, "{who} cannot submit");
    }
    assert_eq!(o.progress("member", plan, action, "in_progress", "20").await, StatusCode::CONFLICT, "not approved yet");
    assert_eq!(o.step("head", plan, "submit", "").await, StatusCode::SEE_OTHER);
    assert_eq!(o.status(plan).await, "submitted");
    // Submitted plans are locked for editing.
    let r = o.vice.post_form(&format!("/d/rights/plans/{plan}/goals/add"), &[("title", "新目标")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(o.step("head", plan, "approve", "").await, StatusCode::FORBIDDEN, "heads do not approve their own");
    // Returned needs comments; then resubmitted and approved.
    assert_eq!(o.step("presidium", plan, "return", "").await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(o.step("presidium", plan, "return", "请补充每项行动的负责人。").await, StatusCode::SEE_OTHER);
    assert_eq!(o.status(plan).await, "returned");
    assert!(o.head.get(&format!("/d/rights/plans/{plan}")).await.body.contains("请补充每项行动的负责人。"));
    assert_eq!(o.step("head", plan, "submit", "").await, StatusCode::SEE_OTHER);
    assert_eq!(o.step("presidium", plan, "approve", "").await, StatusCode::SEE_OTHER);
    assert_eq!(o.step("presidium", plan, "start", "").await, StatusCode::FORBIDDEN, "the head starts it");
    assert_eq!(o.step("head", plan, "start", "").await, StatusCode::SEE_OTHER);
    assert_eq!(o.status(plan).await, "in_progress");
    // Members report on their own actions only.
    assert_eq!(o.progress("other", plan, action, "done", "100").await, StatusCode::FORBIDDEN);
    assert_eq!(o.progress("member", plan, action, "in_progress", "60").await, StatusCode::SEE_OTHER);
    let page = o.member.get(&format!("/d/rights/plans/{plan}")).await;
    assert!(page.body.contains("60%") && page.body.contains("已逾期"), "overdue shows");
    // The review needs every action's outcome, and counts them per goal.
    assert_eq!(o.step("head", plan, "review", "").await, StatusCode::CONFLICT);
    let late = o.add_action(plan, goal, "招新", None, "2020-01-01").await;
    let dropped = o.add_action(plan, goal, "食堂开放日", None, "").await;
    assert_eq!(o.progress("member", plan, action, "done", "100").await, StatusCode::SEE_OTHER);
    assert_eq!(o.progress("head", plan, late, "done", "100").await, StatusCode::SEE_OTHER);
    // Recorded at term end, done in time: the form says when it was done.
    let on_time = o.add_action(plan, goal, "换届交接", None, "2026-06-30").await;
    let version: i32 = sqlx::query_scalar("select version from plan_action where action_id = $1")
        .bind(on_time)
        .fetch_one(&o.app.db)
        .await
        .unwrap();
    let r = o
        .head
        .post_form(
            &format!("/d/rights/plans/{plan}/actions/{on_time}/progress"),
            &[("status", "done"), ("progress", "100"), ("done_on", "2026-01-01"), ("version", &version.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(o.progress("head", plan, dropped, "dropped", "0").await, StatusCode::SEE_OTHER);
    assert_eq!(o.step("head", plan, "review", "").await, StatusCode::SEE_OTHER);
    assert_eq!(o.status(plan).await, "reviewed");
    let page = o.head.get(&format!("/d/rights/plans/{plan}")).await;
    assert!(page.body.contains("1 项按期完成 · 2 项逾期完成 · 1 项放弃 · 0 项未结束"), "{}", page.body);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notification n join app_user u using (user_id)
         where u.student_no = '2026600005' and n.message_key = 'notify.plan.submitted'",
    )
    .fetch_one(&o.app.db)
    .await
    .unwrap();
    assert_eq!(told, 2, "the presidium hears of each submission");
}

#[tokio::test]
async fn two_editors_never_overwrite_each_other_and_the_second_text_is_kept() {
    let mut o = office().await;
    let plan = o.create("2026–2027学年", "").await;
    let goal = o.add_goal(plan, "部门建设", "放手锻炼部员。").await;
    let base = o.version(plan).await.to_string();
    let goal_version = "1";
    let path = format!("/d/rights/plans/{plan}/goals/{goal}/update");
    // Both loaded the page; the head saves first.
    let first = [
        ("title", "部门建设"),
        ("description", "放手锻炼部员，老部员带新部员。"),
        ("version", goal_version),
        ("base", &base),
    ];
    assert_eq!(o.head.post_form(&path, &first).await.status, StatusCode::SEE_OTHER);
    let second =
        [("title", "部门建设"), ("description", "每月一次部员培训。"), ("version", goal_version), ("base", &base)];
    let r = o.vice.post_form(&path, &second).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("每月一次部员培训。"), "the second text is kept in the form");
    assert!(r.body.contains("放手锻炼部员，老部员带新部员。"), "what changed meanwhile is shown");
    assert!(r.body.contains("<ins>") && r.body.contains("<del>"));
    let saved: String = sqlx::query_scalar("select description from plan_goal where goal_id = $1")
        .bind(goal)
        .fetch_one(&o.app.db)
        .await
        .unwrap();
    assert_eq!(saved, "放手锻炼部员，老部员带新部员。", "the first save stands");
    // Saving again from the conflict page: it is based on the version the editor has now seen.
    let doc = scraper::Html::parse_document(&r.body);
    let sel = scraper::Selector::parse("section.pending input[name=version]").unwrap();
    let version = doc.select(&sel).next().and_then(|e| e.value().attr("value")).unwrap().to_string();
    assert_eq!(version, "2", "the conflict page carries the current version");
    let merged = "放手锻炼部员，老部员带新部员；每月一次部员培训。";
    let retry = [("title", "部门建设"), ("description", merged), ("version", version.as_str()), ("base", &base)];
    assert_eq!(o.vice.post_form(&path, &retry).await.status, StatusCode::SEE_OTHER);
    // Removing from a stale page is refused too: the goal changed since.
    let r =
        o.head.post_form(&format!("/d/rights/plans/{plan}/goals/{goal}/remove"), &[("version", goal_version)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Every version is kept with its author, and any two compare.
    let versions: Vec<(i32, Option<String>)> = sqlx::query_as(
        "select v.version, u.name from plan_version v left join app_user u on u.user_id = v.author_id
         where plan_id = $1 order by version",
    )
    .bind(plan)
    .fetch_all(&o.app.db)
    .await
    .unwrap();
    assert_eq!(versions.len(), 4, "created, goal added, two goal saves");
    assert_eq!(versions[2].1.as_deref(), Some("部长"));
    assert_eq!(versions[3].1.as_deref(), Some("副部长"));
    let history = o.member.get(&format!("/d/rights/plans/{plan}/history?from=1&to=4")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("<ins>### 1. 部门建设</ins>"), "{}", history.body);
    assert!(history.body.contains("每月一次部员培训"));
    let md = o.member.get(&format!("/d/rights/plans/{plan}/export.md")).await;
    assert!(md.body.starts_with("# 权益服务部工作计划") && md.body.contains("### 1. 部门建设"));
}

#[tokio::test]
async fn markdown_is_rendered_and_nothing_active_survives() {
    let mut o = office().await;
    let plan = o.create("2026–2027学年", "").await;
    let evil = "**重视宣传**\n\n<script>window.pwned=1</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=\"alert(1)\"> <a href=\"https://example.edu\" onclick=\"x()\">链接</a>";
    o.add_goal(plan, "重视宣传", evil).await;
    sqlx::query("update plan set is_public = true where plan_id = $1").bind(plan).execute(&o.app.db).await.unwrap();
    let rendered_selector = scraper::Selector::parse("div.markdown").unwrap();
    for path in [format!("/d/rights/plans/{plan}"), format!("/plans/{plan}"), format!("/plans/{plan}/print")] {
        let page = o.head.get(&path).await;
        let doc = scraper::Html::parse_document(&page.body);
        let rendered: String = doc.select(&rendered_selector).map(|e| e.inner_html()).collect();
        assert!(rendered.contains("<strong>重视宣传</strong>"), "{path}");
        for bad in ["<script", "javascript:", "onerror", "onclick"] {
            assert!(!rendered.contains(bad), "{path}: {bad} survived");
        }
        assert!(!page.body.contains("<script>window.pwned"), "{path}: nowhere on the page");
    }
}

#[tokio::test]
async fn goals_and_actions_reorder_and_a_new_period_carries_over_what_is_unfinished() {
    let mut o = office().await;
    let plan = o.create("2025–2026学年", "").await;
    let a = o.add_goal(plan, "定位清晰", "").await;
    let b = o.add_goal(plan, "部门建设", "").await;
    let c = o.add_goal(plan, "系统化", "").await;
    let r = o.vice.post_form(&format!("/d/rights/plans/{plan}/goals/{c}/move"), &[("direction", "up")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    o.vice.post_form(&format!("/d/rights/plans/{plan}/goals/{a}/move"), &[("direction", "up")]).await;
    let odd = o.vice.post_form(&format!("/d/rights/plans/{plan}/goals/{b}/move"), &[("direction", "\0")]).await;
    assert_eq!(odd.status, StatusCode::SEE_OTHER, "an odd direction is just down (b is last already)");
    let order: Vec<i64> = sqlx::query_scalar("select goal_id from plan_goal where plan_id = $1 order by position")
        .bind(plan)
        .fetch_all(&o.app.db)
        .await
        .unwrap();
    assert_eq!(order, [a, c, b], "moving the first up changes nothing");
    let x = o.add_action(plan, a, "接待日", None, "").await;
    let y = o.add_action(plan, a, "失物招领", Some(o.member_id), "2026-12-31").await;
    let z = o.add_action(plan, b, "招新", None, "").await;
    o.vice.post_form(&format!("/d/rights/plans/{plan}/actions/{y}/move"), &[("direction", "up")]).await;
    let actions: Vec<i64> =
        sqlx::query_scalar("select action_id from plan_action where goal_id = $1 order by position")
            .bind(a)
            .fetch_all(&o.app.db)
            .await
            .unwrap();
    assert_eq!(actions, [y, x]);
    // Through the workflow so progress can be reported.
    o.step("head", plan, "submit", "").await;
    o.step("presidium", plan, "approve", "").await;
    o.step("head", plan, "start", "").await;
    o.progress("head", plan, x, "done", "100").await;
    o.progress("head", plan, z, "dropped", "0").await;
    o.progress("member", plan, y, "in_progress", "40").await;
    let next = o.create("2026–2027学年", &plan.to_string()).await;
    let goals: Vec<String> = sqlx::query_scalar("select title from plan_goal where plan_id = $1 order by position")
        .bind(next)
        .fetch_all(&o.app.db)
        .await
        .unwrap();
    assert_eq!(goals, ["定位清晰", "系统化", "部门建设"]);
    let carried: Vec<(String, i16, Option<i64>)> =
        sqlx::query_as("select title, progress, carried_from from plan_action where plan_id = $1")
            .bind(next)
            .fetch_all(&o.app.db)
            .await
            .unwrap();
    assert_eq!(carried, [("失物招领".to_string(), 40, Some(y))], "only the unfinished action, with its progress");
    assert_eq!(o.status(next).await, "draft");
    // The same period twice is a field error that keeps the title.
    let r = o.head.post_form("/d/rights/plans/new", &[("title", "另一份"), ("period", "2026–2027学年")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("period").as_deref(), Some("本部门这个时段已经有计划了。"));
    assert_eq!(r.field_value("title").as_deref(), Some("另一份"));
}

#[tokio::test]
async fn public_plans_and_the_presidium_overview() {
    let mut o = office().await;
    let plan = o.create("2026–2027学年", "").await;
    let mut public = o.app.browser();
    assert_eq!(public.get(&format!("/plans/{plan}")).await.status, StatusCode::NOT_FOUND, "not public yet");
    let r = o.head.post_form(&format!("/d/rights/plans/{plan}/public"), &[("public", "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a draft is not published");
    o.step("head", plan, "submit", "").await;
    o.step("presidium", plan, "approve", "").await;
    assert_eq!(
        o.vice.post_form(&format!("/d/rights/plans/{plan}/public"), &[("public", "1")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        o.head.post_form(&format!("/d/rights/plans/{plan}/public"), &[("public", "1")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(public.get(&format!("/plans/{plan}")).await.status, StatusCode::OK);
    assert!(public.get("/plans").await.body.contains(&format!("/plans/{plan}\"")));
    assert_eq!(public.get("/presidium/plans").await.status, StatusCode::SEE_OTHER, "login first");
    assert_eq!(o.head.get("/presidium/plans").await.status, StatusCode::FORBIDDEN);
    let overview = o.presidium.get("/presidium/plans").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("权益服务部工作计划") && overview.body.contains("已批准"));
    // A presidium member who heads the department does not approve its plan.
    let next = o.create("2027–2028学年", "").await;
    o.step("head", next, "submit", "").await;
    o.app.grant("2026600005", "rights", "member").await;
    assert_eq!(o.step("presidium", next, "approve", "").await, StatusCode::FORBIDDEN);
    // Each department's latest plan, its actions counted once each: done, overdue, and the
    // average progress of those not dropped.
    let goal = o
        .app
        .scalar(&format!(
            "insert into plan_goal (plan_id, position, title) values ({next}, 99, '目标') returning goal_id"
        ))
        .await;
    sqlx::query(
        "insert into plan_action (plan_id, goal_id, position, title, status, progress, due_on)
         values ($1, $2, 101, '甲', 'done', 100, null), ($1, $2, 102, '乙', 'in_progress', 50, current_date - 2),
                ($1, $2, 103, '丙', 'dropped', 0, null)",
    )
    .bind(next)
    .bind(goal)
    .execute(&o.app.db)
    .await
    .unwrap();
    let overview = o.presidium.get("/presidium/plans").await.body;
    assert!(overview.contains(&format!("/d/rights/plans/{next}\"")), "the latest plan");
    assert!(!overview.contains(&format!("/d/rights/plans/{plan}\"")), "not the one before it");
    assert!(overview.contains("75%（1/3）") && overview.contains("<td>1</td></tr>"), "{overview}");
}

#[tokio::test]
async fn the_seed_plans_load_as_structured_plans() {
    let o = office().await;
    let created = union_portal::cli::demo::seed_plans(&o.app.state).await.expect("seeded");
    assert_eq!(created, 6);
    let goals: Vec<String> = sqlx::query_scalar(
        "select g.title from plan_goal g join plan p using (plan_id) where p.title like '%篇1' order by g.position",
    )
    .fetch_all(&o.app.db)
    .await
    .unwrap();
    assert_eq!(goals, ["定位清晰", "部门建设", "扩散权益工作", "系统化", "重视宣传"]);
    assert_eq!(union_portal::cli::demo::seed_plans(&o.app.state).await.expect("again"), 0, "safe to run twice");
}
