//! Filing for a student who reported elsewhere (微博私信, a meeting, in person, by phone
//! or mail): an officer registers the complaint with its channel. With the student's
//! number (a verified account) the complaint is theirs: they see it under `/me` and are
//! told. Without one it is anonymous and the officer follows it, to answer the student
//! where they asked. The public timeline says "由学生会代为登记".

use askama::Template;
use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::audit_step_for;
use crate::{
    app::AppState,
    audit::Action,
    complaints::{file_complaint_as, forms::ComplaintForm, queries},
    error::AppResult,
    notifications::notify,
    web::{context::redirect_with_flash, forms::one_line, render, DeptAccess, FormErrors, Layout},
};

/// The channels a report may come by.
pub const CHANNELS: [&str; 5] = ["weibo", "meeting", "in_person", "phone", "mail"];

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OnBehalfForm {
    pub channel: String,
    pub student_no: String,
    pub category: String,
    pub title: String,
    pub location: String,
    pub description: String,
    pub visibility: String,
    pub anonymous: Option<String>,
}

impl OnBehalfForm {
    fn complaint(&self) -> ComplaintForm {
        ComplaintForm {
            category: self.category.clone(),
            title: self.title.clone(),
            location: self.location.clone(),
            description: self.description.clone(),
            visibility: self.visibility.clone(),
            anonymous: self.anonymous.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "complaints/on_behalf.html")]
struct OnBehalfPage {
    layout: Layout,
    access: DeptAccess,
    categories: Vec<queries::Category>,
    channels: [&'static str; 5],
    form: OnBehalfForm,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: OnBehalfForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let categories = queries::categories(state).await?;
    let refused = !errors.is_empty();
    let html = render(OnBehalfPage { layout, access, categories, channels: CHANNELS, form, errors })?;
    Ok(crate::web::forms::page_or_422(html, refused))
}

pub async fn new_on_behalf(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Response> {
    let form = OnBehalfForm { visibility: "public".into(), ..OnBehalfForm::default() };
    page(&state, layout, access, form, FormErrors::default()).await
}

/// The student the complaint belongs to: the verified account with this number, or none typed.
async fn reporter(state: &AppState, raw: &str, errors: &mut FormErrors) -> AppResult<Option<i64>> {
    let number = errors.take("student_no", one_line(raw, 32, false));
    if number.is_empty() {
        return Ok(None);
    }
    match queries::fetch_account_by_number(&state.db, &number).await? {
        None => errors.add("student_no", "form.on_behalf.no_account"),
        Some((_, false)) => errors.add("student_no", "form.on_behalf.unverified"),
        Some((id, true)) => return Ok(Some(id)),
    }
    Ok(None)
}

pub async fn file_on_behalf(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<OnBehalfForm>,
) -> AppResult<Response> {
    let categories = queries::categories(&state).await?;
    let mut errors = FormErrors::default();
    let channel = CHANNELS.into_iter().find(|c| *c == form.channel);
    if channel.is_none() {
        errors.add("channel", "form.on_behalf.channel");
    }
    let student = reporter(&state, &form.student_no, &mut errors).await?;
    let parsed = form.complaint().parse(&categories).map_err(|e| errors.merge(e)).ok();
    let (Some(channel), Some(mut values), true) = (channel, parsed, errors.is_empty()) else {
        return page(&state, layout, access, form, errors).await;
    };
    let officer = access.viewer.user_id;
    // Without the student's number the officer follows it, and nobody's name may show.
    values.is_anonymous |= student.is_none();
    let (_, no) = file_complaint_as(&state, student.unwrap_or(officer), &values, &[], Some((channel, officer))).await?;
    if let Some(student) = student {
        notify(
            &state.db,
            &[student],
            Some(officer),
            "notify.complaint.filed_for_you",
            &no,
            &format!("/complaints/{no}"),
        )
        .await?;
    }
    let after = json!({ "channel": channel, "for_student": student.is_some() });
    audit_step_for(&state.db, &access, &no, Action::ComplaintFiledOnBehalf, (None, after)).await?;
    Ok(redirect_with_flash(
        &format!("/d/{}/complaints", access.dept.slug),
        "flash.complaint_filed_on_behalf",
        Some(&no),
    ))
}
