//! Filing a complaint: the form, its photos, and the one way a complaint comes to exist.

use askama::Template;
use axum::{
    extract::{multipart::Multipart, State},
    response::{Html, IntoResponse, Response},
};
use chrono::Datelike;

use super::{
    forms::ComplaintForm,
    queries::{self, NewComplaint},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    uploads,
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout},
};

#[derive(Template)]
#[template(path = "complaints/new.html")]
struct NewPage {
    layout: Layout,
    categories: Vec<queries::Category>,
    form: ComplaintForm,
    errors: FormErrors,
}

pub async fn new_complaint(State(state): State<AppState>, layout: Layout, _: CurrentUser) -> AppResult<Html<String>> {
    let categories = queries::categories(&state).await?;
    let form = ComplaintForm { visibility: "public".into(), ..ComplaintForm::default() };
    Ok(Html(render(NewPage { layout, categories, form, errors: FormErrors::default() })?))
}

/// The student's hourly share of filings and photos. Photos first: a refusal for photos
/// leaves the hour's complaints untouched.
async fn within_limits(state: &AppState, user_id: i64, photos: usize) -> Result<(), crate::web::limits::Refused> {
    let limits = &state.limits;
    limits.photos.check(&user_id, photos as u32).await?;
    limits.filings.check(&user_id, 1).await
}

// No user id in the span: with the complaint id logged inside it, it would name
// the reporter of an anonymous complaint in the log.
#[tracing::instrument(skip_all)]
pub async fn create_complaint(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let (form, uploaded) = match super::photos::read_form(multipart).await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let categories = queries::categories(&state).await?;
    if let Err(refused) = within_limits(&state, user.user_id, uploaded.len()).await {
        let errors = FormErrors::one(crate::web::forms::FORM, "form.rate_limited");
        return Ok(crate::web::limits::too_many(render(NewPage { layout, categories, form, errors })?, refused));
    }
    let (values, photos) = match (form.parse(&categories), super::photos::process_all(uploaded).await?) {
        (Ok(v), Ok(p)) => (v, p),
        (parsed, photos) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(key) = photos {
                errors.add("photos", key);
            }
            return Ok(Html422(render(NewPage { layout, categories, form, errors })?).into_response());
        }
    };
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, &photos).await.map_err(|e| AppError::Internal(e.into()))?;
    let result = file_complaint(&state, user.user_id, &values, &stored).await.map(|(_, no)| no);
    if result.is_err() {
        // Nothing was saved: leave no orphan files behind.
        uploads::remove_all(storage, &stored).await;
    }
    let tracking_no = result?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_filed", Some(&tracking_no)))
}

/// The complaint, its photos, its first event and the handlers' notification: all or nothing.
/// The one way a complaint comes to exist (the form and the demo seed). Returns (id, tracking number).
pub async fn file_complaint(
    state: &AppState,
    reporter_id: i64,
    values: &super::forms::NewComplaintValues,
    photos: &[uploads::StoredPhoto],
) -> AppResult<(i64, String)> {
    file_complaint_as(state, reporter_id, values, photos, None).await
}

/// `file_complaint`, registered by an officer (`on_behalf`: the channel and the officer).
pub async fn file_complaint_as(
    state: &AppState,
    reporter_id: i64,
    values: &super::forms::NewComplaintValues,
    photos: &[uploads::StoredPhoto],
    on_behalf: Option<(&str, i64)>,
) -> AppResult<(i64, String)> {
    let year = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).year();
    let slug = crate::web::dept_access::department_slug(state, values.department_id).await?;
    let complaint = NewComplaint {
        year,
        reporter_id,
        category_id: values.category_id,
        department_id: values.department_id,
        title: &values.title,
        location: &values.location,
        description: &values.description,
        is_public: values.is_public,
        is_anonymous: values.is_anonymous,
        on_behalf,
    };
    let link_prefix = format!("/d/{slug}/complaints/");
    let (complaint_id, tracking_no) =
        queries::insert_filed_complaint(&state.db, &complaint, photos, &link_prefix).await?;
    tracing::info!(complaint_id, photos = photos.len(), "complaint filed");
    Ok((complaint_id, tracking_no))
}
