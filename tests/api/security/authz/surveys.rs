//! The questionnaires of the table's world: a fresh questionnaire of the rights department
//! for every request, in the state the row's placeholder names (open by link, open with
//! printed codes, closed, published), with one single-choice question; and the denials
//! the table cannot show (another department's questionnaire through its own pages).

use axum::http::StatusCode;

use super::*;

#[derive(Clone, Copy)]
enum Kind {
    Open,
    Coded,
    Closed,
    Published,
}

impl World {
    /// A questionnaire of the rights department and its question's id.
    async fn survey(&self, kind: Kind) -> (i64, i64) {
        let (codes, closes, published) = match kind {
            Kind::Open => (false, "now() + interval '7 days'", "null"),
            Kind::Coded => (true, "now() + interval '7 days'", "null"),
            Kind::Closed => (false, "now() - interval '1 minute'", "null"),
            Kind::Published => (false, "now() - interval '1 minute'", "now()"),
        };
        let survey: i64 = sqlx::query_scalar(&format!(
            "with n as (select nextval(pg_get_serial_sequence('survey', 'survey_id')) as id)
             insert into survey (survey_id, series_id, department_id, title, opens_at, closes_at, audience, identity,
                                 with_codes, published_at)
             overriding system value
             select id, id, d.department_id, '食堂满意度', now() - interval '1 day', {closes}, 'everyone', 'open', $1,
                    {published}
             from n, department d where d.slug = 'rights'
             returning survey_id"
        ))
        .bind(codes)
        .fetch_one(&self.app.db)
        .await
        .unwrap();
        let question: i64 = sqlx::query_scalar(
            "insert into survey_question (survey_id, position, kind, prompt, options)
             values ($1, 1, 'single', '满意吗', '{满意,不满意}') returning question_id",
        )
        .bind(survey)
        .fetch_one(&self.app.db)
        .await
        .unwrap();
        (survey, question)
    }

    pub(crate) async fn with_surveys(&self, path: String) -> String {
        let kind = [
            ("{survey_id}", Kind::Open),
            ("{coded_survey_id}", Kind::Coded),
            ("{closed_survey_id}", Kind::Closed),
            ("{published_survey_id}", Kind::Published),
        ]
        .into_iter()
        .find(|(p, _)| path.contains(p));
        let Some((placeholder, kind)) = kind else {
            return path;
        };
        let (survey, question) = self.survey(kind).await;
        path.replace(placeholder, &survey.to_string()).replace("{survey_question_id}", &question.to_string())
    }

    pub(crate) fn surveys_form(&self, route: &str) -> Option<Vec<(String, String)>> {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let now = chrono::Utc::now();
        let form = match route {
            "/surveys/{survey_id}/answer" => vec![],
            "/d/{dept}/surveys/new" | "/d/{dept}/surveys/{survey_id}/update" => vec![
                s("title", "食堂满意度"),
                s("opens_at", &crate::helpers::local(now - chrono::Duration::days(1))),
                s("closes_at", &crate::helpers::local(now + chrono::Duration::days(7))),
                s("identity", "open"),
                s("audience", "everyone"),
            ],
            "/d/{dept}/surveys/{survey_id}/questions/add"
            | "/d/{dept}/surveys/{survey_id}/questions/{question_id}/update" => {
                vec![s("kind", "single"), s("prompt", "满意吗？"), s("options", "满意\n不满意")]
            }
            "/d/{dept}/surveys/{survey_id}/codes" => vec![s("count", "2")],
            _ => return None,
        };
        Some(form)
    }
}

#[tokio::test]
async fn another_department_cannot_reach_a_questionnaire_through_its_own_pages() {
    let w = world().await;
    let (survey, question) = w.survey(Kind::Closed).await;
    // The head of 生活部 (life), at home in their own department's pages.
    let mut other = w.app.browser_signed_in(w.app.user_id("2026000105").await).await;
    for path in ["", "/preview", "/results", "/export.csv", "/export.xlsx"] {
        let r = other.get(&format!("/d/life/surveys/{survey}{path}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in ["/publish", "/new-version", &format!("/questions/{question}/remove")] {
        let r = other.post_form(&format!("/d/life/surveys/{survey}{path}"), &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let published: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select published_at from survey where survey_id = $1")
            .bind(survey)
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    assert!(published.is_none(), "nothing changed");
    assert_eq!(w.app.scalar(&format!("select count(*) from survey_question where survey_id = {survey}")).await, 1);
}
