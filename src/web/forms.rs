//! Form helpers: field errors shown beside their fields, safe redirects, encoding.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

/// The entry of `FormErrors` that is about the whole form rather than one field.
pub const FORM: &str = "form";

/// Field → catalogue key of the message shown beside it. Every error of a form at once.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(&'static str, &'static str)>);

impl FormErrors {
    /// A form refused for one reason, beside one field.
    pub fn one(field: &'static str, message_key: &'static str) -> Self {
        FormErrors(vec![(field, message_key)])
    }

    pub fn add(&mut self, field: &'static str, message_key: &'static str) {
        if self.get(field).is_none() {
            self.0.push((field, message_key));
        }
    }
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }
    /// The checked value of a field, or an empty string with its message recorded.
    pub fn take(&mut self, field: &'static str, checked: Result<String, &'static str>) -> String {
        checked.unwrap_or_else(|key| {
            self.add(field, key);
            String::new()
        })
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message above the form: about the whole form (the `form` entry, such as a
    /// rate limit), or "fix the fields below".
    pub fn summary_key(&self) -> &'static str {
        self.get(FORM).unwrap_or("form.fix_below")
    }
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(f, _)| *f)
    }
    /// Another check's errors too (the first message per field stays).
    pub fn merge(&mut self, other: FormErrors) {
        for (field, key) in other.0 {
            self.add(field, key);
        }
    }
    pub fn into_result<T>(self, ok: T) -> Result<T, FormErrors> {
        if self.is_empty() {
            Ok(ok)
        } else {
            Err(self)
        }
    }
}

/// A page re-rendered because its form was invalid: 422, same page, input kept.
pub struct Html422(pub String);

impl IntoResponse for Html422 {
    fn into_response(self) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, Html(self.0)).into_response()
    }
}

/// A form's page: 422 when it comes back refused, else 200.
pub fn page_or_422(html: String, refused: bool) -> Response {
    if refused {
        Html422(html).into_response()
    } else {
        Html(html).into_response()
    }
}

/// The cursor of the next page (the last row's key), when this page came back full.
pub fn next_cursor<T, C>(rows: &[T], page_size: i64, key: impl Fn(&T) -> C) -> Option<C> {
    if rows.len() as i64 == page_size {
        rows.last().map(key)
    } else {
        None
    }
}

/// `?page=` of a list numbered in pages (a bulletin's items, the reception days).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    page: String,
}

impl PageQuery {
    /// The page asked for, from 1: nonsense is the first page; one past the last shows
    /// nothing, with the way back.
    pub fn number(&self) -> i64 {
        self.page.parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1)
    }
}

/// A keyset cursor for rows ordered by (time, id): `<unix micros>_<id>`.
pub fn time_cursor(at: chrono::DateTime<chrono::Utc>, id: i64) -> String {
    format!("{}_{id}", at.timestamp_micros())
}

/// The position a `time_cursor` names; anything else starts from the top.
pub fn parse_time_cursor(cursor: &str) -> Option<(chrono::DateTime<chrono::Utc>, i64)> {
    let (micros, id) = cursor.split_once('_')?;
    Some((chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?, id.parse().ok()?))
}

/// Only a local path survives as a redirect target: no `//host`, `/\host`, schemes or control characters.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Percent-encoding for a query-string value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Free text of one line: trimmed, no control characters, within a length in characters.
pub fn one_line(raw: &str, max_chars: usize, required: bool) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() && required {
        return Err("form.required");
    }
    if s.chars().count() > max_chars {
        return Err("form.too_long");
    }
    if s.chars().any(char::is_control) {
        return Err("form.invalid_characters");
    }
    Ok(s.to_string())
}

/// A key a form sends back to be looked up (a department's slug, a tracking number):
/// as sent, or empty when it holds control characters, which no key has (and PostgreSQL
/// refuses a NUL in text): the lookup then finds nothing and the form asks to choose again.
pub fn lookup_key(raw: &str) -> &str {
    if raw.chars().any(char::is_control) {
        ""
    } else {
        raw
    }
}

