//! A recruitment round arranged for tests: open since an hour ago for a week, offers
//! answered within ten days, a 部员 position in 权益服务部 (rights), 宣传部 (publicity) and
//! 新闻网络部 (news), and each department's head signed in. Students apply through the form.

use std::collections::HashMap;

use super::{Browser, TestApp, TestResponse};

pub struct Recruiting {
    pub app: TestApp,
    pub round: i64,
    /// Position id by department slug.
    pub positions: HashMap<&'static str, i64>,
    /// Each department's head, by slug.
    pub heads: HashMap<&'static str, Browser>,
}

pub const RECRUITING_DEPTS: [&str; 3] = ["rights", "publicity", "news"];

impl Recruiting {
    /// `max_choices` departments per student, `places` per position.
    pub async fn open(max_choices: i32, places: i32) -> Recruiting {
        let app = TestApp::spawn().await;
        let round: i64 = sqlx::query_scalar(
            "insert into recruitment_round (title, opens_at, closes_at, answer_by, max_choices)
             values ('2026秋季招新', now() - interval '1 hour', now() + interval '7 days', now() + interval '10 days', $1)
             returning round_id",
        )
        .bind(max_choices)
        .fetch_one(&app.db)
        .await
        .unwrap();
        let mut positions = HashMap::new();
        let mut heads = HashMap::new();
        for (i, slug) in RECRUITING_DEPTS.into_iter().enumerate() {
            let position: i64 = sqlx::query_scalar(
                "insert into recruitment_position (round_id, department_id, title, description, places)
                 select $1, department_id, '部员', '参与部门的日常工作', $2 from department where slug = $3
                 returning position_id",
            )
            .bind(round)
            .bind(places)
            .bind(slug)
            .fetch_one(&app.db)
            .await
            .unwrap();
            positions.insert(slug, position);
            let no = format!("20267800{:02}", i + 1);
            let user = app.create_user(&no, &format!("{slug}部长")).await;
            app.grant(&no, slug, "head").await;
            heads.insert(slug, app.browser_signed_in(user).await);
        }
        Recruiting { app, round, positions, heads }
    }

    /// A verified student, signed in.
    pub async fn student(&self, student_no: &str) -> Browser {
        let user = self.app.create_user(student_no, "报名同学").await;
        self.app.browser_signed_in(user).await
    }

    /// The student's application to a department, posted through the position's form.
    pub async fn apply(&self, student: &mut Browser, slug: &str, preference: &str) -> TestResponse {
        let path = format!("/recruitment/positions/{}/apply", self.positions[slug]);
        student.post_form(&path, &[("preference", preference), ("statement", "我想为同学们服务。")]).await
    }

    /// The id of the student's live application to a department.
    pub async fn application(&self, student_no: &str, slug: &str) -> i64 {
        sqlx::query_scalar(
            "select a.application_id from recruitment_application a join app_user u using (user_id)
             join department d on d.department_id = a.department_id
             where u.student_no = $1 and d.slug = $2 and a.status <> 'withdrawn'",
        )
        .bind(student_no)
        .bind(slug)
        .fetch_one(&self.app.db)
        .await
        .unwrap()
    }

    pub async fn status(&self, application_id: i64) -> String {
        sqlx::query_scalar("select status from recruitment_application where application_id = $1")
            .bind(application_id)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }

    /// The department head's decision on an application.
    pub async fn decide(&mut self, slug: &'static str, application_id: i64, decision: &str) -> TestResponse {
        let path = format!("/d/{slug}/recruitment/applications/{application_id}/decide");
        let head = self.heads.get_mut(slug).unwrap();
        head.post_form(&path, &[("decision", decision), ("message", "欢迎加入！")]).await
    }
}
