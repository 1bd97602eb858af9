//! The group robots of the table's world: every request that names a robot gets a fresh one
//! of the rights department (a 企业微信 robot at a loopback address nobody answers, taking the
//! bulletins), and so does the robots page, whose forms the hostile tests read.

use super::*;

impl World {
    /// A fresh robot of the rights department; its id.
    async fn robot(&self) -> i64 {
        sqlx::query_scalar(
            "insert into group_robot (department_id, platform, name, webhook_url, topics)
             select department_id, 'wecom', '世界群' || substr(md5(random()::text), 1, 10),
                    'http://127.0.0.1:9/cgi-bin/webhook/send?key=world-key-0001', '{bulletins}'
             from department where slug = 'rights' returning robot_id",
        )
        .fetch_one(&self.app.db)
        .await
        .expect("a robot")
    }

    /// The path with its robot filled in; the robots page gets a robot to show forms for.
    pub(crate) async fn with_robots(&self, path: String) -> String {
        if path.contains("{robot_id}") {
            return path.replace("{robot_id}", &self.robot().await.to_string());
        }
        if path == "/d/rights/robots" {
            self.robot().await;
        }
        path
    }

    /// A valid submission for the robots' forms (a name of its own each time).
    pub(crate) fn robots_form(&self, route: &str, attempt: usize) -> Option<Vec<(String, String)>> {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let name = format!("工作群{attempt}");
        let form = match route {
            "/d/{dept}/robots/add" => vec![
                s("platform", "wecom"),
                s("name", &name),
                s("webhook_url", &format!("http://127.0.0.1:9/cgi-bin/webhook/send?key=world-key-{attempt:06}")),
                s("secret", ""),
                s("topic_bulletins", "on"),
                s("enabled", "on"),
            ],
            "/d/{dept}/robots/{robot_id}/update" => vec![
                s("name", &name),
                s("webhook_url", ""),
                s("secret", ""),
                s("topic_bulletins", "on"),
                s("topic_events", "on"),
                s("enabled", "on"),
            ],
            _ => return None,
        };
        Some(form)
    }
}
