//! Answering a questionnaire over the real router: the identity mode said before the
//! questions, once per student, the window and the audience (in the SQL too), answers
//! checked by kind with messages beside the questions and the typed input kept, and
//! conditions evaluated on the server.

use axum::http::StatusCode;

use crate::helpers::{add_question, new_survey, Browser, TestApp};

async fn count(app: &TestApp, survey_id: i64) -> i64 {
    sqlx::query_scalar(
        "select (select count(*) from survey_response where survey_id = $1)
              + (select count(*) from survey_pending_response where survey_id = $1)",
    )
    .bind(survey_id)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// A named questionnaire: a required single choice (去过 / 没去过), then a required short text
/// shown only when the first answer is 去过.
async fn named_with_condition(app: &TestApp) -> (Browser, i64, i64, i64) {
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "named", &[]).await;
    add_question(
        &mut editor,
        id,
        &[("kind", "single"), ("prompt", "去过毕业晚会吗"), ("options", "去过\n没去过"), ("required", "on")],
    )
    .await;
    let first = app.question_id(id, 1).await;
    let show_if = format!("{first}:0");
    add_question(
        &mut editor,
        id,
        &[("kind", "short_text"), ("prompt", "印象最深的节目"), ("required", "on"), ("show_if", &show_if)],
    )
    .await;
    let second = app.question_id(id, 2).await;
    (editor, id, first, second)
}

#[tokio::test]
async fn the_page_says_how_answers_are_kept_before_the_first_question() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let named = new_survey(&mut editor, "named", &[]).await;
    let anonymous = new_survey(&mut editor, "anonymous_once", &[]).await;
    let mut student = app.respondent("2026700101").await;
    let page = student.get(&format!("/surveys/{named}")).await.body;
    let notice = page.find("部门可以看到你是谁").expect("the named notice");
    assert!(notice < page.find("<form method=\"post\" action=\"/surveys/").expect("the form"), "said before the form");
    let page = student.get(&format!("/surveys/{anonymous}")).await.body;
    assert!(page.contains("只记录你答过，不记录你答了什么与你的关联"));
    assert!(student.get("/surveys").await.body.contains("毕业晚会问卷"), "listed while open");
}

#[tokio::test]
async fn a_student_answers_a_named_questionnaire_once() {
    let app = TestApp::spawn().await;
    let (_, id, first, second) = named_with_condition(&app).await;
    let mut student = app.respondent("2026700102").await;
    let (q1, q2) = (format!("q{first}"), format!("q{second}"));
    let r = student.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "0"), (&q2, "乐队")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(student.get(&format!("/surveys/{id}")).await.body.contains("你已经答过这份问卷"));
    let again = student.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "1")]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(count(&app, id).await, 1);
    let author: String = sqlx::query_scalar(
        "select u.student_no from survey_response_author a join app_user u using (user_id)
         join survey_response r using (response_id) where r.survey_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(author, "2026700102", "named: the department knows whose answer it is");
}

#[tokio::test]
async fn a_hidden_question_is_not_required_and_its_answer_is_dropped() {
    let app = TestApp::spawn().await;
    let (_, id, first, second) = named_with_condition(&app).await;
    let (q1, q2) = (format!("q{first}"), format!("q{second}"));
    let mut shown = app.respondent("2026700103").await;
    let r = shown.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "shown, the second question is required");
    assert_eq!(r.field_error(&q2).as_deref(), Some("这道题必答。"));
    let mut hidden = app.respondent("2026700104").await;
    let r = hidden.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "1"), (&q2, "不该留下")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stored: serde_json::Value = sqlx::query_scalar("select answers from survey_response where survey_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, serde_json::json!({ first.to_string(): 1 }), "the hidden question's answer is dropped");
}

