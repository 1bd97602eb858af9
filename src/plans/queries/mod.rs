//! SQL of plans: a whole plan with its goals and actions, lists, versions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgExecutor};

use super::model;

mod actions;
mod edits;
pub use actions::*;
pub use edits::*;

pub struct Plan {
    pub plan_id: i64,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
    pub period: String,
    pub title: String,
    pub review_achievements: String,
    pub review_shortcomings: String,
    pub status: model::PlanStatus,
    pub return_comment: String,
    pub is_public: bool,
    pub version: i32,
    pub header_version: i32,
    pub updated_at: DateTime<Utc>,
}

impl Plan {
    /// The review's Markdown as safe HTML (pulldown-cmark, then ammonia).
    pub fn achievements_html(&self) -> String {
        model::render_markdown(&self.review_achievements)
    }

    pub fn shortcomings_html(&self) -> String {
        model::render_markdown(&self.review_shortcomings)
    }
}

pub struct Goal {
    pub goal_id: i64,
    pub title: String,
    pub description: String,
    pub version: i32,
}

pub struct Action {
    pub action_id: i64,
    pub goal_id: i64,
    pub title: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub progress: i16,
    pub notes: String,
    pub done_on: Option<NaiveDate>,
    pub version: i32,
}

impl Action {
    pub fn outcome(&self) -> &'static str {
        model::outcome(&self.status, self.due_on, self.done_on)
    }
    pub fn owned_by(&self, user: &i64) -> bool {
        self.owner_id == Some(*user)
    }
    pub fn overdue(&self, today: &NaiveDate) -> bool {
        matches!(self.status.as_str(), "not_started" | "in_progress") && self.due_on.is_some_and(|d| d < *today)
    }
}

pub async fn fetch_plan(db: impl PgExecutor<'_>, plan_id: i64) -> sqlx::Result<Option<Plan>> {
    fetch_plan_in(db, plan_id, None).await
}

/// The plan, if it is this department's (a staff route names its department).
pub async fn fetch_plan_of_department(
    db: impl PgExecutor<'_>,
    plan_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Plan>> {
    fetch_plan_in(db, plan_id, Some(department_id)).await
}

async fn fetch_plan_in(
    db: impl PgExecutor<'_>,
    plan_id: i64,
    department_id: Option<i64>,
) -> sqlx::Result<Option<Plan>> {
    sqlx::query_as!(
        Plan,
        r#"select p.plan_id, p.department_id, d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en, p.period,
                p.title, p.review_achievements, p.review_shortcomings, p.status as "status: model::PlanStatus",
                p.return_comment, p.is_public,
                p.version, p.header_version, p.updated_at
         from plan p join department d using (department_id)
         where p.plan_id = $1 and ($2::int8 is null or p.department_id = $2)"#,
        plan_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

pub async fn list_goals(db: impl PgExecutor<'_>, plan_id: i64) -> sqlx::Result<Vec<Goal>> {
    sqlx::query_as!(
        Goal,
        "select goal_id, title, description, version from plan_goal where plan_id = $1 order by position, goal_id",
        plan_id
    )
    .fetch_all(db)
    .await
}

pub async fn list_actions(db: impl PgExecutor<'_>, plan_id: i64) -> sqlx::Result<Vec<Action>> {
    sqlx::query_as!(
        Action,
        r#"select a.action_id, a.goal_id, a.title, a.owner_id, u.name as "owner_name?", a.due_on, a.status, a.progress,
                  a.notes, a.done_on, a.version
           from plan_action a left join app_user u on u.user_id = a.owner_id
           where a.plan_id = $1 order by a.position, a.action_id"#,
        plan_id
    )
    .fetch_all(db)
    .await
}

/// A plan in a list, with its progress.
pub struct PlanLine {
    pub plan_id: i64,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
    pub period: String,
    pub title: String,
    pub status: model::PlanStatus,
    pub is_public: bool,
    pub actions: i64,
    pub done: i64,
    pub overdue: i64,
    pub average_progress: i64,
    pub updated_at: DateTime<Utc>,
}

/// Plans, newest first: one department's, the public ones, or (for the presidium) every department's latest.
pub async fn list_plans(
    db: impl PgExecutor<'_>,
    department_id: Option<i64>,
    public_only: bool,
    latest_per_department: bool,
) -> sqlx::Result<Vec<PlanLine>> {
    sqlx::query_as!(
        PlanLine,
        // The latest per department by its own index (the check ran once for every plan), and
        // each plan's actions read once for all four figures (they were read four times).
        r#"with chosen as (
               (select p.* from plan p where not $3)
               union all
               (select l.* from department x cross join lateral (
                    select q.* from plan q where q.department_id = x.department_id
                    order by q.period desc, q.plan_id desc limit 1) as l
                where $3)
           )
           select p.plan_id as "plan_id!", d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en,
                  p.period as "period!", p.title as "title!", p.status as "status!: model::PlanStatus",
                  p.is_public as "is_public!", t.actions as "actions!", t.done as "done!", t.overdue as "overdue!",
                  t.average_progress as "average_progress!", p.updated_at as "updated_at!"
           from chosen p join department d using (department_id)
           cross join lateral (
               select count(*) as actions, count(*) filter (where a.status = 'done') as done,
                      count(*) filter (where a.status in ('not_started', 'in_progress')
                                         and a.due_on < (now() at time zone 'Asia/Shanghai')::date) as overdue,
                      coalesce(round(avg(a.progress) filter (where a.status <> 'dropped')), 0)::bigint as average_progress
               from plan_action a where a.plan_id = p.plan_id) as t
           where ($1::bigint is null or p.department_id = $1) and (not $2 or p.is_public)
           order by case when $3 then d.sort_order end, p.period desc, p.plan_id desc
           limit 200"#,
        department_id,
        public_only,
        latest_per_department
    )
    .fetch_all(db)
    .await
}

/// The department's members this term, who may own actions.
pub async fn list_members(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        "select u.user_id, u.name from membership m join term t using (term_id) join app_user u using (user_id)
         where m.department_id = $1 and t.is_current order by m.role desc, u.name",
        department_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.name)).collect())
}

