//! Versions: once people have answered, only new questions and wording fixes are taken;
//! removing a question or an option or changing a kind is refused with the offer of a new
//! version, which copies the questionnaire and closes the old one; results say the version.

use axum::http::StatusCode;

use crate::helpers::{add_question, new_survey, TestApp};

#[tokio::test]
async fn an_answered_questionnaire_takes_only_new_questions_and_wording_fixes() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "named", &[]).await;
    add_question(&mut editor, id, &[("kind", "single"), ("prompt", "晚会时间"), ("options", "周五\n周六")]).await;
    let question = app.question_id(id, 1).await;
    let q = format!("q{question}");
    let mut student = app.respondent("2026730001").await;
    assert_eq!(student.post_form(&format!("/surveys/{id}/answer"), &[(&q, "1")]).await.status, StatusCode::SEE_OTHER);

    let update = format!("/d/rights/surveys/{id}/questions/{question}/update");
    let fix =
        editor.post_form(&update, &[("kind", "single"), ("prompt", "晚会的时间"), ("options", "周五晚\n周六晚")]).await;
    assert_eq!(fix.status, StatusCode::SEE_OTHER, "wording may be fixed");
    let more = editor
        .post_form(&update, &[("kind", "single"), ("prompt", "晚会的时间"), ("options", "周五晚\n周六晚\n周日晚")])
        .await;
    assert_eq!(more.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(more.body.contains("请新建版本"), "a new version is offered");
    assert!(more.body.contains("周日晚"), "the form keeps what was typed");
    let kind = editor.post_form(&update, &[("kind", "short_text"), ("prompt", "晚会的时间")]).await;
    assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    let remove = editor.post_form(&format!("/d/rights/surveys/{id}/questions/{question}/remove"), &[]).await;
    assert_eq!(remove.status, StatusCode::CONFLICT);
    assert_eq!(app.scalar(&format!("select count(*) from survey_question where survey_id = {id}")).await, 1);
    add_question(&mut editor, id, &[("kind", "long_text"), ("prompt", "还有什么想说的")]).await;
}

#[tokio::test]
async fn a_new_version_copies_the_questions_and_results_say_which_version_was_answered() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "named", &[]).await;
    add_question(&mut editor, id, &[("kind", "single"), ("prompt", "去过吗"), ("options", "去过\n没去过")]).await;
    let first = app.question_id(id, 1).await;
    let show_if = format!("{first}:0");
    add_question(&mut editor, id, &[("kind", "short_text"), ("prompt", "印象"), ("show_if", &show_if)]).await;
    let mut student = app.respondent("2026730002").await;
    let q = format!("q{first}");
    assert_eq!(student.post_form(&format!("/surveys/{id}/answer"), &[(&q, "1")]).await.status, StatusCode::SEE_OTHER);

    let r = editor.post_form(&format!("/d/rights/surveys/{id}/new-version"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let v2 = crate::helpers::id_in(r.location());
    assert_ne!(v2, id);
    let copied: (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where show_if_question = (select question_id from survey_question
                                                                       where survey_id = $1 and position = 1))
         from survey_question where survey_id = $1",
    )
    .bind(v2)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(copied, (2, 1), "questions copied, the condition pointing at the copy");
    let v2_first = format!("q{}", app.question_id(v2, 1).await);
    let old = student.post_form(&format!("/surveys/{id}/answer"), &[(&q, "0")]).await;
    assert_eq!(old.status, StatusCode::CONFLICT, "the old version takes no more answers");
    let again = student.post_form(&format!("/surveys/{v2}/answer"), &[(&v2_first, "0")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one answer per student across versions");
    let mut other = app.respondent("2026730003").await;
    assert_eq!(
        other.post_form(&format!("/surveys/{v2}/answer"), &[(&v2_first, "0")]).await.status,
        StatusCode::SEE_OTHER
    );

    let results = editor.get(&format!("/d/rights/surveys/{v2}/results")).await;
    assert!(results.body.contains("版本 2") && results.body.contains(&format!("/d/rights/surveys/{id}/results")));
    let csv = editor.get(&format!("/d/rights/surveys/{id}/export.csv")).await;
    let row = csv.body.lines().nth(1).unwrap_or("");
    assert!(row.starts_with("1,2026730002,"), "each answer says its version: {row}");
}
