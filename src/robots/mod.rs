//! Group robots (群机器人) for the union's chats: a department's heads register the
//! webhooks of 企业微信, 钉钉 and 飞书 robots and choose what each group is told (`pages`);
//! the areas announce what happened through `announce`, in their own transaction; the
//! outbox is delivered in the background in each platform's format (`delivery`,
//! `platforms`). Owns `group_robot` and `robot_outbox`; reads no other area's tables.
//!
//! Who gets an announcement: the enabled robots that chose its topic, of the department
//! that owns the thing announced, and every robot that takes all departments' news of
//! that topic (`union_wide`, for a union-wide chat).

pub mod delivery;
pub mod forms;
pub mod messages;
pub mod model;
mod pages;
pub mod platforms;
pub mod queries;
mod view;

pub use delivery::{deliver_due, Sender};
pub use model::{Message, Platform, Topic};

use axum::{routing::get, routing::post, Router};
use sqlx::PgExecutor;

use crate::app::AppState;
use crate::web::dept_access::{guarded, Need};
use crate::web::DeptRole;

/// Staff routes, relative to `/d/{dept}`: the heads' (the presidium reads the page; every
/// department may have robots, so there is no desk).
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new().route("/robots", get(pages::list_robots));
    let act = Router::new()
        .route("/robots/add", post(pages::create_robot))
        .route("/robots/{robot_id}/update", post(pages::update_robot))
        .route("/robots/{robot_id}/test", post(pages::test_robot))
        .route("/robots/{robot_id}/remove", post(pages::remove_robot));
    guarded(state, Need::Read(DeptRole::Head), read).merge(guarded(state, Need::Act(DeptRole::Head), act))
}

/// Tell the groups: a message in the outbox for every robot that wants `topic` from
/// `department_id` (the owner of what is announced; `None`: only the union-wide robots).
/// Called inside the announcing transaction, so a rolled-back change tells no one.
pub async fn announce(
    db: impl PgExecutor<'_>,
    topic: Topic,
    department_id: Option<i64>,
    message: &Message,
) -> sqlx::Result<u64> {
    let body = message.lines.join("\n");
    let told = (message.title.as_str(), body.as_str(), message.link.as_str());
    let robots = queries::insert_announcements(db, topic, department_id, told, message.gather_secs).await?;
    if robots > 0 {
        tracing::info!(topic = topic.as_str(), robots, "announced to group robots");
    }
    Ok(robots)
}
