//! The robots page as it is drawn: each robot as the page may show it (its webhook masked,
//! its secret only as "set"), its latest messages, and the forms with what was typed.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, Utc};

use super::{
    forms::RobotForm,
    model::{masked, Platform, Topic},
    queries::{self, MessageRow, Robot},
};
use crate::{
    app::AppState,
    error::AppResult,
    web::{dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Layout},
};

/// Messages of each robot the page lists.
const RECENT: i64 = 5;

#[derive(Template)]
#[template(path = "robots/robots.html")]
struct RobotsPage {
    layout: Layout,
    access: DeptAccess,
    can_manage: bool,
    robots: Vec<RobotView>,
    /// The new robot's form.
    adding: Editor,
    platforms: [Platform; 3],
    topics: [Topic; 5],
    /// `PORTAL_ROBOTS=log`: nothing leaves the portal, whatever each robot says.
    log_only_everywhere: bool,
}

impl RobotsPage {
    /// The new robot's editor, for the template's include (which reads `ed`).
    fn adding(&self) -> &[Editor] {
        std::slice::from_ref(&self.adding)
    }
}

/// A robot as the page shows it: never its webhook or secret, only their masked forms.
struct RobotView {
    robot_id: i64,
    platform: Platform,
    name: String,
    masked_url: String,
    has_secret: bool,
    topics: Vec<Topic>,
    union_wide: bool,
    enabled: bool,
    log_only: bool,
    last_success_at: Option<DateTime<Utc>>,
    last_error_kind: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<DateTime<Utc>>,
    pending: i64,
    messages: Vec<MessageRow>,
    editor: Editor,
}

/// A robot's form (`key`: its id, 0 for a new robot) with what was typed and its errors.
struct Editor {
    key: i64,
    form: RobotForm,
    errors: FormErrors,
}

impl Editor {
    /// The id of a field, unique on the page (`r12-name`; its hint `h-…`, its error `e-…`).
    fn id(&self, name: &str) -> String {
        format!("r{}-{name}", self.key)
    }
    /// (name, label key, value, input type, hint key) of each typed field. A secret is never
    /// written back, and a saved robot's webhook is only ever replaced.
    fn fields(&self) -> [(&'static str, &'static str, &str, &'static str, &'static str); 3] {
        let saved = self.key > 0;
        [
            ("name", "robots.field.name", &self.form.name, "text", ""),
            (
                "webhook_url",
                "robots.field.webhook_url",
                &self.form.webhook_url,
                "url",
                if saved { "robots.url.keep_hint" } else { "robots.url.hint" },
            ),
            (
                "secret",
                "robots.field.secret",
                "",
                "password",
                if saved { "robots.secret.keep_hint" } else { "robots.secret.hint" },
            ),
        ]
    }
    fn described_by(&self, name: &str, hint: &str) -> String {
        let mut ids = vec![];
        if !hint.is_empty() {
            ids.push(format!("h-{}", self.id(name)));
        }
        if self.errors.get(name).is_some() {
            ids.push(format!("e-{}", self.id(name)));
        }
        ids.join(" ")
    }
}

impl RobotView {
    fn new(r: Robot, messages: Vec<MessageRow>, editor: Editor) -> RobotView {
        RobotView {
            masked_url: masked(&r.webhook_url, r.platform),
            topics: r.topics.iter().filter_map(|t| Topic::parse(t)).collect(),
            robot_id: r.robot_id,
            platform: r.platform,
            name: r.name,
            has_secret: r.has_secret,
            union_wide: r.union_wide,
            enabled: r.enabled,
            log_only: r.log_only,
            last_success_at: r.last_success_at,
            last_error_kind: r.last_error_kind,
            last_error: r.last_error,
            last_error_at: r.last_error_at,
            pending: r.pending,
            messages,
            editor,
        }
    }
    /// Its one editor, for the template's include (which reads `ed`).
    fn editors(&self) -> &[Editor] {
        std::slice::from_ref(&self.editor)
    }
    /// Whether the last error came after the last success (the robot is failing now).
    fn failing(&self) -> bool {
        match (self.last_error_at, self.last_success_at) {
            (Some(e), Some(s)) => e > s,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// A saved robot's form as its editor starts: what it is, never its webhook or secret.
fn saved_form(r: &Robot) -> RobotForm {
    let on = |b: bool| b.then(|| "on".to_string());
    let has = |t: Topic| on(r.topics.iter().any(|s| s == t.as_str()));
    RobotForm {
        platform: r.platform.as_str().into(),
        name: r.name.clone(),
        topic_bulletins: has(Topic::Bulletins),
        topic_reception: has(Topic::Reception),
        topic_minutes: has(Topic::Minutes),
        topic_events: has(Topic::Events),
        topic_inspections: has(Topic::Inspections),
        union_wide: on(r.union_wide),
        enabled: on(r.enabled),
        log_only: on(r.log_only),
        ..RobotForm::default()
    }
}

/// The page; the form of `editing` (0: the new robot's) shows what was typed and its errors.
pub(super) async fn page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    editing: i64,
    form: RobotForm,
    errors: FormErrors,
) -> AppResult<String> {
    let dept = access.dept.department_id;
    let saved = queries::list_robots(&state.db, dept).await?;
    let mut messages: HashMap<i64, Vec<MessageRow>> = HashMap::new();
    for m in queries::list_recent_messages(&state.db, dept, RECENT).await? {
        messages.entry(m.robot_id).or_default().push(m);
    }
    let (mut typed, mut failed) = (Some(form), Some(errors));
    let mut robots = vec![];
    for r in saved {
        let mine = messages.remove(&r.robot_id).unwrap_or_default();
        let key = r.robot_id;
        let editor = if key == editing {
            Editor { key, form: typed.take().unwrap_or_default(), errors: failed.take().unwrap_or_default() }
        } else {
            Editor { key, form: saved_form(&r), errors: FormErrors::default() }
        };
        robots.push(RobotView::new(r, mine, editor));
    }
    let adding = if editing == 0 {
        Editor {
            key: 0,
            form: typed.take().unwrap_or_else(RobotForm::fresh),
            errors: failed.take().unwrap_or_default(),
        }
    } else {
        Editor { key: 0, form: RobotForm::fresh(), errors: FormErrors::default() }
    };
    render(RobotsPage {
        layout,
        can_manage: access.may(Need::Act(DeptRole::Head)),
        access,
        robots,
        adding,
        platforms: Platform::ALL,
        topics: Topic::ALL,
        log_only_everywhere: state.config.robots_log_only,
    })
}
