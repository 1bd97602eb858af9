//! Lost-and-found forms and the values they become.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{model::is_category, queries::Point};
use crate::{
    accounts::forms::StudentNo,
    web::{
        forms::{multi_line, one_line, past_day},
        FormErrors,
    },
};

/// The intake form (multipart: it may carry a photo).
#[derive(Debug, Default, Clone)]
pub struct ItemForm {
    pub point: String,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: String,
    pub card_student_no: String,
    pub card_name: String,
}

pub struct ItemValues {
    pub point_id: i64,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub card_student_no: Option<String>,
    pub card_name: String,
}

/// The day (today or before), or `None` with the field's message noted.
pub fn past_day_noted(errors: &mut FormErrors, field: &'static str, text: &str) -> Option<NaiveDate> {
    past_day(text).map_err(|key| errors.add(field, key)).ok()
}

impl ItemForm {
    /// `points` are the department's open points: an item can only be held at one of them.
    pub fn parse(&self, points: &[Point]) -> Result<ItemValues, FormErrors> {
        let mut errors = FormErrors::default();
        let point = points.iter().find(|p| !p.archived && p.point_id.to_string() == self.point);
        if point.is_none() {
            errors.add("point", "form.point.choose");
        }
        if !is_category(&self.category) {
            errors.add("category", "form.category.choose");
        }
        let is_card = self.category == "card";
        // A card is described by what it is; other things need words.
        let description = errors.take("description", one_line(&self.description, 200, !is_card));
        let colour = errors.take("colour", one_line(&self.colour, 30, false));
        let found_place = errors.take("found_place", one_line(&self.found_place, 100, true));
        let found_on = past_day_noted(&mut errors, "found_on", &self.found_on);
        let card_student_no = if is_card && !self.card_student_no.trim().is_empty() {
            match StudentNo::parse(&self.card_student_no) {
                Ok(no) => Some(no.as_str().to_string()),
                Err(key) => {
                    errors.add("card_student_no", key);
                    None
                }
            }
        } else {
            None
        };
        let card_name =
            if is_card { errors.take("card_name", one_line(&self.card_name, 50, false)) } else { String::new() };
        let (Some(point), Some(found_on)) = (point, found_on) else {
            return Err(errors);
        };
        errors.into_result(ItemValues {
            point_id: point.point_id,
            category: self.category.clone(),
            description,
            colour,
            found_place,
            found_on,
            card_student_no,
            card_name,
        })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub category: String,
    pub what: String,
    pub place: String,
    pub lost_on: String,
    pub description: String,
    pub contact: String,
}

pub struct ReportValues {
    pub category: String,
    pub what: String,
    pub place: String,
    pub lost_on: NaiveDate,
    pub description: String,
    pub contact: String,
}

impl ReportForm {
    pub fn parse(&self) -> Result<ReportValues, FormErrors> {
        let mut errors = FormErrors::default();
        if !is_category(&self.category) {
            errors.add("category", "form.category.choose");
        }
        let what = errors.take("what", one_line(&self.what, 80, true));
        let place = errors.take("place", one_line(&self.place, 100, true));
        let lost_on = past_day_noted(&mut errors, "lost_on", &self.lost_on);
        let description = errors.take("description", multi_line(&self.description, 1000, false));
        let contact = errors.take("contact", one_line(&self.contact, 100, false));
        let Some(lost_on) = lost_on else {
            return Err(errors);
        };
        errors.into_result(ReportValues { category: self.category.clone(), what, place, lost_on, description, contact })
    }
}

/// Claimed at the point (student number and name checked against the claimant's card),
/// or returned to the owner directly (a note says how).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CloseForm {
    pub claimant_student_no: String,
    pub claimant_name: String,
    pub note: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PointForm {
    pub name_zh: String,
    pub name_en: String,
    pub address: String,
    pub opening_hours: String,
    pub sort_order: String,
    /// A checkbox: present when the point is closed for good.
    pub archived: Option<String>,
}

pub struct PointValues {
    pub name_zh: String,
    pub name_en: String,
    pub address: String,
    pub opening_hours: String,
    pub sort_order: i32,
    pub archived: bool,
}

impl PointForm {
    pub fn parse(&self) -> Result<PointValues, FormErrors> {
        let mut errors = FormErrors::default();
        let name_zh = errors.take("name_zh", one_line(&self.name_zh, 40, true));
        let name_en = errors.take("name_en", one_line(&self.name_en, 80, true));
        let address = errors.take("address", one_line(&self.address, 120, true));
        let opening_hours = errors.take("opening_hours", one_line(&self.opening_hours, 120, true));
        let sort_order = match self.sort_order.trim() {
            "" => 100,
            s => s.parse::<i32>().ok().filter(|n| (0..=10_000).contains(n)).unwrap_or_else(|| {
                errors.add("sort_order", "form.number.invalid");
                0
            }),
        };
        errors.into_result(PointValues {
            name_zh,
            name_en,
            address,
            opening_hours,
            sort_order,
            archived: self.archived.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points() -> Vec<Point> {
        vec![Point {
            point_id: 4,
            department_id: 1,
            name_zh: "北区图书馆".into(),
            name_en: "North: Library".into(),
            address: "北区图书馆一楼总服务台".into(),
            opening_hours: "每天 8:00–22:00".into(),
            sort_order: 40,
            archived: false,
        }]
    }

    #[test]
    fn an_item_needs_a_point_a_category_a_place_and_a_day() {
        let errors = ItemForm::default().parse(&points()).err().expect("invalid");
        let fields: Vec<_> = errors.fields().collect();
        assert_eq!(fields, ["point", "category", "description", "found_place", "found_on"]);
    }

    #[test]
    fn a_card_keeps_its_number_and_other_things_do_not() {
        let today = crate::web::forms::today().to_string();
        let mut form = ItemForm {
            point: "4".into(),
            category: "card".into(),
            found_place: "北区食堂".into(),
            found_on: today,
            card_student_no: " 2021123412 ".into(),
            card_name: "张三".into(),
            ..ItemForm::default()
        };
        let v = form.parse(&points()).expect("a card needs no description");
        assert_eq!((v.card_student_no.as_deref(), v.card_name.as_str()), (Some("2021123412"), "张三"));
        form.category = "umbrella".into();
        form.description = "黑色雨伞".into();
        let v = form.parse(&points()).expect("valid");
        assert_eq!((v.card_student_no, v.card_name.as_str()), (None, ""));
    }

    #[test]
    fn days_in_the_future_or_not_days_are_refused() {
        let tomorrow = (crate::web::forms::today() + chrono::Duration::days(1)).to_string();
        for (raw, key) in [(tomorrow.as_str(), "form.date.future"), ("2026-13-01", "form.date.invalid")] {
            let form = ReportForm { lost_on: raw.into(), ..ReportForm::default() };
            let errors = form.parse().err().expect("invalid");
            assert_eq!(errors.get("lost_on"), Some(key));
        }
    }
}
