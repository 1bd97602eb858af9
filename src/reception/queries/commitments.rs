//! Commitments (their updates are in `commitment_updates`, each promiser's record in
//! `commitment_records`, who may answer for one in `commitment_owners`). A commitment is
//! promised by a school office or by a union department itself (`office_id` null), made at a
//! session (minute) or on a complaint's page, and kept up to date by its keeper department.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use crate::reception::model::CommitmentStatus;

/// A commitment with what the board shows beside it.
pub struct Commitment {
    pub commitment_id: i64,
    /// The session where it was made, if it was made at one (else on a complaint's page).
    pub minute_id: Option<i64>,
    pub session_code: Option<String>,
    pub session_kind_zh: Option<String>,
    pub session_kind_en: Option<String>,
    pub session_number: Option<i32>,
    pub what: String,
    /// The school office that promised it, or None: the keeper department promised it.
    pub office_id: Option<i64>,
    /// Who promised it: the office's name, or the department's.
    pub by_zh: String,
    pub by_en: String,
    /// Whoever answers for it (a liaison or a department member); staff pages only.
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub due_on: NaiveDate,
    pub status: CommitmentStatus,
    pub done_on: Option<NaiveDate>,
    pub complaint_no: Option<String>,
    pub updates: i64,
    pub last_update_at: Option<DateTime<Utc>>,
    /// The department that keeps it up to date.
    pub keeper_department_id: i64,
    pub dept_slug: String,
}

impl Commitment {
    /// Made in this minute of a session.
    pub fn of_minute(&self, minute_id: &i64) -> bool {
        self.minute_id == Some(*minute_id)
    }
    pub fn state(&self, today: &NaiveDate) -> &'static str {
        crate::reception::model::commitment_state(self.status.as_str(), self.due_on, self.done_on, *today)
    }
}

#[derive(Clone, Copy)]
pub struct CommitmentFilter {
    pub commitment_id: Option<i64>,
    pub office_id: Option<i64>,
    /// Only what union departments promised themselves.
    pub by_union: bool,
    pub session_id: Option<i64>,
    /// The keeper department (the session's organisers, or the complaint's handlers).
    pub department_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// Only commitments of the offices this user is a liaison of.
    pub liaison_id: Option<i64>,
    /// The board's states (`model::commitment_state`) on `today`: pending,
    /// in_progress, overdue, or done (on time or late).
    pub state: Option<&'static str>,
    pub today: NaiveDate,
    /// Keyset: rows after this (done, due_on, commitment_id) in the board's order.
    pub after: Option<(bool, NaiveDate, i64)>,
    pub limit: i64,
}

impl CommitmentFilter {
    /// Every commitment from the first: the board as it opens.
    fn is_unfiltered(&self) -> bool {
        let CommitmentFilter {
            commitment_id,
            office_id,
            by_union,
            session_id,
            department_id,
            complaint_id,
            liaison_id,
            state,
            today: _,
            after,
            limit: _,
        } = self;
        commitment_id.is_none()
            && office_id.is_none()
            && !by_union
            && session_id.is_none()
            && department_id.is_none()
            && complaint_id.is_none()
            && liaison_id.is_none()
            && state.is_none()
            && after.is_none()
    }

    /// One session's commitments and no other filter: its page.
    fn is_one_session(&self) -> bool {
        self.session_id.is_some() && CommitmentFilter { session_id: None, ..*self }.is_unfiltered()
    }
}

impl Default for CommitmentFilter {
    fn default() -> Self {
        Self {
            commitment_id: None,
            office_id: None,
            by_union: false,
            session_id: None,
            department_id: None,
            complaint_id: None,
            liaison_id: None,
            state: None,
            today: crate::web::forms::today(),
            after: None,
            limit: 2000,
        }
    }
}

