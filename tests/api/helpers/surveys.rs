//! Questionnaires arranged through the builder's own forms: a vice-head of 权益服务部
//! creates one, adds its questions, and students answer it. Windows are moved in SQL
//! (time does not pass in a test).

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use super::{id_in, local, Browser, TestApp};

pub const SURVEY_EDITOR: &str = "2026700001";

impl TestApp {
    /// A vice-head of the rights department (权益服务部), signed in at the builder.
    pub async fn survey_editor(&self) -> Browser {
        let user = self.create_user(SURVEY_EDITOR, "问卷编辑").await;
        self.grant(SURVEY_EDITOR, "rights", "vice_head").await;
        self.browser_signed_in(user).await
    }

    /// A verified student of 计算机学院 (entry year from the number), signed in.
    pub async fn respondent(&self, student_no: &str) -> Browser {
        let user = self.create_user(student_no, "答卷人").await;
        self.browser_signed_in(user).await
    }

    /// Moves a questionnaire's window: `closed` ended a minute ago, else open since yesterday.
    pub async fn survey_window(&self, survey_id: i64, closed: bool) {
        let closes = if closed { "now() - interval '1 minute'" } else { "now() + interval '7 days'" };
        sqlx::query(&format!(
            "update survey set opens_at = now() - interval '1 day', closes_at = {closes} where survey_id = $1"
        ))
        .bind(survey_id)
        .execute(&self.db)
        .await
        .unwrap();
    }

    /// The id of the questionnaire's question at this position (1-based).
    pub async fn question_id(&self, survey_id: i64, position: i32) -> i64 {
        sqlx::query_scalar("select question_id from survey_question where survey_id = $1 and position = $2")
            .bind(survey_id)
            .bind(position)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

/// A questionnaire of the rights department, open from an hour ago for a week; `fields`
/// override the defaults (`identity`, `audience`, `colleges`, `with_codes`…). Its id.
pub async fn new_survey(editor: &mut Browser, identity: &str, fields: &[(&str, &str)]) -> i64 {
    let opens = local(Utc::now() - Duration::hours(1));
    let closes = local(Utc::now() + Duration::days(7));
    let mut form: Vec<(&str, &str)> = vec![
        ("title", "毕业晚会问卷"),
        ("intro", "请告诉我们你希望的毕业晚会。"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("identity", identity),
        ("audience", "students"),
    ];
    for (k, v) in fields {
        form.retain(|(f, _)| f != k);
        form.push((k, v));
    }
    let r = editor.post_form("/d/rights/surveys/new", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "created: {}", r.body);
    id_in(r.location())
}

/// Adds a question through the builder; asserts it was taken.
pub async fn add_question(editor: &mut Browser, survey_id: i64, fields: &[(&str, &str)]) {
    let r = editor.post_form(&format!("/d/rights/surveys/{survey_id}/questions/add"), fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "question added: {}", r.body);
}
