//! The shapes of reception's paths: a public code or typed ids, parsed where they
//! enter (a path that does not parse is the friendly 404). `{dept}` is the
//! department middleware's and is left out.

use serde::Deserialize;

/// `/reception/{code}/…`: a session by its public code (`148`, `jw3`).
#[derive(Deserialize)]
pub struct SessionCodePath {
    pub code: String,
}

/// `/reception/{code}/questions/{question_id}/vote`.
#[derive(Deserialize)]
pub struct QuestionVotePath {
    pub code: String,
    pub question_id: i64,
}

/// `/commitments/{commitment_id}`, `/d/{dept}/commitments/{commitment_id}/update`,
/// `/office/commitments/{commitment_id}/update`.
#[derive(Deserialize)]
pub struct CommitmentPath {
    pub commitment_id: i64,
}

/// `/commitments/{commitment_id}/photos/{update_id}`.
#[derive(Deserialize)]
pub struct UpdatePhotoPath {
    pub commitment_id: i64,
    pub update_id: i64,
}

/// `/d/{dept}/reception/{session_id}/…`.
#[derive(Deserialize)]
pub struct SessionPath {
    pub session_id: i64,
}

/// `/d/{dept}/reception/{session_id}/delegates/{delegate_id}/remove`.
#[derive(Deserialize)]
pub struct SessionDelegatePath {
    pub session_id: i64,
    pub delegate_id: i64,
}

/// `/d/{dept}/reception/{session_id}/questions/{question_id}/agenda`.
#[derive(Deserialize)]
pub struct SessionQuestionPath {
    pub session_id: i64,
    pub question_id: i64,
}
