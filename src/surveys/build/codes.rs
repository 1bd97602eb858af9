//! Single-use codes of an open questionnaire, for paper: the department makes a batch and
//! prints the sheet, one QR code per code, each leading to the questionnaire with its code
//! filled in. A code takes one answer (`update_code_used`, in the answer's transaction).

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
    Form,
};
use rand::Rng;
use serde::Deserialize;

use super::{base, own_survey};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    surveys::{
        paths::SurveyPath,
        queries::{self, Code, Survey},
    },
    web::{context::redirect_with_flash, render, DeptAccess, Layout, Path},
};

/// Eight characters nobody misreads (no 0/O, 1/I/L): about 10^12 codes.
fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..8).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

#[derive(Deserialize, Default)]
pub struct CodesForm {
    #[serde(default)]
    count: String,
}

pub async fn make_codes(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Form(form): Form<CodesForm>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    if !s.with_codes {
        return Err(AppError::NotFound);
    }
    let count = form.count.trim().parse::<usize>().ok().filter(|n| (1..=500).contains(n)).unwrap_or(20);
    let codes: Vec<String> = (0..count).map(|_| new_code()).collect();
    queries::insert_codes(&state.db, s.survey_id, access.dept.department_id, &codes).await?;
    Ok(redirect_with_flash(&format!("{}/{}/codes", base(&access), s.survey_id), "flash.surveys.codes_made", None))
}

#[derive(Template)]
#[template(path = "surveys/codes.html")]
struct CodesPage {
    layout: Layout,
    access: DeptAccess,
    s: Survey,
    codes: Vec<Code>,
}

impl CodesPage {
    fn url(&self, code: &str) -> String {
        format!("{}/surveys/{}?code={code}", self.layout.origin, self.s.survey_id)
    }
}

pub async fn code_sheet(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
) -> AppResult<Html<String>> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    if !s.with_codes {
        return Err(AppError::NotFound);
    }
    let codes = queries::list_codes(&state.db, s.survey_id, access.dept.department_id).await?;
    Ok(Html(render(CodesPage { layout, access, s, codes })?))
}
