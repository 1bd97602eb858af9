//! What every page needs: language, the viewer and their navigation, the CSRF
//! token for forms, the flash message. Each page struct has a `layout: Layout`.

use std::{borrow::Cow, sync::Arc};

use axum::{extract::FromRequestParts, http::request::Parts};

use super::{
    assets,
    context::{Flash, RequestContext, Viewer},
    i18n::Lang,
};
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Layout {
    pub lang: Lang,
    pub viewer: Option<Arc<Viewer>>,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub path: String,
    /// scheme://host, for absolute URLs (empty on error pages, which need none).
    pub origin: String,
}

pub struct NavLink {
    pub href: String,
    pub label: String,
}

impl Layout {
    /// For pages rendered outside the request context (error pages).
    pub fn minimal(lang: Lang) -> Layout {
        Layout {
            lang,
            viewer: None,
            csrf_token: String::new(),
            flash: None,
            path: String::new(),
            origin: String::new(),
        }
    }

    pub fn t(&self, key: &str) -> Cow<'static, str> {
        self.lang.t(key)
    }

    /// Catalogue text with `%{name}` placeholders filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key).into_owned();
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }

    pub fn flash_text(&self) -> Option<String> {
        let flash = self.flash.as_ref()?;
        Some(self.t_param(&flash.key, flash.param.as_deref().unwrap_or("")))
    }

    pub fn other_lang(&self) -> Lang {
        match self.lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn css_url(&self) -> &'static str {
        assets::url("app.css")
    }

    /// The absolute URL of a path of the portal: what a QR code on paper and a link preview name.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// The absolute URL of a static file (the link preview's image, the app's icons).
    pub fn asset_url(&self, name: &str) -> String {
        self.url(assets::url(name))
    }

    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    /// Pick the department name in the page's language.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.is_en() {
            en
        } else {
            zh
        }
    }

    /// Catalogue text with its one parameter filled in as `%{param}`.
    pub fn t_param(&self, key: &str, param: &str) -> String {
        self.tf(key, &[("param", param)])
    }

    /// The catalogue text of `prefix` + `key`, for keys named after data (`lost.category.` + `umbrella`).
    pub fn t_of(&self, prefix: &str, key: &str) -> Cow<'static, str> {
        self.t(&format!("{prefix}{key}"))
    }

    /// Catalogue text with a count filled in as `%{n}`.
    pub fn tn(&self, key: &str, n: &i64) -> String {
        self.tf(key, &[("n", &n.to_string())])
    }

    /// A moment in Asia/Shanghai, in the local style of the page's language:
    /// 2026年3月5日 08:30 or 5 Mar 2026, 08:30. (Written out rather than through
    /// `format`, which parses its pattern anew each time: lists show dozens per page.)
    pub fn date_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        use chrono::Timelike;
        let local = at.with_timezone(&chrono_tz::Asia::Shanghai);
        let (hour, minute) = (local.hour(), local.minute());
        match self.lang {
            Lang::Zh => format!("{} {hour:02}:{minute:02}", self.date(&local.date_naive())),
            Lang::En => format!("{}, {hour:02}:{minute:02}", self.date(&local.date_naive())),
        }
    }

    /// 2026年3月5日 or 5 Mar 2026.
    pub fn date(&self, day: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let (year, month, d) = (day.year(), day.month(), day.day());
        match self.lang {
            Lang::Zh => format!("{year}年{month}月{d}日"),
            Lang::En => format!("{d} {} {year}", MONTHS[day.month0() as usize]),
        }
    }

    /// `member`, `vice_head`, `head`, `presidium`, `admin` → their names.
    pub fn role_label(&self, role: &str) -> Cow<'static, str> {
        self.t(&format!("role.{role}"))
    }

    /// `submitted`, `accepted`, … → words.
    pub fn complaint_status(&self, status: &str) -> Cow<'static, str> {
        self.t(&format!("complaint.status.{status}"))
    }

    /// A timeline event kind → words.
    pub fn complaint_event(&self, kind: &str) -> Cow<'static, str> {
        self.t(&format!("complaint.event.{kind}"))
    }

    /// An audit action such as `membership.grant` → words.
    pub fn audit_action(&self, action: &str) -> Cow<'static, str> {
        self.t(&format!("audit.action.{action}"))
    }

    /// Navigation: only what this visitor may use.
    pub fn nav(&self) -> Vec<NavLink> {
        let link = |href: &str, key: &str| NavLink { href: href.to_string(), label: self.t(key).into_owned() };
        let mut links = vec![
            link("/", "nav.home"),
            link("/complaints", "nav.complaints"),
            link("/lost-found", "nav.lost_found"),
            link("/reception", "nav.reception"),
            link("/commitments", "nav.commitments"),
            link("/events", "nav.events"),
            link("/inspections", "nav.inspections"),
            link("/plans", "nav.plans"),
            link("/stats", "stats.nav"),
        ];
        if let Some(v) = &self.viewer {
            for role in &v.roles {
                links.push(NavLink {
                    href: format!("/d/{}", role.slug),
                    label: self.pick(&role.name_zh, &role.name_en).to_string(),
                });
            }
            if !v.liaison_offices.is_empty() {
                links.push(link("/office", "office.desk.title"));
            }
            if v.is_presidium {
                links.push(link("/d", "nav.departments"));
                links.push(link("/presidium/plans", "plan.overview.title"));
                links.push(link("/presidium/escalations", "escalation.title"));
                links.push(link("/presidium/offices", "office.liaisons.title"));
                links.push(link("/presidium/recruitment", "recruitment.presidium.title"));
            }
            if v.is_admin {
                links.push(link("/admin", "nav.admin"));
            }
            links.push(link("/me", "nav.me"));
        }
        links
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Layout {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let ctx = RequestContext::from_request_parts(parts, state).await?;
        Ok(Layout {
            lang: ctx.lang,
            viewer: ctx.viewer,
            csrf_token: ctx.csrf_token,
            flash: ctx.flash,
            path: ctx.path,
            origin: ctx.origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_in_shanghai_in_each_languages_own_style() {
        // 16:30 UTC on 24 November is half past midnight on the 25th in Shanghai.
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T16:30:00Z").expect("time").to_utc();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 7).expect("day");
        let zh = Layout::minimal(Lang::Zh);
        let en = Layout::minimal(Lang::En);
        assert_eq!(zh.date_time(&at), "2026年11月25日 00:30");
        assert_eq!(en.date_time(&at), "25 Nov 2026, 00:30");
        assert_eq!(zh.date(&day), "2026年3月7日");
        assert_eq!(en.date(&day), "7 Mar 2026");
        for month in 1..=12 {
            let day = chrono::NaiveDate::from_ymd_opt(2027, month, 1).expect("day");
            assert_eq!(en.date(&day), day.format("%-d %b %Y").to_string(), "the same as chrono's %b");
        }
    }
}
