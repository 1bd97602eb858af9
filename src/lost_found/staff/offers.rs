//! Students' reports of things they found, at the desk (`/d/{dept}/lost-found/offers`): an
//! officer confirms one when the thing is at the point (it is registered like any found item,
//! then public and matched) or declines it with a reason the student reads. Only the desk's
//! own members (route group); every statement names the department again.

use askama::Template;
use axum::{extract::State, response::Response, Form};
use serde_json::json;

use crate::lost_found::{
    forms::ItemValues,
    offers::OfferPath,
    queries::{self, Offer, OfferFilter, Point},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    notifications::notify,
    web::{
        context::redirect_with_flash,
        forms::{one_line, page_or_422},
        render, DeptAccess, FormErrors, Layout, Path,
    },
};

/// The confirm and decline forms; each reads the fields it has.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct DecideForm {
    pub point: String,
    pub description: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "lost_found/offers.html")]
struct OffersPage {
    layout: Layout,
    access: DeptAccess,
    offers: Vec<Offer>,
    points: Vec<Point>,
    /// The offer whose form was refused, what was typed, and why.
    failed: i64,
    form: DecideForm,
    errors: FormErrors,
}

async fn offers_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    (failed, form, errors): (i64, DecideForm, FormErrors),
) -> AppResult<Response> {
    let dept = access.dept.department_id;
    let pending = OfferFilter { offer_id: None, reporter_id: None, pending_of_department: Some(dept) };
    let offers = queries::find_offers(&state.db, &pending).await?;
    let points = queries::list_points(&state.db, Some(dept)).await?.into_iter().filter(|p| !p.archived).collect();
    let refused = !errors.is_empty();
    let page = render(OffersPage { layout, access, offers, points, failed, form, errors })?;
    Ok(page_or_422(page, refused))
}

pub async fn list_offers(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Response> {
    offers_page(&state, layout, access, (0, DecideForm::default(), FormErrors::default())).await
}

/// This department's pending offer, or 404.
async fn pending_offer(state: &AppState, access: &DeptAccess, offer_id: i64) -> AppResult<Offer> {
    let f = OfferFilter {
        offer_id: Some(offer_id),
        reporter_id: None,
        pending_of_department: Some(access.dept.department_id),
    };
    queries::find_offers(&state.db, &f).await?.pop().ok_or(AppError::NotFound)
}

/// The thing is at the point: register it (public, matched against lost reports) and tell the finder.
pub async fn confirm_offer(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(OfferPath { offer_id }): Path<OfferPath>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    let offer = pending_offer(&state, &access, offer_id).await?;
    let points = queries::list_points(&state.db, Some(access.dept.department_id)).await?;
    let mut errors = FormErrors::default();
    let point = points.iter().find(|p| !p.archived && p.point_id.to_string() == form.point);
    if point.is_none() {
        errors.add("point", "form.point.choose");
    }
    let description = errors.take("description", one_line(&form.description, 200, true));
    let Some(point) = point.filter(|_| errors.is_empty()) else {
        return offers_page(&state, layout, access, (offer_id, form, errors)).await;
    };
    let values = ItemValues {
        point_id: point.point_id,
        category: offer.category.clone(),
        description,
        colour: offer.colour.clone(),
        found_place: offer.found_place.clone(),
        found_on: offer.found_on,
        card_student_no: None,
        card_name: String::new(),
    };
    let photo = offer.photo_name.clone().zip(offer.thumb_name.clone()).map(|(full, thumb)| (full, thumb, 0, 0));
    let (dept, officer) = (access.dept.department_id, access.viewer.user_id);
    let mut tx = state.db.begin().await?;
    queries::lock_pending_offer(&mut *tx, offer_id, dept).await?.ok_or(AppError::NotFound)?;
    let item_id = crate::lost_found::register_item_in(&mut tx, dept, officer, &values, photo.as_ref()).await?;
    record_decision(&mut tx, &access, &offer, Some(item_id), "").await?;
    tx.commit().await?;
    let next = format!("/d/{}/lost-found/items/{item_id}", access.dept.slug);
    Ok(redirect_with_flash(&next, "flash.lost.offer_confirmed", Some(&item_id.to_string())))
}

/// Not a thing the desk will take (or it never arrived): the finder reads why.
pub async fn decline_offer(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(OfferPath { offer_id }): Path<OfferPath>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    let offer = pending_offer(&state, &access, offer_id).await?;
    let mut errors = FormErrors::default();
    let reason = errors.take("reason", one_line(&form.reason, 200, true));
    if !errors.is_empty() {
        return offers_page(&state, layout, access, (offer_id, form, errors)).await;
    }
    let mut tx = state.db.begin().await?;
    record_decision(&mut tx, &access, &offer, None, &reason).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/d/{}/lost-found/offers", access.dept.slug), "flash.lost.offer_declined", None))
}

/// The decision on a pending offer of this department (confirmed with its item, or declined with
/// the reason): recorded, audited, and told to the finder with the way to what became of it.
async fn record_decision(
    tx: &mut sqlx::PgConnection,
    access: &DeptAccess,
    offer: &Offer,
    item_id: Option<i64>,
    reason: &str,
) -> AppResult<()> {
    let (offer_id, dept, officer) = (offer.offer_id, access.dept.department_id, access.viewer.user_id);
    let reporter = queries::decide_offer(&mut *tx, (offer_id, dept, officer), item_id, reason).await?;
    let reporter = reporter.ok_or(AppError::NotFound)?;
    let (after, key, link) = match item_id {
        Some(id) => (
            json!({ "status": "confirmed", "item_id": id }),
            "notify.lost.offer_confirmed",
            format!("/lost-found/items/{id}"),
        ),
        None => (
            json!({ "status": "declined", "reason": reason }),
            "notify.lost.offer_declined",
            format!("/me/found/{offer_id}"),
        ),
    };
    let object = offer_id.to_string();
    audit::record(&mut *tx, Some(officer), Some(dept), Action::OfferDecide, "found_offer", &object, None, Some(after))
        .await?;
    notify(&mut *tx, &[reporter], Some(officer), key, &offer.description, &link).await?;
    Ok(())
}
