//! What the groups are told, in Chinese (the chats are the union's), from the catalogue:
//! one builder per kind of announcement, from plain values, so the areas that announce
//! need nothing of this one but `announce`. Only what the portal's public pages show goes
//! here: never a reporter, an asker or a student number.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{clip, Message};
use crate::web::{Lang, Layout};

fn zh() -> Layout {
    Layout::minimal(Lang::Zh)
}

fn message(title: String, lines: Vec<String>, link: String) -> Message {
    Message { title, lines, link, gather_secs: 0 }
}

/// A new lost-and-found bulletin (第57期) of `items` things.
pub fn bulletin(number: i32, items: i64) -> Message {
    let z = zh();
    let number = number.to_string();
    message(
        z.t_param("robots.msg.bulletin.title", &number),
        vec![z.tn("robots.msg.bulletin.items", &items)],
        format!("/lost-found/bulletins/{number}"),
    )
}

/// A reception day as announced or changed: its title (第148期校领导接待日), time, place, topic.
pub struct Session<'a> {
    pub title: &'a str,
    pub code: &'a str,
    pub starts_at: DateTime<Utc>,
    pub time_confirmed: bool,
    pub place: &'a str,
    pub topic: &'a str,
}

fn session_lines(z: &Layout, s: &Session<'_>) -> Vec<String> {
    let mut when = z.date_time(&s.starts_at);
    if !s.time_confirmed {
        when = z.t_param("robots.msg.reception.tentative", &when);
    }
    let mut lines =
        vec![z.t_param("robots.msg.reception.when", &when), z.t_param("robots.msg.reception.place", s.place)];
    if !s.topic.is_empty() {
        lines.push(z.t_param("robots.msg.reception.topic", &clip(s.topic, 100)));
    }
    lines
}

/// A new reception day, open for sign-up and questions.
pub fn reception_announced(s: &Session<'_>) -> Message {
    let z = zh();
    let lines = session_lines(&z, s);
    message(z.t_param("robots.msg.reception.announced", s.title), lines, format!("/reception/{}", s.code))
}

/// A reception day whose time or place changed (or whose time was confirmed).
pub fn reception_changed(s: &Session<'_>) -> Message {
    let z = zh();
    let lines = session_lines(&z, s);
    message(z.t_param("robots.msg.reception.changed", s.title), lines, format!("/reception/{}", s.code))
}

/// A question recorded in a session's minutes, with the commitment made in answer (what, by when).
pub fn minute(session_title: &str, code: &str, question: &str, commitment: Option<(&str, NaiveDate)>) -> Message {
    let z = zh();
    let mut lines = vec![z.t_param("robots.msg.minutes.question", &clip(question, 120))];
    if let Some((what, due)) = commitment {
        lines.push(z.tf("robots.msg.minutes.commitment", &[("what", &clip(what, 120)), ("due", &z.date(&due))]));
    }
    let told = message(z.t_param("robots.msg.minutes.title", session_title), lines, format!("/reception/{code}"));
    Message { gather_secs: super::model::MINUTES_GATHER_SECS, ..told }
}

/// An update on a commitment: its words, its status as the board words it (`commitment.state.*`) and the note.
pub fn commitment_update(commitment_id: i64, what: &str, status: &str, note: &str) -> Message {
    let z = zh();
    let status = z.t_of("commitment.state.", status);
    let lines = vec![z.t_param("robots.msg.commitment.now", &status), clip(note, 300)];
    message(z.t_param("robots.msg.commitment.title", &clip(what, 60)), lines, format!("/commitments/{commitment_id}"))
}

/// An event taking applications (from when to when), its time and place.
pub struct Event<'a> {
    pub event_id: i64,
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: DateTime<Utc>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub places: i32,
}

pub fn event_opening(e: &Event<'_>) -> Message {
    let z = zh();
    let window =
        z.tf("robots.msg.event.window", &[("from", &z.date_time(&e.opens_at)), ("to", &z.date_time(&e.closes_at))]);
    let lines = vec![
        window,
        z.tf("robots.msg.event.when", &[("when", &z.date_time(&e.starts_at)), ("place", e.place)]),
        z.tn("robots.msg.event.places", &i64::from(e.places)),
    ];
    message(z.t_param("robots.msg.event.title", e.title), lines, format!("/events/{}", e.event_id))
}

/// An event drawn: how many got a place and how many wait.
pub fn event_drawn(event_id: i64, title: &str, selected: usize, waiting: usize) -> Message {
    let z = zh();
    let line = z.tf("robots.msg.draw.result", &[("n", &selected.to_string()), ("waiting", &waiting.to_string())]);
    message(z.t_param("robots.msg.draw.title", title), vec![line], format!("/events/{event_id}/draw"))
}

/// An inspection round published (the day it was held, how many rooms), with the rankings.
pub fn inspections_published(held_on: NaiveDate, rooms: usize) -> Message {
    let z = zh();
    let line = z.tf("robots.msg.inspections.rooms", &[("day", &z.date(&held_on)), ("n", &rooms.to_string())]);
    message(z.t("robots.msg.inspections.title").into_owned(), vec![line], "/inspections/rankings".into())
}

/// The page's test message for the robot named `name`.
pub fn test(name: &str) -> Message {
    let z = zh();
    message(z.t("robots.msg.test.title").into_owned(), vec![z.t_param("robots.msg.test.body", name)], "/".into())
}
