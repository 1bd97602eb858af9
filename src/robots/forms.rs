//! A robot's form and the values it becomes. A new robot needs its platform and webhook; a
//! saved one keeps its platform, and its webhook and secret unless new ones are typed (the
//! page never shows them again, so an empty field means "as saved").

use serde::Deserialize;

use super::model::{check_secret, check_webhook, Platform, Topic};
use crate::web::{forms::one_line, FormErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RobotForm {
    pub platform: String,
    pub name: String,
    pub webhook_url: String,
    /// Typed again on every refused form: a secret is never written back into a page.
    pub secret: String,
    pub clear_secret: Option<String>,
    pub topic_bulletins: Option<String>,
    pub topic_reception: Option<String>,
    pub topic_minutes: Option<String>,
    pub topic_events: Option<String>,
    pub topic_inspections: Option<String>,
    pub union_wide: Option<String>,
    pub enabled: Option<String>,
    pub log_only: Option<String>,
}

pub struct RobotValues {
    pub platform: Platform,
    pub name: String,
    /// `None`: as saved.
    pub webhook_url: Option<String>,
    /// `None`: as saved; `Some("")`: no secret.
    pub secret: Option<String>,
    pub topics: Vec<Topic>,
    pub union_wide: bool,
    pub enabled: bool,
    pub log_only: bool,
}

impl RobotForm {
    /// A new robot's form: enabled, every topic but the inspections' (the chats of most departments).
    pub fn fresh() -> RobotForm {
        let on = || Some("on".to_string());
        RobotForm {
            platform: Platform::Wecom.as_str().into(),
            topic_bulletins: on(),
            topic_reception: on(),
            topic_minutes: on(),
            topic_events: on(),
            enabled: on(),
            ..RobotForm::default()
        }
    }

    pub fn has_topic(&self, topic: &Topic) -> bool {
        match topic {
            Topic::Bulletins => self.topic_bulletins.is_some(),
            Topic::Reception => self.topic_reception.is_some(),
            Topic::Minutes => self.topic_minutes.is_some(),
            Topic::Events => self.topic_events.is_some(),
            Topic::Inspections => self.topic_inspections.is_some(),
        }
    }

    /// `saved`: the platform of the robot being changed, `None` for a new one. `loopback`:
    /// whether webhooks at loopback addresses are accepted (`PORTAL_ROBOTS_LOOPBACK`).
    pub fn parse(&self, saved: Option<Platform>, loopback: bool) -> Result<RobotValues, FormErrors> {
        let mut errors = FormErrors::default();
        let platform = saved.or_else(|| Platform::parse(&self.platform));
        if platform.is_none() {
            errors.add("platform", "form.robots.platform");
        }
        let name = errors.take("name", one_line(&self.name, 40, true));
        let topics: Vec<Topic> = Topic::ALL.into_iter().filter(|t| self.has_topic(t)).collect();
        if topics.is_empty() {
            errors.add("topics", "form.robots.topics");
        }
        let Some(platform) = platform else { return Err(errors) };
        let typed_url = !self.webhook_url.trim().is_empty();
        let webhook_url = match (typed_url, saved) {
            (false, Some(_)) => None,
            (false, None) => {
                errors.add("webhook_url", "form.required");
                None
            }
            (true, _) => {
                check_webhook(&self.webhook_url, platform, loopback).map_err(|key| errors.add("webhook_url", key)).ok()
            }
        };
        let secret = if self.clear_secret.is_some() {
            Some(String::new())
        } else if self.secret.trim().is_empty() && saved.is_some() {
            None
        } else {
            check_secret(&self.secret, platform).map_err(|key| errors.add("secret", key)).ok()
        };
        errors.into_result(RobotValues {
            platform,
            name,
            webhook_url,
            secret,
            topics,
            union_wide: self.union_wide.is_some(),
            enabled: self.enabled.is_some(),
            log_only: self.log_only.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOOK: &str = "https://oapi.dingtalk.com/robot/send?access_token=abcdefgh12345678";

    fn form(platform: &str, url: &str, secret: &str) -> RobotForm {
        RobotForm {
            platform: platform.into(),
            name: "权益部工作群".into(),
            webhook_url: url.into(),
            secret: secret.into(),
            ..RobotForm::fresh()
        }
    }

    #[test]
    fn a_new_robot_needs_a_platform_a_webhook_and_a_topic() {
        let bad = RobotForm {
            topic_bulletins: None,
            topic_reception: None,
            topic_minutes: None,
            topic_events: None,
            ..form("qq", "", "")
        };
        match bad.parse(None, false) {
            Ok(_) => panic!("a robot without platform, webhook or topic is refused"),
            Err(e) => {
                assert_eq!(e.get("platform"), Some("form.robots.platform"));
                assert_eq!(e.get("topics"), Some("form.robots.topics"));
            }
        }
        match form("dingtalk", "", "").parse(None, false) {
            Ok(_) => panic!("a new robot needs its webhook"),
            Err(e) => assert_eq!(e.get("webhook_url"), Some("form.required")),
        }
        match form("dingtalk", HOOK, "SECabc123").parse(None, false) {
            Ok(v) => {
                assert_eq!(
                    (v.platform, v.webhook_url.as_deref(), v.secret.as_deref()),
                    (Platform::Dingtalk, Some(HOOK), Some("SECabc123"))
                );
                assert_eq!(v.topics, vec![Topic::Bulletins, Topic::Reception, Topic::Minutes, Topic::Events]);
                assert!(v.enabled && !v.log_only && !v.union_wide);
            }
            Err(e) => panic!("a valid robot is taken: {e:?}"),
        }
    }

    #[test]
    fn a_saved_robot_keeps_its_platform_webhook_and_secret_unless_told() {
        // The platform sent is ignored: a saved robot's is kept.
        match form("wecom", "", "").parse(Some(Platform::Dingtalk), false) {
            Ok(v) => assert_eq!((v.platform, v.webhook_url, v.secret), (Platform::Dingtalk, None, None)),
            Err(e) => panic!("kept as saved: {e:?}"),
        }
        let clear = RobotForm { clear_secret: Some("on".into()), ..form("", "", "SECignored") };
        match clear.parse(Some(Platform::Feishu), false) {
            Ok(v) => assert_eq!(v.secret.as_deref(), Some("")),
            Err(e) => panic!("the secret is cleared: {e:?}"),
        }
        match form("", HOOK, "").parse(Some(Platform::Feishu), false) {
            Ok(_) => panic!("a 钉钉 webhook is not a 飞书 robot's"),
            Err(e) => assert_eq!(e.get("webhook_url"), Some("form.robots.url.platform")),
        }
    }
}
