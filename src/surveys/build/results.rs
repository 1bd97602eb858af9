//! The department's results: live counts and charts per question with a table beside
//! each, free text listed, filters by college and entry year, and the CSV and XLSX
//! exports. In anonymous mode a filtered group under five shows nothing, and an export
//! never carries a college or year shared by fewer than five answers.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use serde::Deserialize;

use super::own_survey;
use crate::{
    app::AppState,
    error::AppResult,
    surveys::{
        paths::SurveyPath,
        queries::{self, ResponseRow, Survey},
        results::{self, cell, Filter, Tally, MIN_GROUP},
    },
    web::{
        export::{self, download},
        render, DeptAccess, Lang, Layout, Path,
    },
};

#[derive(Deserialize, Default)]
pub struct FilterQuery {
    #[serde(default)]
    college: String,
    #[serde(default)]
    grade: String,
}

impl FilterQuery {
    fn filter(&self) -> Filter {
        let college = Some(self.college.trim().to_string()).filter(|c| !c.is_empty());
        Filter { college, grade: self.grade.trim().parse().ok() }
    }
}

#[derive(Template)]
#[template(path = "surveys/results.html")]
struct ResultsPage {
    layout: Layout,
    access: DeptAccess,
    s: Survey,
    versions: Vec<(i64, i32)>,
    total: usize,
    /// Answers counted under the filter; None when the group is too small to show.
    shown: Option<usize>,
    tallies: Vec<Tally>,
    colleges: Vec<(String, usize)>,
    grades: Vec<(i32, usize)>,
    filter: FilterQuery,
    query: String,
}

impl ResultsPage {
    fn college_selected(&self, c: &str) -> bool {
        self.filter.college == c
    }
    fn grade_selected(&self, g: &i32) -> bool {
        self.filter.grade.trim() == g.to_string()
    }
}

pub async fn show_results(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Query(filter): Query<FilterQuery>,
) -> AppResult<Html<String>> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let dept = access.dept.department_id;
    let questions = queries::list_questions(&state.db, s.survey_id).await?;
    let rows = queries::list_responses(&state.db, s.survey_id, dept).await?;
    let versions = queries::list_versions(&state.db, s.series_id, dept).await?;
    let kept = results::filtered(&rows, &filter.filter(), s.is_anonymous());
    let tallies = kept.as_ref().map(|k| results::tallies(&questions, k, false)).unwrap_or_default();
    let (colleges, grades) = results::groups(&rows, s.is_anonymous());
    let query = format!(
        "?college={}&grade={}",
        crate::web::forms::url_encode(&filter.college),
        crate::web::forms::url_encode(&filter.grade)
    );
    let shown = kept.map(|k| k.len());
    let page =
        ResultsPage { layout, access, s, versions, total: rows.len(), shown, tallies, colleges, grades, filter, query };
    Ok(Html(render(page)?))
}

/// The export's rows under the filter: one per answer, in the order of their content.
/// Anonymous: no date, no author, and a college or year shared by fewer than five left blank.
async fn table(
    state: &AppState,
    access: &DeptAccess,
    s: &Survey,
    lang: Lang,
    filter: &Filter,
) -> AppResult<(Vec<String>, Vec<Vec<String>>)> {
    let questions = queries::list_questions(&state.db, s.survey_id).await?;
    let rows = queries::list_responses(&state.db, s.survey_id, access.dept.department_id).await?;
    let anonymous = s.is_anonymous();
    let (colleges, grades) = results::groups(&rows, anonymous);
    let named = s.identity == "named";
    let mut head: Vec<&str> = vec!["surveys.export.version"];
    if named {
        head.extend(["surveys.export.student_no", "surveys.export.name"]);
    }
    if !anonymous {
        head.push("surveys.export.answered_on");
    }
    head.extend(["surveys.export.college", "surveys.export.grade"]);
    let mut headings: Vec<String> = head.iter().map(|k| lang.t(k).into_owned()).collect();
    headings.extend(questions.iter().map(|q| q.prompt.clone()));
    let kept = results::filtered(&rows, filter, anonymous).unwrap_or_default();
    let line = |r: &ResponseRow| {
        let mut l = vec![s.version.to_string()];
        if named {
            l.push(r.author_no.clone().unwrap_or_default());
            l.push(r.author_name.clone().unwrap_or_default());
        }
        if !anonymous {
            l.push(r.answered_on.to_string());
        }
        let college_ok = colleges.iter().any(|(c, n)| *c == r.college && (!anonymous || *n >= MIN_GROUP));
        l.push(if college_ok { r.college.clone() } else { String::new() });
        let grade_ok = grades.iter().any(|(g, _)| Some(*g) == r.grade);
        l.push(if grade_ok { r.grade.map(|g| g.to_string()).unwrap_or_default() } else { String::new() });
        l.extend(questions.iter().map(|q| cell(q, r.answers.get(q.key()))));
        l
    };
    Ok((headings, kept.into_iter().map(line).collect()))
}

pub async fn export_csv(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Query(filter): Query<FilterQuery>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let (headings, rows) = table(&state, &access, &s, layout.lang, &filter.filter()).await?;
    let body = export::csv(&headings, &rows)?;
    Ok(download("text/csv; charset=utf-8", format!("survey-{}-v{}.csv", s.series_id, s.version), body))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Query(filter): Query<FilterQuery>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let (headings, rows) = table(&state, &access, &s, layout.lang, &filter.filter()).await?;
    let sheet = layout.lang.t("surveys.export.sheet").into_owned();
    let body = export::xlsx(sheet, headings, rows).await?;
    Ok(download(export::XLSX, format!("survey-{}-v{}.xlsx", s.series_id, s.version), body))
}