/// Open ones first, by due date. The page's ids are chosen first (in the order of
/// `commitment_board_idx`), and only they are joined to what the board shows beside them.
pub async fn find_commitments(db: impl PgExecutor<'_>, f: &CommitmentFilter) -> sqlx::Result<Vec<Commitment>> {
    let (after_done, after_due, after_id) =
        f.after.map_or((None, None, None), |(d, due, id)| (Some(d), Some(due), Some(id)));
    sqlx::query_as!(
        Commitment,
        r#"with page as (
               -- Unfiltered (the board as most see it): the first rows of the board's index.
               -- Its generic plan must not guess the rows the filters below leave: it would
               -- sort every commitment.
               (select m.* from commitment m where $14
                order by m.status = 'done', m.due_on, m.commitment_id limit $10)
               union all
               -- One session's (its page): a handful, from their own index (`offset 0` keeps
               -- the plan from walking the board's index in order instead).
               (select m.*
                from (select x.* from commitment x
                      where $15 and x.session_id = $3 offset 0) as m
                order by m.status = 'done', m.due_on, m.commitment_id limit $10)
               union all
               (select m.* from commitment m
               where not $14 and not $15
                 and ($1::bigint is null or m.commitment_id = $1) and ($2::bigint is null or m.office_id = $2)
                 and ($3::bigint is null or m.session_id = $3) and ($4::bigint is null or m.complaint_id = $4)
                 and ($5::text is null
                      or ($5 = 'done' and m.status = 'done')
                      or ($5 = 'overdue' and m.status <> 'done' and m.due_on < $6)
                      or ($5 in ('pending', 'in_progress') and m.status = $5 and m.due_on >= $6))
                 and ($7::bool is null or (m.status = 'done', m.due_on, m.commitment_id) > ($7, $8, $9))
                 and ($11::bigint is null or m.keeper_department_id = $11)
                 and (not $12 or m.office_id is null)
                 and ($13::bigint is null or exists (select 1 from office_liaison l where l.office_id = m.office_id and l.user_id = $13))
               order by m.status = 'done', m.due_on, m.commitment_id limit $10)
           )
           select m.commitment_id as "commitment_id!", m.minute_id, k.path_prefix || s.number as session_code, k.name_zh as "session_kind_zh?",
                  k.name_en as "session_kind_en?", s.number as "session_number?", m.what as "what!",
                  m.office_id, coalesce(o.name_zh, d.name_zh) as "by_zh!", coalesce(o.name_en, d.name_en) as "by_en!",
                  m.owner_id, u.name as "owner_name?", m.due_on as "due_on!",
                  m.status as "status!: CommitmentStatus", m.done_on,
                  c.tracking_no as "complaint_no?",
                  up.updates as "updates!", up.last_update_at,
                  m.keeper_department_id as "keeper_department_id!", d.slug as dept_slug
           -- The page's rows whole, as its index found them (looking each up again by its key
           -- cost a third of the board's buffers); their updates counted in one pass each.
           from page m cross join lateral (select count(*) as updates, max(x.created_at) as last_update_at
                                           from commitment_update x where x.commitment_id = m.commitment_id) as up
           join department d on d.department_id = m.keeper_department_id
           left join reception_session s using (session_id) left join reception_kind k on k.kind = s.kind
           left join school_office o on o.office_id = m.office_id
           left join app_user u on u.user_id = m.owner_id
           left join complaint c on c.complaint_id = m.complaint_id and c.is_public
           order by m.status = 'done', m.due_on, m.commitment_id"#,
        f.commitment_id,
        f.office_id,
        f.session_id,
        f.complaint_id,
        f.state,
        f.today,
        after_done,
        after_due,
        after_id,
        f.limit,
        f.department_id,
        f.by_union,
        f.liaison_id,
        f.is_unfiltered(),
        f.is_one_session()
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_commitment(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Option<Commitment>> {
    Ok(find_commitments(db, &CommitmentFilter { commitment_id: Some(commitment_id), ..CommitmentFilter::default() })
        .await?
        .pop())
}

/// The student who asked the commitment's question and those who voted for it. (A complaint's
/// followers hear of it through the complaint's timeline.)
pub async fn commitment_audience(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select q.author_id as "user_id!" from commitment m join reception_minute n using (minute_id)
                join reception_question q on q.question_id = n.question_id where m.commitment_id = $1
           union select v.user_id from commitment m join reception_minute n using (minute_id)
                join reception_question_vote v on v.question_id = n.question_id where m.commitment_id = $1"#,
        commitment_id
    )
    .fetch_all(db)
    .await
}

/// A commitment this department keeps, or None.
pub async fn fetch_commitment_of_department(
    db: impl PgExecutor<'_>,
    commitment_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Commitment>> {
    let f = CommitmentFilter {
        commitment_id: Some(commitment_id),
        department_id: Some(department_id),
        ..CommitmentFilter::default()
    };
    Ok(find_commitments(db, &f).await?.pop())
}

/// A commitment of an office this user is a liaison of, or None.
pub async fn fetch_commitment_of_liaison(
    db: impl PgExecutor<'_>,
    commitment_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<Commitment>> {
    let f = CommitmentFilter {
        commitment_id: Some(commitment_id),
        liaison_id: Some(user_id),
        ..CommitmentFilter::default()
    };
    Ok(find_commitments(db, &f).await?.pop())
}

pub struct NewCommitment<'a> {
    /// (minute, session) when made at a session.
    pub minute: Option<(i64, i64)>,
    pub what: &'a str,
    /// The promiser: a school office, or None for the keeper department itself.
    pub office_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub due_on: NaiveDate,
    pub complaint_id: Option<i64>,
    pub keeper_department_id: i64,
}

/// The commitment, or None when its owner may not answer for it: an office's owner must be one
/// of the office's liaisons, a department's a current member of the department.
pub async fn insert_commitment(db: impl PgExecutor<'_>, c: &NewCommitment<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into commitment (minute_id, session_id, what, office_id, owner_id, due_on, complaint_id, keeper_department_id)
         select $1, $2, $3, $4, $5, $6, $7, $8
         where $5::bigint is null and $4::bigint is not null
            or exists (select 1 from office_liaison l where l.office_id = $4 and l.user_id = $5)
            or $4::bigint is null and exists (select 1 from membership b join term t using (term_id)
                                             where t.is_current and b.department_id = $8 and b.user_id = $5)
         returning commitment_id",
        c.minute.map(|m| m.0),
        c.minute.map(|m| m.1),
        c.what,
        c.office_id,
        c.owner_id,
        c.due_on,
        c.complaint_id,
        c.keeper_department_id
    )
    .fetch_optional(db)
    .await
}

/// A complaint's tracking number, by its id.
pub async fn fetch_tracking_no(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar!("select tracking_no from complaint where complaint_id = $1", complaint_id).fetch_one(db).await
}
