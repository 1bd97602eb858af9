//! The small parts of a session's public page, read in one statement: each statement costs a
//! round trip and PostgreSQL's work on a message whatever it reads, and these four lists and
//! the viewer's own standing are a few rows each (docs/benchmarks.md, "The fifth round"). The
//! lists come as JSON arrays of the same structs their own statements fill.

use sqlx::{types::Json, PgExecutor};

use super::{Leader, Minute, MySignup, Quota};
use crate::reception::model::SignupStatus;

/// What a logged-in student has of their own on a session's page: their sign-up, whether
/// they follow the session, and the questions they voted for.
pub struct MyStanding {
    pub signup: Option<MySignup>,
    pub following: bool,
    pub voted: Vec<i64>,
}

pub struct DayPageParts {
    pub leaders: Vec<Leader>,
    pub quotas: Vec<Quota>,
    pub minutes: Vec<Minute>,
    /// Its feedback questionnaires `(survey_id, title)`, newest first: only asked for once the day is past.
    pub feedback: Vec<(i64, String)>,
    /// The viewer's (nothing for an anonymous visitor: `viewer` None).
    pub standing: MyStanding,
}

pub async fn fetch_day_page_parts(
    db: impl PgExecutor<'_>,
    session_id: i64,
    viewer: Option<i64>,
    with_feedback: bool,
) -> sqlx::Result<DayPageParts> {
    let row = sqlx::query!(
        r#"select g.status as "status?: SignupStatus",
                  (select count(*) from reception_signup w where w.session_id = g.session_id and w.status = 'waiting'
                     and w.queued_at <= g.queued_at) as "place_in_line!",
                  exists(select 1 from reception_follow f where f.session_id = $1 and f.user_id = $2) as "following!",
                  array(select v.question_id from reception_question_vote v join reception_question q using (question_id)
                        where q.session_id = $1 and v.user_id = $2) as "voted!",
                  (select coalesce(json_agg(json_build_object('name', l.name, 'title', l.title) order by l.position), '[]')
                   from reception_leader l where l.session_id = $1) as "leaders!: Json<Vec<Leader>>",
                  (select coalesce(json_agg(json_build_object(
                              'college', q.college, 'seats', q.seats,
                              'filled', (select count(*) from reception_delegate d where d.session_id = q.session_id and d.college = q.college))
                            order by q.college), '[]')
                   from reception_quota q where q.session_id = $1) as "quotas!: Json<Vec<Quota>>",
                  (select coalesce(json_agg(json_build_object(
                              'minute_id', m.minute_id, 'asked_by', m.asked_by, 'question', m.question,
                              'answered_by', m.answered_by, 'answer', m.answer, 'created_at', m.created_at)
                            order by m.minute_id), '[]')
                   from reception_minute m where m.session_id = $1) as "minutes!: Json<Vec<Minute>>",
                  (select coalesce(json_agg(json_build_array(v.survey_id, v.title) order by v.survey_id desc), '[]')
                   from (select survey_id, title from survey
                         where $3 and audience = 'reception_participants' and audience_ref = $1 and superseded_at is null
                         order by survey_id desc limit 5) as v) as "feedback!: Json<Vec<(i64, String)>>"
           from (select) as one left join reception_signup g on g.session_id = $1 and g.user_id = $2"#,
        session_id,
        viewer,
        with_feedback
    )
    .fetch_one(db)
    .await?;
    let signup = row.status.map(|status| MySignup { status, place_in_line: row.place_in_line });
    Ok(DayPageParts {
        leaders: row.leaders.0,
        quotas: row.quotas.0,
        minutes: row.minutes.0,
        feedback: row.feedback.0,
        standing: MyStanding { signup, following: row.following, voted: row.voted },
    })
}
