//! The events of the table's world: a fresh event of the rights department for every
//! request (applying, confirming, committing, revealing and drawing are each done once),
//! in the stage the row's route needs, reached through the portal's own steps
//! (`places::apply`, `withdraw`, `freeze`, `run_draw`) wherever there is one.

use chrono::Utc;
use union_portal::events::{
    draw::sha256_hex,
    places::{self, Applicant},
};

use super::*;

/// The secret the owner committed to as a witness: the reveal form sends it.
pub(crate) const OWNER_SECRET: &str = "owner's witness secret 7f3a";
/// The one question of every event of the world, and the answer the apply form gives.
pub(crate) const ANSWER: &str = "想看看后厨。";
const TITLE: &str = "食堂开放日";

/// Where an event stands when a row's request reaches it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stage {
    /// A draw with applications open: the owner applied; the bystander is a witness yet to commit.
    Open,
    /// Applications open, and the owner is a witness yet to commit (and no applicant).
    Witnessing,
    /// For 法学院 only (the world's accounts are of 计算机学院), applications open.
    OtherCollege,
    /// First come first served, open: the owner holds a place.
    FirstCome,
    /// First come first served with one place: the owner was moved up the waiting list when
    /// the bystander withdrew, and has their place to confirm.
    ToConfirm,
    /// Closed and its pool frozen: the owner and the bystander committed, neither revealed.
    Frozen,
    /// Frozen and both witnesses revealed: ready to draw.
    Ready,
    /// Drawn.
    Drawn,
}
use Stage::*;

/// The stage a path's event must be in: its placeholder's, else its route's last step.
fn stage_of(path: &str) -> Stage {
    if path.contains("{first_come_event_id}") {
        FirstCome
    } else if path.contains("{other_college_event_id}") {
        OtherCollege
    } else if path.contains("{undrawn_event_id}") || path.ends_with("/draw") {
        Ready
    } else if path.ends_with("/draw.json") {
        Drawn
    } else if path.ends_with("/reveal") {
        Frozen
    } else if path.ends_with("/confirm") {
        ToConfirm
    } else if path.ends_with("/commit") {
        Witnessing
    } else if path.contains("/attendance") {
        FirstCome
    } else {
        Open
    }
}

/// An event and, when it has them, its first witness and the owner's application.
struct EventIds {
    event: i64,
    witness: Option<i64>,
    application: Option<i64>,
}

impl World {
    /// The path with its event, witness and application filled in.
    pub(crate) async fn with_event(&self, path: String) -> String {
        let ids = self.event(stage_of(&path)).await;
        let event = ids.event.to_string();
        let mut path = path;
        for placeholder in ["{event_id}", "{first_come_event_id}", "{other_college_event_id}", "{undrawn_event_id}"] {
            path = path.replace(placeholder, &event);
        }
        if let Some(w) = ids.witness {
            path = path.replace("{witness_id}", &w.to_string());
        }
        if let Some(a) = ids.application {
            path = path.replace("{application_id}", &a.to_string());
        }
        path
    }

    async fn event(&self, stage: Stage) -> EventIds {
        let app = &self.app;
        let draw = !matches!(stage, FirstCome | ToConfirm);
        let colleges: Vec<String> = if stage == OtherCollege { vec!["法学院".into()] } else { vec![] };
        let event: i64 = sqlx::query_scalar(
            "insert into event (department_id, title, description, place, starts_at, ends_at, places,
                                applications_open_at, applications_close_at, colleges, questions, selection,
                                reveal_deadline)
             select department_id, $1, '参观后厨，和厨师长聊聊。', '西二食堂', now() + interval '10 days',
                    now() + interval '10 days 2 hours', $2, now() - interval '1 day', now() + interval '5 days', $3,
                    array['为什么想参加？'], $4, now() + interval '6 days'
             from department where slug = 'rights' returning event_id",
        )
        .bind(TITLE)
        .bind(if stage == ToConfirm { 1 } else { 2 })
        .bind(&colleges)
        .bind(if draw { "draw" } else { "first_come" })
        .fetch_one(&app.db)
        .await
        .expect("an event");
        let student = self.users[1].expect("the student's account");
        let bystander = app.user_id(self.bystander_no).await;
        let applicants = match stage {
            Open | FirstCome => vec![self.owner],
            ToConfirm => vec![bystander, self.owner],
            Frozen | Ready | Drawn => vec![student, self.target_user],
            Witnessing | OtherCollege => vec![],
        };
        let answers = [ANSWER.to_string()];
        for user_id in applicants {
            let applicant = Applicant { user_id, college: "计算机学院", answers: &answers };
            places::apply(&app.db, event, &applicant, Utc::now()).await.expect("applied");
        }
        if stage == ToConfirm {
            places::withdraw(&app.db, event, bystander).await.expect("withdrawn");
        }
        // (who, committed, revealed)
        let witnesses = match stage {
            Open => vec![(bystander, false, false)],
            Witnessing => vec![(self.owner, false, false)],
            Frozen => vec![(self.owner, true, false), (bystander, true, false)],
            Ready | Drawn => vec![(self.owner, true, true), (bystander, true, true)],
            OtherCollege | FirstCome | ToConfirm => vec![],
        };
        let mut first_witness = None;
        for (user_id, committed, revealed) in witnesses {
            let secret = if user_id == self.owner { OWNER_SECRET.to_string() } else { format!("secret of {user_id}") };
            let id: i64 = sqlx::query_scalar(
                "insert into event_witness (event_id, user_id, label, commitment, committed_at, secret, revealed_at)
                 values ($1, $2, '学生代表', $3, case when $3::text is not null then now() end,
                         $4, case when $4::text is not null then now() end)
                 returning witness_id",
            )
            .bind(event)
            .bind(user_id)
            .bind(committed.then(|| sha256_hex(&secret)))
            .bind(revealed.then_some(secret))
            .fetch_one(&app.db)
            .await
            .expect("a witness");
            first_witness.get_or_insert(id);
        }
        if matches!(stage, Frozen | Ready | Drawn) {
            sqlx::query(
                "update event set applications_open_at = now() - interval '3 days',
                                  applications_close_at = now() - interval '1 minute'
                 where event_id = $1",
            )
            .bind(event)
            .execute(&app.db)
            .await
            .expect("closed");
            places::freeze(&app.db, event).await.expect("frozen");
        }
        if stage == Drawn {
            let rights = self.id_of("select department_id from department where slug = 'rights'").await;
            let vice_head = app.user_id("2026000103").await;
            places::run_draw(&app.db, event, None, (vice_head, rights)).await.expect("drawn");
        }
        let application =
            sqlx::query_scalar("select application_id from event_application where event_id = $1 and user_id = $2")
                .bind(event)
                .bind(self.owner)
                .fetch_optional(&app.db)
                .await
                .expect("the owner's application");
        EventIds { event, witness: first_witness, application }
    }
}
