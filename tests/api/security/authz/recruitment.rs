//! Recruitment in the table's world: an open round recruiting for a far term (so an owner
//! who accepts joins no department of this term and no later row changes), a 部员 position
//! in the rights department and in 生活部 (the other head's), and an interview time in each.
//! The owner's applications go to 生活部; the bystander's, fresh per request, to rights.

use super::*;

pub(crate) async fn arrange(w: &World) {
    sqlx::raw_sql(
        "with r as (insert into recruitment_round (title, opens_at, closes_at, answer_by, max_choices, term_name)
                    values ('表中招新', now() - interval '1 day', now() + interval '30 days', now() + interval '40 days', 5, '2099-2100')
                    returning round_id),
              p as (insert into recruitment_position (round_id, department_id, title, places)
                    select r.round_id, d.department_id, '部员', 500 from r, department d where d.slug in ('rights', 'life')
                    returning round_id, department_id)
         insert into recruitment_slot (round_id, department_id, starts_at, place, capacity)
         select round_id, department_id, now() + interval '3 days', '活动中心', 200 from p",
    )
    .execute(&w.app.db)
    .await
    .expect("the recruitment of the world");
}

impl World {
    async fn position(&self, slug: &str) -> i64 {
        self.id_of(&format!(
            "select p.position_id from recruitment_position p join department d using (department_id) where d.slug = '{slug}'"
        ))
        .await
    }

    /// A fresh application of `student_no` to the department in `status`, its earlier ones withdrawn.
    async fn fresh_application(&self, student_no: &str, slug: &str, status: &str) -> i64 {
        let position = self.position(slug).await;
        sqlx::query(
            "update recruitment_application set status = 'withdrawn'
             where user_id = (select user_id from app_user where student_no = $1) and status <> 'withdrawn'",
        )
        .bind(student_no)
        .execute(&self.app.db)
        .await
        .expect("earlier applications withdrawn");
        sqlx::query_scalar(
            "insert into recruitment_application (position_id, round_id, department_id, user_id, preference, statement,
                                                  status, answer_by)
             select p.position_id, p.round_id, p.department_id, u.user_id, 5, '表中的报名', $3,
                    case when $3 = 'offered' then now() + interval '2 days' end
             from recruitment_position p, app_user u where p.position_id = $2 and u.student_no = $1
             returning application_id",
        )
        .bind(student_no)
        .bind(position)
        .bind(status)
        .fetch_one(&self.app.db)
        .await
        .expect("an application")
    }

    /// `{position_id}`: rights' 部员; `{owner_application_id}` / `{owner_offer_id}`: the owner's
    /// application to 生活部, applied or offered; `{application_id}`: the bystander's to rights.
    pub(crate) async fn with_recruitment(&self, path: String) -> String {
        if path.contains("{position_id}") {
            return path.replace("{position_id}", &self.position("rights").await.to_string());
        }
        if path.contains("{owner_application_id}") {
            let id = self.fresh_application(OWNER_NO, "life", "applied").await;
            return path.replace("{owner_application_id}", &id.to_string());
        }
        if path.contains("{owner_offer_id}") {
            let id = self.fresh_application(OWNER_NO, "life", "offered").await;
            return path.replace("{owner_offer_id}", &id.to_string());
        }
        if path.contains("{application_id}") {
            let id = self.fresh_application(self.bystander_no, "rights", "applied").await;
            return path.replace("{application_id}", &id.to_string());
        }
        path
    }

    /// A valid form of recruitment's routes.
    pub(crate) async fn recruitment_form(&self, route: &str, attempt: usize) -> Option<Vec<(String, String)>> {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let round = self.id_of("select round_id from recruitment_round").await.to_string();
        let later = |days: i64| crate::helpers::local(chrono::Utc::now() + chrono::Duration::days(days));
        let form = match route {
            "/recruitment/positions/{position_id}/apply" => vec![s("preference", "1"), s("statement", "我想加入")],
            "/me/applications/{application_id}/slot" => {
                let slot = self
                    .id_of("select slot_id from recruitment_slot s join department d using (department_id) where d.slug = 'life'")
                    .await;
                vec![s("slot_id", &slot.to_string())]
            }
            "/d/{dept}/recruitment/applications/{application_id}/notes" => vec![s("score", "7"), s("body", "表达清楚")],
            "/d/{dept}/recruitment/applications/{application_id}/decide" => {
                vec![s("decision", "waitlisted"), s("message", "请等候")]
            }
            "/d/{dept}/recruitment/slots" => {
                vec![
                    s("round_id", &round),
                    s("starts_at", &later(2)),
                    s("minutes", "20"),
                    s("place", "301"),
                    s("capacity", "5"),
                ]
            }
            "/d/{dept}/recruitment/positions" => {
                vec![s("round_id", &round), s("title", &format!("干事{attempt}")), s("places", "2"), s("survey_id", "")]
            }
            "/presidium/recruitment" => vec![
                s("title", "春季招新"),
                s("opens_at", &later(1)),
                s("closes_at", &later(8)),
                s("answer_by", &later(10)),
                s("max_choices", "2"),
                s("term_name", ""),
            ],
            _ => return None,
        };
        Some(form)
    }
}
