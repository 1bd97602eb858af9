//! The rights department's robots page as a test drives it (`RobotDesk`): its head signed in,
//! a fake robot server beside it, and the outbox's rounds run by hand (no background loop runs
//! in tests).

use axum::http::StatusCode;
use union_portal::robots::{self, Sender};

use super::*;

/// The head of the rights department at a `RobotDesk`.
pub const ROBOTS_HEAD: &str = "2026800001";

pub struct RobotDesk {
    pub app: TestApp,
    pub head: Browser,
    pub fake: FakeRobot,
}

impl RobotDesk {
    pub async fn open() -> RobotDesk {
        RobotDesk::open_with(|_| {}).await
    }

    pub async fn open_with(adjust: impl FnOnce(&mut union_portal::config::Config)) -> RobotDesk {
        let app = TestApp::spawn_with(adjust).await;
        let id = app.create_user(ROBOTS_HEAD, "权益部长").await;
        app.grant(ROBOTS_HEAD, "rights", "head").await;
        let head = app.browser_signed_in(id).await;
        RobotDesk { app, head, fake: FakeRobot::start().await }
    }

    /// Registered through the page's form (enabled, the bulletins and `extra`); its id.
    pub async fn add(&mut self, platform: &str, name: &str, url: &str, secret: &str, extra: &[(&str, &str)]) -> i64 {
        let mut fields = vec![
            ("platform", platform),
            ("name", name),
            ("webhook_url", url),
            ("secret", secret),
            ("topic_bulletins", "on"),
            ("enabled", "on"),
        ];
        fields.extend_from_slice(extra);
        let r = self.head.post_form("/d/rights/robots/add", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "added: {}", r.body);
        assert_eq!(r.location(), Some("/d/rights/robots"));
        sqlx::query_scalar("select robot_id from group_robot where name = $1")
            .bind(name)
            .fetch_one(&self.app.db)
            .await
            .expect("the new robot")
    }

    pub async fn test_message(&mut self, robot_id: i64) {
        let r = self.head.post_form(&format!("/d/rights/robots/{robot_id}/test"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "queued: {}", r.body);
    }

    pub fn sender(&self) -> Sender {
        Sender::new(&self.app.state, "https://portal.example.edu".into())
    }

    /// One round of the outbox, as the background loop runs it.
    pub async fn deliver(&self) -> usize {
        robots::deliver_due(&self.app.state.db, &self.sender()).await.expect("a delivery round")
    }

    /// Time passes: every waiting message is due now.
    pub async fn make_due(&self) {
        sqlx::query("update robot_outbox set next_attempt_at = now() where sent_at is null and gave_up_at is null")
            .execute(&self.app.db)
            .await
            .expect("due");
    }

    /// (sent, given up, attempts, minutes until the next try) of a robot's latest message.
    pub async fn latest(&self, robot_id: i64) -> (bool, bool, i32, f64) {
        sqlx::query_as(
            "select sent_at is not null, gave_up_at is not null, attempts,
                    extract(epoch from next_attempt_at - now())::float8 / 60
             from robot_outbox where robot_id = $1 order by message_id desc limit 1",
        )
        .bind(robot_id)
        .fetch_one(&self.app.db)
        .await
        .expect("a message")
    }
}