#[tokio::test]
async fn a_refused_answer_comes_back_with_messages_beside_the_questions_and_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "named", &[]).await;
    add_question(&mut editor, id, &[("kind", "long_text"), ("prompt", "建议")]).await;
    add_question(&mut editor, id, &[("kind", "number"), ("prompt", "愿意付多少票价")]).await;
    add_question(
        &mut editor,
        id,
        &[("kind", "multiple"), ("prompt", "想看的节目"), ("options", "歌\n舞\n小品"), ("max_choices", "2")],
    )
    .await;
    let (text, number, multi) =
        (app.question_id(id, 1).await, app.question_id(id, 2).await, app.question_id(id, 3).await);
    let (qt, qn, qm) = (format!("q{text}"), format!("q{number}"), format!("q{multi}"));
    let mut student = app.respondent("2026700105").await;
    let r = student
        .post_form(
            &format!("/surveys/{id}/answer"),
            &[(&qt, "<b>多一些乐队</b>"), (&qn, "二十"), (&qm, "0"), (&qm, "1"), (&qm, "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error(&qn).as_deref(), Some("请填写一个数字。"));
    assert_eq!(r.field_error(&qm).as_deref(), Some("选择的项数超过了上限。"));
    assert!(r.body.contains("多一些乐队&#60;/b&#62;</textarea>"), "the text typed is kept, escaped");
    assert!(r.body.contains("value=\"二十\""), "the number typed is kept");
    assert_eq!(count(&app, id).await, 0);
}

#[tokio::test]
async fn answers_are_taken_only_within_the_window() {
    let app = TestApp::spawn().await;
    let (_, id, first, _) = named_with_condition(&app).await;
    let q1 = format!("q{first}");
    app.survey_window(id, true).await;
    let mut student = app.respondent("2026700106").await;
    assert!(student.get(&format!("/surveys/{id}")).await.body.contains("问卷已截止"));
    let r = student.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "1")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The SQL keeps the window too: the lock that takes an answer reads it again.
    assert!(!union_portal::surveys::queries::lock_open_survey(&app.db, id).await.unwrap());
    assert_eq!(count(&app, id).await, 0);
}

#[tokio::test]
async fn a_questionnaire_for_some_colleges_refuses_the_others_in_the_page_and_in_the_sql() {
    let app = TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "anonymous_once", &[("colleges", "法学院")]).await;
    add_question(&mut editor, id, &[("kind", "scale"), ("prompt", "满意度"), ("scale_max", "5")]).await;
    let q = format!("q{}", app.question_id(id, 1).await);
    let mut outsider = app.respondent("2026700107").await;
    assert!(outsider.get(&format!("/surveys/{id}")).await.body.contains("这份问卷不面向你"));
    assert_eq!(outsider.post_form(&format!("/surveys/{id}/answer"), &[(&q, "4")]).await.status, StatusCode::CONFLICT);
    let outsider_id = app.user_id("2026700107").await;
    let mut conn = app.db.acquire().await.unwrap();
    let taken = union_portal::surveys::queries::insert_respondent(&mut conn, id, outsider_id).await.unwrap();
    assert!(!taken, "the insert itself checks the audience");
    sqlx::query("update app_user set college = '法学院' where user_id = $1")
        .bind(outsider_id)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(outsider.post_form(&format!("/surveys/{id}/answer"), &[(&q, "4")]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn named_and_anonymous_questionnaires_need_a_verified_account() {
    let app = TestApp::spawn().await;
    let (_, id, first, _) = named_with_condition(&app).await;
    let q1 = format!("q{first}");
    let mut visitor = app.browser();
    let r = visitor.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "1")]).await;
    assert!(r.location().unwrap_or("").starts_with("/login?next="), "a visitor is sent to sign in");
    let mut student = app.respondent("2026700108").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where student_no = '2026700108'")
        .execute(&app.db)
        .await
        .unwrap();
    assert!(student.get(&format!("/surveys/{id}")).await.body.contains("作答需要已认证的账号"));
    assert_eq!(student.post_form(&format!("/surveys/{id}/answer"), &[(&q1, "1")]).await.status, StatusCode::CONFLICT);
    assert_eq!(count(&app, id).await, 0);
}
