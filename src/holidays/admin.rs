//! `/admin/holidays`: the calendar's days by year, a form to add one (date, holiday or
//! make-up working day, name) and a button to delete one. Only administrators get here
//! (`require_admin` on `/admin`); every change is audited and clears the kept calendar.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use serde_json::json;

use super::{queries, DayKind, DayPath};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::one_line, render, CurrentUser, FormErrors, Html422, Layout, Path},
};

/// Years the page and the form accept: what a date field and PostgreSQL both take without surprise.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Template)]
#[template(path = "holidays/list.html")]
struct HolidaysPage {
    layout: Layout,
    year: i32,
    years: Vec<i32>,
    days: Vec<queries::CalendarDay>,
    form: DayForm,
    errors: FormErrors,
}

impl HolidaysPage {
    /// `mon` … `sun`, for the weekday's name in the catalogue.
    fn weekday(&self, day: &NaiveDate) -> &'static str {
        match day.weekday() {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DayForm {
    day: String,
    kind: String,
    name: String,
}

/// A day to add, checked.
struct NewDay {
    day: NaiveDate,
    kind: DayKind,
    name: String,
}

impl TryFrom<&DayForm> for NewDay {
    type Error = FormErrors;

    fn try_from(form: &DayForm) -> Result<Self, FormErrors> {
        let mut errors = FormErrors::default();
        let day = match form.day.trim() {
            "" => Err("form.required"),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .filter(|d| YEARS.contains(&d.year()))
                .ok_or("form.date.invalid"),
        };
        let kind = DayKind::parse(&form.kind);
        let name = errors.take("name", one_line(&form.name, 20, true));
        match (day, kind) {
            (Err(key), _) => errors.add("day", key),
            // A weekday works anyway: making it a make-up working day says nothing.
            (Ok(d), Some(DayKind::Workday)) if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) => {
                errors.add("kind", "form.holiday.workday_on_weekday")
            }
            _ => {}
        }
        if kind.is_none() {
            errors.add("kind", "form.holiday.kind");
        }
        match (day, kind) {
            (Ok(day), Some(kind)) if errors.is_empty() => Ok(NewDay { day, kind, name }),
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

/// The year asked for, or this year (Shanghai).
fn year_of(q: &YearQuery) -> i32 {
    q.year.trim().parse().ok().filter(|y| YEARS.contains(y)).unwrap_or_else(|| crate::web::forms::today().year())
}

async fn page(state: &AppState, layout: Layout, year: i32, form: DayForm, errors: FormErrors) -> AppResult<String> {
    let days = queries::list_days_of_year(&state.db, year).await?;
    let this_year = crate::web::forms::today().year();
    let mut years = queries::list_years(&state.db).await?;
    years.extend([this_year, this_year + 1, year]);
    years.sort_unstable();
    years.dedup();
    render(HolidaysPage { layout, year, years, days, form, errors })
}

pub async fn list_days(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<YearQuery>,
) -> AppResult<Html<String>> {
    Ok(Html(page(&state, layout, year_of(&q), DayForm::default(), FormErrors::default()).await?))
}

fn year_page(day: NaiveDate) -> String {
    format!("/admin/holidays?year={}", day.year())
}

pub async fn add_day(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(admin): CurrentUser,
    Form(form): Form<DayForm>,
) -> AppResult<Response> {
    let errors = match NewDay::try_from(&form) {
        Ok(new) => {
            let mut tx = state.db.begin().await?;
            if queries::insert_day(&mut *tx, new.day, new.kind, &new.name).await? {
                let after = json!({ "kind": new.kind.as_str(), "name": new.name });
                let id = new.day.to_string();
                audit::record(
                    &mut *tx,
                    Some(admin.user_id),
                    None,
                    Action::CalendarDayAdd,
                    "calendar_day",
                    &id,
                    None,
                    Some(after),
                )
                .await?;
                tx.commit().await?;
                changed(&state);
                return Ok(redirect_with_flash(&year_page(new.day), "flash.saved", None));
            }
            FormErrors::one("day", "form.holiday.taken")
        }
        Err(errors) => errors,
    };
    // The page of the year the form was about, when its date says one.
    let year = NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d")
        .ok()
        .map(|d| d.year())
        .filter(|y| YEARS.contains(y))
        .unwrap_or_else(|| crate::web::forms::today().year());
    Ok(Html422(page(&state, layout, year, form, errors).await?).into_response())
}

pub async fn delete_day(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(DayPath { day }): Path<DayPath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let (kind, name) = queries::delete_day(&mut *tx, day).await?.ok_or(AppError::NotFound)?;
    let before = json!({ "kind": kind, "name": name });
    let id = day.to_string();
    audit::record(
        &mut *tx,
        Some(admin.user_id),
        None,
        Action::CalendarDayDelete,
        "calendar_day",
        &id,
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    changed(&state);
    Ok(redirect_with_flash(&year_page(day), "flash.holiday_deleted", None))
}

/// After a change: the kept calendar, and the kept first pages of the queues (their
/// overdue part follows the calendar), are read afresh.
fn changed(state: &AppState) {
    state.cached.calendar.clear();
    state.cached.queue_first_pages.clear();
}