/// The plan as Markdown, read inside the transaction that changed it.
pub async fn snapshot(tx: &mut PgConnection, plan_id: i64) -> sqlx::Result<String> {
    let plan = fetch_plan(&mut *tx, plan_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let goals = list_goals(&mut *tx, plan_id).await?;
    let actions = list_actions(&mut *tx, plan_id).await?;
    let status_zh = |s: &str| match s {
        "in_progress" => "进行中",
        "done" => "已完成",
        "dropped" => "已放弃",
        _ => "未开始",
    };
    let snapshot = model::Snapshot {
        title: &plan.title,
        department: &plan.dept_zh,
        period: &plan.period,
        achievements: &plan.review_achievements,
        shortcomings: &plan.review_shortcomings,
        goals: goals
            .iter()
            .map(|g| {
                let acts = actions
                    .iter()
                    .filter(|a| a.goal_id == g.goal_id)
                    .map(|a| model::SnapshotAction {
                        title: &a.title,
                        owner: a.owner_name.as_deref(),
                        due_on: a.due_on,
                        status_zh: status_zh(&a.status),
                        progress: a.progress,
                        notes: &a.notes,
                    })
                    .collect();
                (g.title.as_str(), g.description.as_str(), acts)
            })
            .collect(),
    };
    Ok(model::to_markdown(&snapshot))
}

/// Every save: the plan's version goes up by one and its new text is kept with its author.
pub async fn save_version(tx: &mut PgConnection, plan_id: i64, author: Option<i64>, what: &str) -> sqlx::Result<i32> {
    let version = sqlx::query_scalar!(
        "update plan set version = version + 1, updated_at = now() where plan_id = $1 returning version",
        plan_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let text = snapshot(tx, plan_id).await?;
    sqlx::query!(
        "insert into plan_version (plan_id, version, author_id, what, snapshot) values ($1, $2, $3, $4, $5)",
        plan_id,
        version,
        author,
        what,
        text
    )
    .execute(&mut *tx)
    .await?;
    Ok(version)
}

pub struct Version {
    pub version: i32,
    pub author: Option<String>,
    pub what: String,
    pub created_at: DateTime<Utc>,
}

pub async fn list_versions(db: impl PgExecutor<'_>, plan_id: i64) -> sqlx::Result<Vec<Version>> {
    sqlx::query_as!(
        Version,
        r#"select v.version, u.name as "author?", v.what, v.created_at from plan_version v
           left join app_user u on u.user_id = v.author_id where v.plan_id = $1 order by v.version desc"#,
        plan_id
    )
    .fetch_all(db)
    .await
}

pub async fn version_text(db: impl PgExecutor<'_>, plan_id: i64, version: i32) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select snapshot from plan_version where plan_id = $1 and version = $2", plan_id, version)
        .fetch_optional(db)
        .await
}
