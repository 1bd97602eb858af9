//! The heart of anonymous questionnaires: who answered (`survey_respondent`) and what was
//! answered (`survey_response`) cannot be linked. The test reads the tables' columns from
//! information_schema (a column added later fails it), tries to join every column of the
//! answers to the respondents' accounts, and shows that the answers' physical order,
//! transaction ids and ids say nothing of who came when: five students answer in a known
//! order, five others in another order, and both batches lie the same way on disk.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use sqlx::Row;

use crate::helpers::{add_question, new_survey, Browser, TestApp};

async fn columns(app: &TestApp, table: &str) -> BTreeSet<String> {
    sqlx::query_scalar("select column_name::text from information_schema.columns where table_name = $1")
        .bind(table)
        .fetch_all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// An anonymous questionnaire of one required 1–5 scale; `answers[i]` is given by the i-th student.
async fn answered_in_order(app: &TestApp, editor: &mut Browser, first_no: u32, answers: [&str; 5]) -> i64 {
    let id = new_survey(editor, "anonymous_once", &[]).await;
    add_question(editor, id, &[("kind", "scale"), ("prompt", "食堂满意度"), ("required", "on")]).await;
    let q = format!("q{}", app.question_id(id, 1).await);
    for (i, value) in answers.iter().enumerate() {
        let mut student = app.respondent(&(first_no + i as u32).to_string()).await;
        let r = student.post_form(&format!("/surveys/{id}/answer"), &[(&q, value)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        if i < 4 {
            let waiting: i64 = sqlx::query_scalar("select count(*) from survey_response where survey_id = $1")
                .bind(id)
                .fetch_one(&app.db)
                .await
                .unwrap();
            assert_eq!(waiting, 0, "answers wait until five have gathered");
        }
    }
    id
}

/// The answers' values in the order they lie in the heap.
async fn physical_order(app: &TestApp, survey_id: i64) -> Vec<String> {
    sqlx::query_scalar("select answers::text from survey_response where survey_id = $1 order by ctid")
        .bind(survey_id)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn who_answered_and_what_was_answered_cannot_be_linked() {
    let app = TestApp::spawn().await;
    // Every column of both sides, so a column added later must be argued for here.
    assert_eq!(columns(&app, "survey_respondent").await, set(&["series_id", "user_id"]));
    let answer_columns = set(&["response_id", "survey_id", "answered_on", "college", "grade", "answers"]);
    assert_eq!(columns(&app, "survey_response").await, answer_columns);
    assert_eq!(columns(&app, "survey_pending_response").await, answer_columns);
    let types: Vec<(String, String)> = sqlx::query_as(
        "select column_name::text, data_type::text from information_schema.columns
         where table_name = 'survey_response' and column_name in ('response_id', 'answered_on')",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(
        types.contains(&("response_id".into(), "uuid".into()))
            && types.contains(&("answered_on".into(), "date".into()))
    );

    let mut editor = app.survey_editor().await;
    let first = answered_in_order(&app, &mut editor, 2026710001, ["5", "3", "1", "4", "2"]).await;
    let second = answered_in_order(&app, &mut editor, 2026710011, ["2", "4", "1", "3", "5"]).await;

    // No column of an answer holds anything of an account that answered. (survey_id is the
    // questionnaire's, the same in every row: an equal user id there would be chance.)
    for column in &answer_columns {
        let same_id = if column == "survey_id" { "false" } else { "r.{column}::text = u.user_id::text" };
        let same_id = same_id.replace("{column}", column);
        let linked: i64 = sqlx::query_scalar(&format!(
            "select count(*) from survey_response r join survey_respondent p on true join app_user u using (user_id)
             where r.survey_id in ($1, $2)
               and ({same_id} or r.{column}::text like '%' || u.student_no || '%'
                    or r.{column}::text like '%' || u.name || '%' or r.{column}::text like '%' || u.email || '%')"
        ))
        .bind(first)
        .bind(second)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(linked, 0, "column {column} names an account");
    }
    // Within a batch, every column but the answer itself is the same for all five.
    for column in ["survey_id", "answered_on", "college", "grade"] {
        let distinct: i64 = sqlx::query_scalar(&format!(
            "select count(distinct {column}::text) from survey_response where survey_id = $1"
        ))
        .bind(first)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(distinct, 1, "{column} tells the five apart");
    }
    // Ids are random (uuid version 4), not a sequence.
    let random: bool =
        sqlx::query_scalar("select bool_and(substr(response_id::text, 15, 1) = '4') from survey_response")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(random);

    // The order on disk is the order of the content, whatever the order of arrival.
    let question = app.question_id(first, 1).await;
    let sorted: Vec<String> = (1..=5).map(|n| format!("{{\"{question}\": {n}}}")).collect();
    assert_eq!(physical_order(&app, first).await, sorted);
    let sorted_second: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
    let second_values: Vec<String> = physical_order(&app, second)
        .await
        .iter()
        .map(|a| a.trim_end_matches('}').rsplit(' ').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(second_values, sorted_second, "a batch answered in another order lies the same way");

    // The five answers of a batch share one transaction id: xmin orders nothing within it.
    for id in [first, second] {
        let xmins: i64 =
            sqlx::query_scalar("select count(distinct xmin::text) from survey_response where survey_id = $1")
                .bind(id)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(xmins, 1);
    }
    let waiting: i64 =
        sqlx::query_scalar("select count(*) from survey_pending_response").fetch_one(&app.db).await.unwrap();
    assert_eq!(waiting, 0, "nothing left waiting after a full batch");
    let respondents = sqlx::query("select count(*) as n from survey_respondent").fetch_one(&app.db).await.unwrap();
    assert_eq!(respondents.get::<i64, _>("n"), 10, "that they answered is recorded, once each");
}

#[tokio::test]
async fn the_department_sees_no_one_behind_an_anonymous_answer() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = answered_in_order(&app, &mut editor, 2026710001, ["5", "3", "1", "4", "2"]).await;
    let page = editor.get(&format!("/d/rights/surveys/{id}/results")).await;
    assert_eq!(page.status, StatusCode::OK);
    let csv = editor.get(&format!("/d/rights/surveys/{id}/export.csv")).await;
    for text in [&page.body, &csv.body] {
        assert!(!text.contains("2026710001") && !text.contains("答卷人"), "no respondent named");
    }
    assert!(
        !csv.body.contains(&union_portal::web::forms::today().to_string()),
        "no answer date in an anonymous export"
    );
}