/// Words to search for, without the control characters no text contains (a NUL would
/// reach the database, which refuses it).
pub fn search_text(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).collect()
}

/// Today in Shanghai, where the union is.
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// A day something happened (`YYYY-MM-DD` from a date field): not in the future, within the last year.
pub fn past_day(raw: &str) -> Result<chrono::NaiveDate, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("form.required");
    }
    let day = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "form.date.invalid")?;
    let today = today();
    if day > today {
        Err("form.date.future")
    } else if (today - day).num_days() > 366 {
        Err("form.date.too_old")
    } else {
        Ok(day)
    }
}

/// A date filter: a valid `YYYY-MM-DD` between 2000 and 2100, or nothing
/// (years chrono accepts but PostgreSQL or date arithmetic would not are ignored).
pub fn filter_day(raw: &str) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok().filter(|d| (2000..=2100).contains(&d.year()))
}

/// Free text of several lines: trimmed, line breaks and tabs allowed, no other control characters.
pub fn multi_line(raw: &str, max_chars: usize, required: bool) -> Result<String, &'static str> {
    let s = raw.trim().replace("\r\n", "\n");
    if s.is_empty() && required {
        return Err("form.required");
    }
    if s.chars().count() > max_chars {
        return Err("form.too_long");
    }
    if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err("form.invalid_characters");
    }
    Ok(s)
}

/// One route per form when several forms share one handler body: a page's buttons
/// (a reply, a note, a transfer…) each post to their own route, so each sits in the route
/// group of who may press it. `one_handler_per_form!((extractors) step => body; name => value, …)`
/// writes `name` for each value, with `step` bound to the value in `body` (a future).
macro_rules! one_handler_per_form {
    ($params:tt $arg:ident => $body:expr; $($name:ident => $value:expr),* $(,)?) => {$(
        pub async fn $name $params -> $crate::error::AppResult<axum::response::Response> {
            let $arg = $value;
            $body.await
        }
    )*};
}
pub(crate) use one_handler_per_form;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_accepts_local_paths_only() {
        assert_eq!(safe_next(Some("/d/rights?x=1")), "/d/rights?x=1");
        for evil in ["//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example", "/a\r\nb", ""]
        {
            assert_eq!(safe_next(Some(evil)), "/", "{evil}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn multi_line_keeps_line_breaks_but_not_other_controls() {
        assert_eq!(multi_line(" a\r\nb ", 10, true), Ok("a\nb".to_string()));
        assert_eq!(multi_line("a\u{0}b", 10, true), Err("form.invalid_characters"));
        assert_eq!(multi_line("", 10, true), Err("form.required"));
    }

    #[test]
    fn keys_and_search_words_never_carry_control_characters() {
        assert_eq!(lookup_key("rights"), "rights");
        assert_eq!(lookup_key("QY-2026-000001"), "QY-2026-000001");
        for bad in ["\0", "a\0b", "rights\u{1b}", "\r\n"] {
            assert_eq!(lookup_key(bad), "", "{bad:?}");
        }
        assert_eq!(search_text("白\0蚁\u{7f} x"), "白蚁 x");
    }

    #[test]
    fn take_keeps_a_good_value_and_records_a_bad_one() {
        let mut errors = FormErrors::default();
        assert_eq!(errors.take("a", Ok("x".into())), "x");
        assert_eq!(errors.take("b", Err("form.required")), "");
        assert_eq!((errors.get("a"), errors.get("b")), (None, Some("form.required")));
    }

    #[test]
    fn a_next_cursor_exists_only_after_a_full_page() {
        assert_eq!(next_cursor(&[1, 2, 3], 3, |n| *n), Some(3));
        assert_eq!(next_cursor(&[1, 2], 3, |n| *n), None);
    }

    #[test]
    fn url_encode_escapes_what_a_query_needs() {
        assert_eq!(url_encode("/d/rights?a=b&c"), "/d/rights%3Fa%3Db%26c");
        assert_eq!(url_encode("雨伞"), "%E9%9B%A8%E4%BC%9E");
    }
}
