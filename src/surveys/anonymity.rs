//! Taking an answer, and how an anonymous questionnaire keeps who apart from what.
//!
//! Anonymous (`anonymous_once`) answers are stored in two tables that share nothing:
//! `survey_respondent (series_id, user_id)` says THAT a student answered, to refuse a
//! second answer; `survey_response` holds WHAT was answered, with a random uuid, the day
//! (never the time), the college and entry year (for filtered results, whose groups under
//! five are hidden), and nothing from the request (no address, no browser).
//!
//! What PostgreSQL itself remembers is the harder part. A row's transaction id (`xmin`)
//! and its place in the heap (`ctid`) follow the order of inserts, and the respondent row
//! and the answer are written in one transaction (so a refused second answer never leaves
//! half of one). So the answer first waits in `survey_pending_response`; when five have
//! gathered, all of them move to `survey_response` in one transaction, inserted in the
//! order of their content. Then the five answers share one `xmin`, and their physical
//! order is a function of what was answered, not of who came when. Closing is no reason to
//! wait: publishing and making a new version release what is left.
//!
//! What is left, honestly: until its batch is released a waiting answer shares its
//! transaction id with its respondent row, and the deleted waiting rows stay in the heap as
//! dead tuples until autovacuum cleans them; so does the write-ahead log. Someone with the
//! database server's files (not the portal's pages, exports or logs) could link the last
//! few answers in that window. Logs: nothing here is traced with the user.

use serde_json::{Map, Value};
use sqlx::PgPool;

use super::{
    model::{grade_of, Identity},
    queries::{self, AnswerRow, RespondentFacts, Survey},
};
use crate::error::AppResult;

/// Answers released together: the smallest crowd an anonymous answer hides in.
pub const BATCH: i64 = 5;

/// Who is answering: a signed-in student (named and anonymous), or a visitor with a code.
pub enum Respondent<'a> {
    Student { user_id: i64, facts: &'a RespondentFacts },
    Visitor { code: Option<&'a str> },
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Taken,
    /// Outside the window (or a newer version replaced it).
    Closed,
    /// Answered before, or not of the audience (the SQL's check).
    Refused,
    /// The printed code is unknown or used.
    BadCode,
}

/// Stores one answer by the questionnaire's identity mode, all in one transaction.
pub async fn take_answer(
    db: &PgPool,
    s: &Survey,
    who: Respondent<'_>,
    answers: Map<String, Value>,
) -> AppResult<Outcome> {
    let mut tx = db.begin().await?;
    if !queries::lock_open_survey(&mut *tx, s.survey_id).await? {
        return Ok(Outcome::Closed);
    }
    let answers = Value::Object(answers);
    let answered_on = crate::web::forms::today();
    let outcome = match (s.identity(), who) {
        (Identity::Open, Respondent::Visitor { code }) => {
            if s.with_codes && !queries::update_code_used(&mut *tx, s.survey_id, code.unwrap_or("")).await? {
                return Ok(Outcome::BadCode);
            }
            let row = AnswerRow { survey_id: s.survey_id, answered_on, college: "", grade: None, answers: &answers };
            queries::insert_response(&mut *tx, &row, None).await?;
            Outcome::Taken
        }
        (identity, Respondent::Student { user_id, facts }) if identity.once_per_student() => {
            if !queries::insert_respondent(&mut tx, s.survey_id, user_id).await? {
                return Ok(Outcome::Refused);
            }
            let grade = grade_of(&facts.student_no);
            let row =
                AnswerRow { survey_id: s.survey_id, answered_on, college: &facts.college, grade, answers: &answers };
            if identity == Identity::Named {
                queries::insert_response(&mut *tx, &row, Some(user_id)).await?;
            } else if queries::insert_pending_response(&mut *tx, &row).await? >= BATCH {
                queries::release_pending(&mut *tx, s.survey_id).await?;
            }
            Outcome::Taken
        }
        _ => return Ok(Outcome::Refused),
    };
    tx.commit().await?;
    Ok(outcome)
}
