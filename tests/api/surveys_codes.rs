//! Open questionnaires: anyone with the link answers without signing in; with printed
//! codes, each code takes one answer and the sheet prints a QR code per code.

use axum::http::StatusCode;

use crate::helpers::{add_question, new_survey, TestApp};

#[tokio::test]
async fn an_open_link_takes_answers_from_anyone_without_an_account() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "open", &[]).await;
    add_question(
        &mut editor,
        id,
        &[("kind", "single"), ("prompt", "从哪里知道的"), ("options", "海报\n群消息"), ("required", "on")],
    )
    .await;
    let q = format!("q{}", app.question_id(id, 1).await);
    let mut visitor = app.browser();
    assert!(visitor.get(&format!("/surveys/{id}")).await.body.contains("不需要登录，不记录身份"));
    for _ in 0..2 {
        let r = visitor.post_form(&format!("/surveys/{id}/answer"), &[(&q, "0")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(app.scalar(&format!("select count(*) from survey_response where survey_id = {id}")).await, 2);
    assert_eq!(app.scalar("select count(*) from survey_respondent").await, 0, "no one is recorded");
}

#[tokio::test]
async fn a_printed_code_takes_one_answer() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "open", &[("with_codes", "on")]).await;
    add_question(&mut editor, id, &[("kind", "short_text"), ("prompt", "建议")]).await;
    let q = format!("q{}", app.question_id(id, 1).await);
    let r = editor.post_form(&format!("/d/rights/surveys/{id}/codes"), &[("count", "3")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let sheet = editor.get(&format!("/d/rights/surveys/{id}/codes")).await;
    let code: String = sqlx::query_scalar("select code from survey_code where survey_id = $1 order by code limit 1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(
        sheet.body.contains(&format!("/surveys/{id}?code={code}")) && sheet.body.contains("<svg"),
        "a QR code per code"
    );
    assert_eq!(app.scalar(&format!("select count(*) from survey_code where survey_id = {id}")).await, 3);

    let mut visitor = app.browser();
    let form = visitor.get(&format!("/surveys/{id}?code={code}")).await;
    assert_eq!(form.field_value("code").as_deref(), Some(code.as_str()), "the QR code fills the code in");
    let none = visitor.post_form(&format!("/surveys/{id}/answer"), &[(&q, "多放电影")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.field_error("code").as_deref(), Some("请填写纸质问卷上的问卷码。"));
    assert!(none.body.contains("多放电影"), "what was typed stays");
    let first = visitor.post_form(&format!("/surveys/{id}/answer"), &[("code", &code), (&q, "多放电影")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let again = visitor.post_form(&format!("/surveys/{id}/answer"), &[("code", &code), (&q, "再来一份")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.field_error("code").as_deref(), Some("问卷码不存在或已被使用。"));
    let made_up = visitor.post_form(&format!("/surveys/{id}/answer"), &[("code", "ZZZZZZZZ"), (&q, "x")]).await;
    assert_eq!(made_up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.scalar(&format!("select count(*) from survey_response where survey_id = {id}")).await, 1);
}
