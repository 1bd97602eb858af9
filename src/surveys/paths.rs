//! The shapes of questionnaires' paths, parsed where they enter (a path that does not
//! parse is the friendly 404). `{dept}` is the department middleware's and is left out.

use serde::Deserialize;

/// `/surveys/{survey_id}/…` and `/d/{dept}/surveys/{survey_id}/…`.
#[derive(Deserialize)]
pub struct SurveyPath {
    pub survey_id: i64,
}

/// `/d/{dept}/surveys/{survey_id}/questions/{question_id}/…`.
#[derive(Deserialize)]
pub struct QuestionPath {
    pub survey_id: i64,
    pub question_id: i64,
}
