//! Things students found (拾获登记): a signed-in student says what, where and when, adds a photo,
//! and names the collection point they will hand it in at, or that they keep it until the owner
//! contacts the union. Nothing of it is public until an officer confirms it (`staff::offers`);
//! the student follows it under `/me` and is told the outcome.

use askama::Template;
use axum::{
    extract::{multipart::Multipart, State},
    response::{Html, IntoResponse, Response},
};

use super::{
    forms::past_day_noted,
    model::{is_category, CATEGORIES},
    queries::{self, NewOffer, Offer, OfferFilter, Point},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    notifications::notify,
    uploads,
    web::{
        context::{redirect_with_flash, CurrentUser},
        forms::one_line,
        limits::{too_many, Write},
        render, FormErrors, Html422, Layout, Path,
    },
};

/// `/me/found/{offer_id}`, `/d/{dept}/lost-found/offers/{offer_id}/…`.
#[derive(serde::Deserialize)]
pub struct OfferPath {
    pub offer_id: i64,
}

/// What the student typed (multipart: it may carry a photo).
#[derive(Debug, Default, Clone)]
pub struct OfferForm {
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: String,
    /// A collection point's id, or `keep`: the finder keeps it.
    pub point: String,
    pub keeper_contact: String,
}

impl OfferForm {
    fn from_fields(fields: Vec<(String, String)>) -> Self {
        let mut form = OfferForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "category" => form.category = value,
                "description" => form.description = value,
                "colour" => form.colour = value,
                "found_place" => form.found_place = value,
                "found_on" => form.found_on = value,
                "point" => form.point = value,
                "keeper_contact" => form.keeper_contact = value,
                _ => {}
            }
        }
        form
    }

    /// The offer's checked fields (photo aside), or errors beside the fields.
    fn parse(&self, points: &[Point], errors: &mut FormErrors) -> Option<OfferValues> {
        if !is_category(&self.category) {
            errors.add("category", "form.category.choose");
        }
        let keeps = self.point == "keep";
        let point = points.iter().find(|p| !p.archived && p.point_id.to_string() == self.point).map(|p| p.point_id);
        if !keeps && point.is_none() {
            errors.add("point", "form.lost.offer_point");
        }
        let contact = errors.take("keeper_contact", one_line(&self.keeper_contact, 60, keeps));
        let description = errors.take("description", one_line(&self.description, 200, true));
        let colour = errors.take("colour", one_line(&self.colour, 30, false));
        let found_place = errors.take("found_place", one_line(&self.found_place, 100, true));
        let found_on = past_day_noted(errors, "found_on", &self.found_on)?;
        let keeper_contact = if keeps { contact } else { String::new() };
        Some(OfferValues { point_id: point, description, colour, found_place, found_on, keeper_contact })
    }
}

struct OfferValues {
    point_id: Option<i64>,
    description: String,
    colour: String,
    found_place: String,
    found_on: chrono::NaiveDate,
    keeper_contact: String,
}

#[derive(Template)]
#[template(path = "lost_found/offer_new.html")]
struct NewOfferPage {
    layout: Layout,
    categories: &'static [&'static str],
    points: Vec<Point>,
    form: OfferForm,
    errors: FormErrors,
    today: String,
}

async fn new_offer_page(state: &AppState, layout: Layout, form: OfferForm, errors: FormErrors) -> AppResult<String> {
    let points = queries::list_points(&state.db, None).await?.into_iter().filter(|p| !p.archived).collect();
    let today = crate::web::forms::today().to_string();
    render(NewOfferPage { layout, categories: &CATEGORIES, points, form, errors, today })
}

pub async fn new_offer(State(state): State<AppState>, layout: Layout, _: CurrentUser) -> AppResult<Html<String>> {
    let form = OfferForm { found_on: crate::web::forms::today().to_string(), ..OfferForm::default() };
    Ok(Html(new_offer_page(&state, layout, form, FormErrors::default()).await?))
}

#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
pub async fn create_offer(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let (fields, photos) = match uploads::read_multipart(multipart, "photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let form = OfferForm::from_fields(fields);
    // A finder's report is a write like a lost report (and tells the desk): the same limit.
    let limited = match state.limits.write(Write::LostReports, user.user_id).await {
        Ok(()) => state.limits.photos.check(&user.user_id, photos.len() as u32).await,
        refused => refused,
    };
    if let Err(refused) = limited {
        let errors = FormErrors::one(crate::web::forms::FORM, "form.rate_limited");
        return Ok(too_many(new_offer_page(&state, layout, form, errors).await?, refused));
    }
    let points = queries::list_points(&state.db, None).await?;
    let mut errors = FormErrors::default();
    let parsed = form.parse(&points, &mut errors);
    let photo = match uploads::process_all(photos, 1).await.map_err(AppError::Internal)? {
        Ok(p) => p,
        Err(key) => {
            errors.add("photo", key);
            vec![]
        }
    };
    let Some(v) = parsed.filter(|_| errors.is_empty()) else {
        return Ok(Html422(new_offer_page(&state, layout, form, errors).await?).into_response());
    };
    let storage = &state.config.storage;
    let stored = uploads::store_all(storage, &photo).await.map_err(|e| AppError::Internal(e.into()))?;
    let new = NewOffer {
        reporter_id: user.user_id,
        category: &form.category,
        description: &v.description,
        colour: &v.colour,
        found_place: &v.found_place,
        found_on: v.found_on,
        point_id: v.point_id,
        keeper_contact: &v.keeper_contact,
        photo: stored.first().map(|p| (p.0.as_str(), p.1.as_str())),
    };
    let result = save_offer(&state, &new).await;
    if !matches!(result, Ok(Some(_))) {
        uploads::remove_all(storage, &stored).await;
    }
    let Some(offer_id) = result? else {
        // The point was archived meanwhile, or no department runs lost and found.
        let errors = FormErrors::one("point", "form.lost.offer_point");
        return Ok(Html422(new_offer_page(&state, layout, form, errors).await?).into_response());
    };
    tracing::info!(offer_id, "found thing reported by a student");
    Ok(redirect_with_flash(&format!("/me/found/{offer_id}"), "flash.lost.offer_filed", None))
}

/// The offer, and the desk's members told there is one to confirm.
async fn save_offer(state: &AppState, new: &NewOffer<'_>) -> AppResult<Option<i64>> {
    let mut tx = state.db.begin().await?;
    let Some(offer_id) = queries::insert_offer(&mut *tx, new).await? else {
        return Ok(None);
    };
    let (department_id, slug) = queries::fetch_offer_department(&mut *tx, offer_id).await?;
    let members = crate::departments::queries::current_member_ids(&mut *tx, department_id).await?;
    let link = format!("/d/{slug}/lost-found/offers");
    notify(&mut *tx, &members, None, "notify.lost.offer_new", &offer_id.to_string(), &link).await?;
    tx.commit().await?;
    Ok(Some(offer_id))
}

#[derive(Template)]
#[template(path = "lost_found/offer.html")]
struct OfferPage {
    layout: Layout,
    offer: Offer,
}

/// The student's own report of a found thing, or 404 (the SQL names the reporter).
pub async fn show_offer(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(OfferPath { offer_id }): Path<OfferPath>,
) -> AppResult<Html<String>> {
    let mine = OfferFilter { offer_id: Some(offer_id), reporter_id: Some(user.user_id), pending_of_department: None };
    let offer = queries::find_offers(&state.db, &mine).await?.pop().ok_or(AppError::NotFound)?;
    Ok(Html(render(OfferPage { layout, offer })?))
}
