//! Results for the department (charts with tables, free text, filters, exports) with
//! groups under five hidden in anonymous mode, and publishing after closing: a public
//! page question by question, free text never on it.

use axum::http::StatusCode;

use crate::helpers::{add_question, local, new_survey, Browser, TestApp};

/// An anonymous questionnaire (a single choice, a long text) answered by six students of
/// 计算机学院 and four of 法学院.
async fn answered(app: &TestApp) -> (Browser, i64) {
    let mut editor = app.survey_editor().await;
    let id = new_survey(&mut editor, "anonymous_once", &[]).await;
    add_question(
        &mut editor,
        id,
        &[("kind", "single"), ("prompt", "晚会地点"), ("options", "体育馆\n礼堂"), ("required", "on")],
    )
    .await;
    add_question(&mut editor, id, &[("kind", "long_text"), ("prompt", "其他建议")]).await;
    let (q1, q2) = (format!("q{}", app.question_id(id, 1).await), format!("q{}", app.question_id(id, 2).await));
    for i in 0..10u32 {
        let no = (2026720001 + i).to_string();
        let mut student = app.respondent(&no).await;
        if i >= 6 {
            sqlx::query("update app_user set college = '法学院' where student_no = $1")
                .bind(&no)
                .execute(&app.db)
                .await
                .unwrap();
        }
        let choice = if i % 3 == 0 { "1" } else { "0" };
        let text = format!("建议{i}号");
        let r = student.post_form(&format!("/surveys/{id}/answer"), &[(&q1, choice), (&q2, &text)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    (editor, id)
}

#[tokio::test]
async fn the_department_sees_live_counts_with_charts_tables_and_free_text() {
    let app = TestApp::spawn().await;
    let (mut editor, id) = answered(&app).await;
    let page = editor.get(&format!("/d/rights/surveys/{id}/results")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("共 10 份答卷"));
    assert!(
        page.body.contains("<svg") && page.body.contains("<th scope=\"row\">体育馆</th><td>6</td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("建议9号"), "free text listed for the department");
}

#[tokio::test]
async fn an_anonymous_group_under_five_is_hidden_on_the_page_and_in_the_exports() {
    let app = TestApp::spawn().await;
    let (mut editor, id) = answered(&app).await;
    let small = editor.get(&format!("/d/rights/surveys/{id}/results?college=%E6%B3%95%E5%AD%A6%E9%99%A2")).await;
    assert!(small.body.contains("这一组不足 5 人"), "法学院's four are hidden");
    assert!(!small.body.contains("建议9号"));
    assert!(!small.body.contains("<option value=\"法学院\""), "a group too small is not offered as a filter");
    let big = editor
        .get(&format!("/d/rights/surveys/{id}/results?college=%E8%AE%A1%E7%AE%97%E6%9C%BA%E5%AD%A6%E9%99%A2"))
        .await;
    assert!(big.body.contains("当前统计 6 份答卷"));
    let csv = editor.get(&format!("/d/rights/surveys/{id}/export.csv?college=%E6%B3%95%E5%AD%A6%E9%99%A2")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 1, "headings only: {}", csv.body);
    let all = editor.get(&format!("/d/rights/surveys/{id}/export.csv")).await;
    assert_eq!(all.body.lines().count(), 11);
    assert!(!all.body.contains("法学院"), "a college of four is left blank in every row");
    assert!(all.body.contains("计算机学院"));
    let xlsx = editor.get(&format!("/d/rights/surveys/{id}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"), "a workbook");
}

#[tokio::test]
async fn results_are_published_after_closing_without_free_text() {
    let app = TestApp::spawn().await;
    let (mut editor, id) = answered(&app).await;
    assert_eq!(editor.post_form(&format!("/d/rights/surveys/{id}/publish"), &[]).await.status, StatusCode::CONFLICT);
    let mut visitor = app.browser();
    assert_eq!(visitor.get(&format!("/surveys/{id}/results")).await.status, StatusCode::NOT_FOUND);
    app.survey_window(id, true).await;
    assert_eq!(editor.post_form(&format!("/d/rights/surveys/{id}/publish"), &[]).await.status, StatusCode::SEE_OTHER);
    let public = visitor.get(&format!("/surveys/{id}/results")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("晚会地点") && public.body.contains("<td>6</td>"));
    assert!(public.body.contains("共 10 份答卷"), "the answers counted at publishing");
    assert!(!public.body.contains("其他建议") && !public.body.contains("建议9号"), "free text is never public");
    assert!(visitor.get("/surveys").await.body.contains(&format!("/surveys/{id}/results")), "listed as published");

    // Counted at publishing; opened again, the publication is taken back (it would miss what comes).
    let now = chrono::Utc::now();
    let (opens, closes) = (local(now - chrono::Duration::days(2)), local(now + chrono::Duration::days(3)));
    let form = [
        ("title", "毕业晚会问卷"),
        ("opens_at", opens.as_str()),
        ("closes_at", closes.as_str()),
        ("identity", "anonymous_once"),
        ("audience", "students"),
    ];
    let reopened = editor.post_form(&format!("/d/rights/surveys/{id}/update"), &form).await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
    assert_eq!(visitor.get(&format!("/surveys/{id}/results")).await.status, StatusCode::NOT_FOUND);
}
