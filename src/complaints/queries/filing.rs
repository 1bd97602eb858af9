//! Filing a complaint, and the events of its timeline.

use sqlx::PgExecutor;

pub struct NewComplaint<'a> {
    pub year: i32,
    pub reporter_id: i64,
    pub category_id: i64,
    pub department_id: i64,
    pub title: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub is_public: bool,
    pub is_anonymous: bool,
    /// Registered by an officer for a student who reported elsewhere: the channel and the officer.
    pub on_behalf: Option<(&'a str, i64)>,
}

/// A new complaint with its photos (file name, thumbnail name, width, height), its
/// first event and the word to its handlers (the department's members this term,
/// linked to `handler_link_prefix` and the number), with the year's next tracking
/// number, in one statement: all or nothing without a
/// transaction's extra round trips, on the path students take most.
pub async fn insert_filed_complaint(
    db: impl PgExecutor<'_>,
    c: &NewComplaint<'_>,
    photos: &[crate::uploads::StoredPhoto],
    handler_link_prefix: &str,
) -> sqlx::Result<(i64, String)> {
    let (files, thumbs): (Vec<&str>, Vec<&str>) = photos.iter().map(|p| (p.0.as_str(), p.1.as_str())).unzip();
    let (widths, heights): (Vec<i32>, Vec<i32>) = photos.iter().map(|p| (p.2 as i32, p.3 as i32)).unzip();
    let message_key = "notify.complaint.new";
    let filed = sqlx::query!(
        r#"with numbered as (
               select 'QY-' || $1::int || '-' || lpad(n::text, greatest(6, length(n::text)), '0') as tracking_no
               from next_tracking_number($1) as n
           ), new as (
               insert into complaint (tracking_no, reporter_id, category_id, department_id, title, location, description,
                                      is_public, is_anonymous, search_doc, channel, filed_by)
               select tracking_no, $2, $3, $4, $5, $6, $7, $8, $9,
                      $10::text::tsvector || array_to_tsvector(string_to_array(lower(tracking_no), '-')), $18, $19
               from numbered
               returning complaint_id, tracking_no
           ), photos as (
               insert into complaint_photo (complaint_id, position, file_name, thumb_name, width, height)
               select new.complaint_id, p.n - 1, p.file_name, p.thumb_name, p.width, p.height
               from new, unnest($11::text[], $12::text[], $13::int[], $14::int[])
                         with ordinality as p(file_name, thumb_name, width, height, n)
           ), first_event as (
               insert into complaint_event (complaint_id, actor_id, kind, to_status, body, is_public)
               select complaint_id, $2, 'submitted', 'submitted', '', true from new
           ), handlers_told as (
               select notify_users(array(select m.user_id from membership m join term t using (term_id)
                                         where m.department_id = $4 and t.is_current),
                                   null, $15, new.tracking_no, $16 || new.tracking_no,
                                   replace($17::jsonb::text, '%{param}', new.tracking_no)::jsonb)
               from new
           )
           select new.complaint_id as "complaint_id!", new.tracking_no as "tracking_no!" from new, handlers_told"#,
        c.year,
        c.reporter_id,
        c.category_id,
        c.department_id,
        c.title,
        c.location,
        c.description,
        c.is_public,
        c.is_anonymous,
        complaint_search_doc(c),
        &files as &[&str],
        &thumbs as &[&str],
        &widths,
        &heights,
        message_key,
        handler_link_prefix,
        // The text with its placeholder: the number is known only inside the statement.
        crate::mail::texts(message_key, "%{param}"),
        c.on_behalf.map(|(channel, _)| channel),
        c.on_behalf.map(|(_, officer)| officer)
    )
    .fetch_one(db)
    .await?;
    Ok((filed.complaint_id, filed.tracking_no))
}

/// The words of the title and text; the tracking number's own words are added by the insert.
fn complaint_search_doc(c: &NewComplaint<'_>) -> String {
    crate::search::tsvector(c.title, &format!("{} {}", c.location, c.description))
}

pub struct NewEvent<'a> {
    pub complaint_id: i64,
    pub actor_id: Option<i64>,
    pub department_id: Option<i64>,
    pub kind: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub body: &'a str,
    pub is_public: bool,
    /// The school office that spoke (its liaison, or the union relaying its answer).
    pub office_id: Option<i64>,
    /// The date an office's plan names.
    pub due_on: Option<chrono::NaiveDate>,
    /// The presidium took this step (on an escalated case).
    pub by_presidium: bool,
}

impl<'a> NewEvent<'a> {
    /// A public event on the timeline that moves no status and speaks for no department.
    pub fn public(complaint_id: i64, actor_id: Option<i64>, kind: &'a str, body: &'a str) -> Self {
        NewEvent {
            complaint_id,
            actor_id,
            department_id: None,
            kind,
            from_status: None,
            to_status: None,
            body,
            is_public: true,
            office_id: None,
            due_on: None,
            by_presidium: false,
        }
    }
}

pub async fn insert_event(db: impl PgExecutor<'_>, e: &NewEvent<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into complaint_event (complaint_id, actor_id, department_id, kind, from_status, to_status, body, is_public,
                                      office_id, due_on, by_presidium)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        e.complaint_id,
        e.actor_id,
        e.department_id,
        e.kind,
        e.from_status,
        e.to_status,
        e.body,
        e.is_public,
        e.office_id,
        e.due_on,
        e.by_presidium
    )
    .execute(db)
    .await?;
    Ok(())
}
