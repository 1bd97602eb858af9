//! What `/me` shows, in one statement: the profile, the student's complaints and those they
//! support, their lost reports and found offers (JSON arrays of the other areas' own rows), and
//! whether they have a room and rounds to inspect. Each statement costs the page a round trip,
//! and waking PostgreSQL for them was the largest part of the portal's time on `/me` (`perf`).
//! The lost-and-found lists' columns are those of `lost_found::queries::fetch_report_of_owner`
//! and `find_offers`: a change to either table's columns touches both.

use sqlx::{types::Json, PgExecutor};

use super::Profile;
use crate::{
    complaints::queries::MyComplaint,
    lost_found::queries::{LostReport, Offer},
};

pub struct MePageParts {
    pub profile: Profile,
    /// Their own complaints, the newest 100.
    pub mine: Vec<MyComplaint>,
    /// The complaints they support and may still see, the latest 100 supported.
    pub supported: Vec<MyComplaint>,
    /// The newest 50.
    pub lost_reports: Vec<LostReport>,
    /// The newest 200.
    pub found_offers: Vec<Offer>,
    /// A verified student living in a room the dorm records know.
    pub has_room: bool,
    /// Names the viewer as an inspector of a round not yet published.
    pub inspects: bool,
}

struct Row {
    student_no: String,
    name: String,
    college: String,
    email: String,
    created_at: chrono::DateTime<chrono::Utc>,
    verified: bool,
    has_room: bool,
    inspects: bool,
    mine: Json<Vec<MyComplaint>>,
    supported: Json<Vec<MyComplaint>>,
    lost_reports: Json<Vec<LostReport>>,
    found_offers: Json<Vec<Offer>>,
}

pub async fn fetch_me_page_parts(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<MePageParts>> {
    let row = sqlx::query_as!(
        Row,
        r#"select u.student_no, u.name, u.college, u.email, u.created_at, u.verified_by is not null as "verified!",
                  (u.verified_by is not null
                   and exists (select 1 from dorm_resident dr where dr.student_no = u.student_no)) as "has_room!",
                  exists (select 1 from inspection_inspector i join inspection_round r on r.round_id = i.round_id
                          where i.user_id = u.user_id and r.published_at is null) as "inspects!",
                  (select coalesce(json_agg(m order by m.created_at desc), '[]')
                   from (select c.tracking_no, c.title, c.status, c.created_at,
                                (select count(*) from notification n where n.user_id = u.user_id and n.read_at is null
                                 and n.link = '/complaints/' || c.tracking_no) as unread
                         from complaint c where c.reporter_id = u.user_id order by c.created_at desc limit 100) as m
                  ) as "mine!: Json<Vec<MyComplaint>>",
                  (select coalesce(json_agg(sc order by sc.supported_at desc), '[]')
                   from (select s.created_at as supported_at, c.tracking_no, c.title, c.status, c.created_at,
                                (select count(*) from notification n where n.user_id = u.user_id and n.read_at is null
                                 and n.link = '/complaints/' || c.tracking_no) as unread
                         from complaint_support s join complaint c using (complaint_id)
                         where s.user_id = u.user_id and complaint_visible_to(c.complaint_id, u.user_id)
                         order by s.created_at desc limit 100) as sc
                  ) as "supported!: Json<Vec<MyComplaint>>",
                  (select coalesce(json_agg(lr order by lr.report_id desc), '[]')
                   from (select report_id, owner_id, category, what, place, lost_on, description, contact, status,
                                created_at
                         from lost_report where owner_id = u.user_id order by report_id desc limit 50) as lr
                  ) as "lost_reports!: Json<Vec<LostReport>>",
                  (select coalesce(json_agg(fo order by fo.offer_id desc), '[]')
                   from (select o.offer_id, o.category, o.description, o.colour, o.found_place, o.found_on, o.point_id,
                                p.name_zh as point_zh, p.name_en as point_en, o.keeper_contact, o.photo_name,
                                o.thumb_name, o.status, o.decline_reason, o.item_id, o.created_at
                         from found_offer o left join collection_point p using (point_id)
                         where o.reporter_id = u.user_id order by o.offer_id desc limit 200) as fo
                  ) as "found_offers!: Json<Vec<Offer>>"
           from app_user u where u.user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| MePageParts {
        profile: Profile {
            student_no: r.student_no,
            name: r.name,
            college: r.college,
            email: r.email,
            created_at: r.created_at,
            verified: r.verified,
        },
        mine: r.mine.0,
        supported: r.supported.0,
        lost_reports: r.lost_reports.0,
        found_offers: r.found_offers.0,
        has_room: r.has_room,
        inspects: r.inspects,
    }))
}
