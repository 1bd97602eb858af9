//! The digest's text: plain text (the mail module sends text only), in the recipient's
//! language, with absolute links. A section with nothing in it is left out; a week with
//! nothing at all is no mail (`None`). Pure: the job reads, this writes.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

use super::queries::{Bulletin, ComplaintNews, MatchedItem, MovedCommitment, OpenEvent, ReceptionDay};
use crate::web::Lang;

/// What is the same for every student this week.
#[derive(Default)]
pub struct Week {
    pub bulletin: Option<Bulletin>,
    pub reception: Option<ReceptionDay>,
    pub events: Vec<OpenEvent>,
    pub commitments: Vec<MovedCommitment>,
}

/// What concerns one student only.
#[derive(Default)]
pub struct Mine {
    pub items: Vec<MatchedItem>,
    pub complaints: Vec<ComplaintNews>,
}

pub struct Mail {
    pub subject: String,
    pub body: String,
}

/// Catalogue text with `%{name}` parameters filled in.
fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = lang.t(key).into_owned();
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format("%Y-%m-%d %H:%M").to_string()
}

/// The mail for one student, or `None` when the week had nothing for them.
pub fn compose(
    lang: Lang,
    base: &str,
    now: DateTime<Utc>,
    week: &Week,
    mine: &Mine,
    unsubscribe: &str,
) -> Option<Mail> {
    let mut sections: Vec<(String, Vec<String>)> = vec![];
    let mut lost = vec![];
    if let Some(b) = &week.bulletin {
        let (number, n) = (b.number.to_string(), b.item_count.to_string());
        let text = tf(lang, "digest.bulletin", &[("number", &number), ("n", &n)]);
        lost.push(format!("{text} {base}/lost-found/bulletins/{number}"));
    }
    for i in &mine.items {
        let category = lang.t(&format!("lost.category.{}", i.category));
        let text = tf(lang, "digest.item", &[("category", &category), ("description", &i.description)]);
        lost.push(format!("{text} {base}/lost-found/items/{}", i.item_id));
    }
    sections.push(("digest.section.lost_found".into(), lost));
    let reception = week.reception.iter().map(|r| {
        let seats = r.seats_left.to_string();
        let text = tf(lang, "digest.reception", &[("when", &local(r.starts_at)), ("topic", &r.topic), ("n", &seats)]);
        format!("{text} {base}/reception/{}", r.code)
    });
    sections.push(("digest.section.reception".into(), reception.collect()));
    let events = week.events.iter().map(|e| {
        let text = tf(lang, "digest.event", &[("title", &e.title), ("deadline", &local(e.applications_close_at))]);
        format!("{text} {base}/events/{}", e.event_id)
    });
    sections.push(("digest.section.events".into(), events.collect()));
    let commitments = week.commitments.iter().map(|c| {
        let status = lang.t(&format!("commitment.state.{}", c.status));
        let text = tf(lang, "digest.commitment", &[("what", &c.what), ("status", &status)]);
        format!("{text} {base}/commitments/{}", c.commitment_id)
    });
    sections.push(("digest.section.commitments".into(), commitments.collect()));
    let complaints = mine.complaints.iter().map(|c| {
        let status = lang.t(&format!("complaint.status.{}", c.status));
        let news = c.news.to_string();
        let text = tf(lang, "digest.complaint", &[("no", &c.tracking_no), ("status", &status), ("n", &news)]);
        format!("{text} {base}/complaints/{}", c.tracking_no)
    });
    sections.push(("digest.section.complaints".into(), complaints.collect()));
    sections.retain(|(_, lines)| !lines.is_empty());
    if sections.is_empty() {
        return None;
    }
    let mut body = lang.t("digest.greeting").into_owned();
    for (heading, lines) in sections {
        body.push_str(&format!("\n\n【{}】\n", lang.t(&heading)));
        for line in lines {
            body.push_str(&format!("- {line}\n"));
        }
    }
    body.push_str(&format!("\n{}\n", tf(lang, "digest.footer", &[("settings", &format!("{base}/me/notifications"))])));
    body.push_str(&format!("{} {unsubscribe}\n", lang.t("digest.unsubscribe")));
    let date = now.with_timezone(&Shanghai).format("%Y-%m-%d").to_string();
    Some(Mail { subject: tf(lang, "digest.subject", &[("date", &date)]), body })
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
