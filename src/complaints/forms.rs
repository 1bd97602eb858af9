//! Complaint forms and the values they become.

use serde::Deserialize;

use super::queries::Category;
use crate::web::{
    forms::{multi_line, one_line},
    FormErrors,
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ComplaintForm {
    pub category: String,
    pub title: String,
    pub location: String,
    pub description: String,
    /// `public` or `private`.
    pub visibility: String,
    /// A checkbox: present when ticked.
    pub anonymous: Option<String>,
}

pub struct NewComplaintValues {
    pub category_id: i64,
    pub department_id: i64,
    pub title: String,
    pub location: String,
    pub description: String,
    pub is_public: bool,
    pub is_anonymous: bool,
}

impl ComplaintForm {
    pub fn parse(&self, categories: &[Category]) -> Result<NewComplaintValues, FormErrors> {
        let mut errors = FormErrors::default();
        let title = errors.take("title", one_line(&self.title, 80, true));
        let location = errors.take("location", one_line(&self.location, 100, true));
        let description = errors.take("description", multi_line(&self.description, 5000, true));
        let category = categories.iter().find(|c| c.slug == self.category);
        if category.is_none() {
            errors.add("category", "form.category.choose");
        }
        let is_public = match self.visibility.as_str() {
            "public" => true,
            "private" => false,
            _ => {
                errors.add("visibility", "form.visibility.choose");
                false
            }
        };
        let (category_id, department_id) = category.map_or((0, 0), |c| (c.category_id, c.department_id));
        errors.into_result(NewComplaintValues {
            category_id,
            department_id,
            title,
            location,
            description,
            is_public,
            is_anonymous: self.anonymous.is_some(),
        })
    }
}

/// A handler's step: the target status and what it needs.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TransitionForm {
    pub to: String,
    /// Reason (rejection) or public text (response).
    pub body: String,
    pub office_id: String,
    /// The status the page showed, so a step taken meanwhile by someone else is noticed.
    pub from: String,
    /// What was typed into the merge form, kept when the merge is refused (not part of a step).
    #[serde(skip)]
    pub into: String,
    /// What was typed into the commitment form, kept when it is refused (not part of a step).
    #[serde(skip)]
    pub commitment: crate::reception::commitments::CommitmentInput,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TextForm {
    pub body: String,
    /// `1` on a public reply: the text is the school office's answer, relayed by the union
    /// (it stops the office's clock; the timeline names the office).
    pub from_office: String,
    /// `1` on an internal note: it is written to the forwarded-to office, whose liaisons see it.
    pub to_office: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    pub rating: String,
    pub body: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub assignee_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<Category> {
        vec![Category {
            category_id: 7,
            slug: "dorm".into(),
            name_zh: "宿舍".into(),
            name_en: "Dorms".into(),
            department_id: 2,
        }]
    }

    #[test]
    fn a_valid_form_routes_to_its_categorys_department() {
        let form = ComplaintForm {
            category: "dorm".into(),
            title: "24栋发现白蚁".into(),
            location: "北区24栋".into(),
            description: "墙角有白蚁，\r\n已经蛀坏了书桌。".into(),
            visibility: "public".into(),
            anonymous: Some("on".into()),
        };
        let v = form.parse(&categories()).expect("valid");
        assert_eq!((v.category_id, v.department_id), (7, 2));
        assert!(v.is_public && v.is_anonymous);
        assert_eq!(v.description, "墙角有白蚁，\n已经蛀坏了书桌。");
    }

    #[test]
    fn every_missing_field_is_reported() {
        let errors = ComplaintForm::default().parse(&categories()).err().expect("invalid");
        let fields: Vec<_> = errors.fields().collect();
        assert_eq!(fields, ["title", "location", "description", "category", "visibility"]);
    }
}
