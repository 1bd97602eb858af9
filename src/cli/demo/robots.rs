//! The demo's group robot: 权益服务部's work chat on 企业微信, pointing at a local address
//! nothing listens on, in the log-only mode (every message is written to the portal's log
//! and kept in the outbox; nothing leaves the machine). It takes every topic of every
//! department, so the demo's bulletins, reception days, events and inspections show in it.

use crate::{
    app::AppState,
    departments::queries::{fetch_department_id, fetch_user_id},
    robots::{
        queries::{self as robots, RobotRow},
        Platform, Topic,
    },
};

const NAME: &str = "权益服务部工作群（演示）";
/// A local address where nothing listens (the discard port): the robot only writes to the log.
const WEBHOOK: &str = "http://127.0.0.1:9/cgi-bin/webhook/send?key=demo-log-only-0000";

/// Register the demo robot unless it is there; how many were registered (0 or 1).
pub async fn seed_robots(state: &AppState) -> anyhow::Result<usize> {
    let dept =
        fetch_department_id(&state.db, "rights").await?.ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    if robots::list_robots(&state.db, dept).await?.iter().any(|r| r.name == NAME) {
        return Ok(0);
    }
    let head = fetch_user_id(&state.db, "2023010001").await?.ok_or_else(|| anyhow::anyhow!("no demo head"))?;
    let row = RobotRow {
        name: NAME,
        webhook_url: Some(WEBHOOK),
        secret: None,
        topics: &Topic::ALL,
        union_wide: true,
        enabled: true,
        log_only: true,
    };
    let mut tx = state.db.begin().await?;
    robots::insert_robot(&mut tx, dept, Platform::Wecom, &row, head).await?;
    tx.commit().await?;
    Ok(1)
}
