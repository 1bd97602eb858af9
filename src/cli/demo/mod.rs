//! `seed-demo`: realistic demo content for the portal, drawn from the department
//! heads' own plans in shared/seeds. Safe to run twice: everything is keyed by
//! student number and inserted only when missing. The found items come with
//! pictures drawn here (`photos`), and the older ones are announced in a bulletin.

mod complaints;
mod events;
mod inspections;
mod lending;
mod lost_found;
mod offices;
mod photos;
mod plans;
mod queries;
mod reception;
mod recruitment;
mod robots;
mod surveys;

pub use complaints::seed_complaints;
pub use events::{applicant_count, seed_events};
pub use inspections::seed_inspections;
pub use lost_found::seed_lost_found;
pub use offices::{seed_offices, LIAISONS};
pub use plans::seed_plans;
pub use reception::seed_reception;
pub use robots::seed_robots;

use crate::{accounts, app::AppState, departments::roles, web::DeptRole};

/// Every demo account has this password (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "demo-xuesheng-2026";

pub struct DemoAccount {
    pub student_no: &'static str,
    pub name: &'static str,
    pub college: &'static str,
    /// A department role, or a union role (`presidium`) when `dept` is `None`.
    pub dept: Option<&'static str>,
    pub role: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        student_no: "2023000001", name: "王思远", college: "经济管理学院", dept: None, role: "presidium"
    },
    DemoAccount {
        student_no: "2023010001", name: "李明哲", college: "法学院", dept: Some("rights"), role: "head"
    },
    DemoAccount {
        student_no: "2024010002",
        name: "陈雨桐",
        college: "外国语学院",
        dept: Some("rights"),
        role: "vice_head",
    },
    DemoAccount {
        student_no: "2025010003",
        name: "赵子涵",
        college: "计算机学院",
        dept: Some("rights"),
        role: "member",
    },
    DemoAccount {
        student_no: "2025010004",
        name: "刘佳怡",
        college: "土木工程学院",
        dept: Some("rights"),
        role: "member",
    },
    DemoAccount { student_no: "2023020001", name: "周晓婷", college: "理学院", dept: Some("life"), role: "head" },
    DemoAccount {
        student_no: "2025020002",
        name: "吴浩然",
        college: "机械工程学院",
        dept: Some("life"),
        role: "member",
    },
    DemoAccount {
        student_no: "2023030001", name: "郑欣怡", college: "文学院", dept: Some("girls"), role: "head"
    },
    DemoAccount {
        student_no: "2023040001",
        name: "孙博文",
        college: "信息工程学院",
        dept: Some("safety"),
        role: "head",
    },
    DemoAccount {
        student_no: "2023050001", name: "马俊杰", college: "建筑学院", dept: Some("infra"), role: "head"
    },
    DemoAccount {
        student_no: "2023060001",
        name: "黄诗涵",
        college: "新闻传播学院",
        dept: Some("publicity"),
        role: "head",
    },
    DemoAccount {
        student_no: "2023070001", name: "林子轩", college: "计算机学院", dept: Some("news"), role: "head"
    },
    DemoAccount {
        student_no: "2023080001",
        name: "何雅琪",
        college: "公共管理学院",
        dept: Some("office"),
        role: "head",
    },
    DemoAccount {
        student_no: "2025990001", name: "张同学", college: "计算机学院", dept: None, role: "student"
    },
    DemoAccount {
        student_no: "2025990002", name: "杨同学", college: "化学化工学院", dept: None, role: "student"
    },
];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut created = 0;
    for a in ACCOUNTS {
        let email = format!("{}@stu.example.edu.cn", a.student_no);
        if accounts::create_account(state, a.student_no, a.name, DEMO_PASSWORD, &email, a.college, false)
            .await?
            .is_some()
        {
            created += 1;
        }
        match (a.dept, a.role) {
            (Some(slug), role) => {
                let role = DeptRole::parse(role).ok_or_else(|| anyhow::anyhow!("bad demo role {role}"))?;
                roles::grant_dept_role(&state.db, None, a.student_no, slug, role)
                    .await?
                    .map_err(|e| anyhow::anyhow!(e))?;
            }
            (None, "presidium") => roles::grant_union_role(&state.db, None, a.student_no, "presidium")
                .await?
                .map_err(|e| anyhow::anyhow!(e))?,
            (None, _) => {}
        }
    }
    // First: what the demo publishes below is announced to it (and written to the log).
    let robots = seed_robots(state).await?;
    let complaints = seed_complaints(state).await?;
    let (items, bulletins) = seed_lost_found(state).await?;
    let sessions = seed_reception(state).await?;
    let plans = seed_plans(state).await?;
    let office_cases = seed_offices(state).await?;
    let events = seed_events(state).await?;
    let rounds = seed_inspections(state).await?;
    let umbrellas = lending::seed_lending(state).await?;
    let questionnaires = surveys::seed_surveys(state).await?;
    let recruitment_rounds = recruitment::seed_recruitment(state).await?;
    println!(
        "demo content ready: {created} new accounts ({} in all), {complaints} new complaints, {items} new found items, {bulletins} new bulletins, {sessions} new reception days, {plans} new plans, {office_cases} new cases answered by school offices' liaisons, {events} new events, {rounds} new inspection rounds, {robots} new group robots (log only); every demo password is {DEMO_PASSWORD}",
        ACCOUNTS.len()
    );
    println!("demo lending: {umbrellas} new umbrellas at six stations, with a term of loans");
    println!("demo questionnaires: {questionnaires} new; recruitment: {recruitment_rounds} new round with applicants at every stage");
    Ok(())
}
