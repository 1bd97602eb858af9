//! Seed builders: what tests arrange, said once. Each builder starts from the
//! form a person would fill in with plain defaults, changes what a test cares
//! about, and sends it through the real form, so the arranged rows are the ones
//! the portal itself writes:
//!
//! ```ignore
//! let no = app.complaint().private().anonymous().by(&mut student).file().await;
//! let item = app.found_item(&point).category("card").card(NO, NAME).by(&mut officer).register().await;
//! let session = app.reception_session("rights").open_seats("20").by(&mut organiser).create().await;
//! ```
//!
//! Also the small words tests kept copying: `scalar`, `notified`, `point_id`, `session_code`,
//! `complaint_filed_at`, `local`, `refs`, `id_in`.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};

use super::*;

/// Builder methods that set a text field of the form: `.title("…")`.
macro_rules! text_setters {
    ($($field:ident),*) => {$(
        pub fn $field(mut self, value: &str) -> Self {
            self.$field = value.into();
            self
        }
    )*};
}

/// A time as the portal's `datetime-local` inputs take it (Shanghai wall clock).
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%dT%H:%M").to_string()
}

/// Owned form fields as the `(&str, &str)` pairs the browsers post.
pub fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The id at the end of a redirect's target (`…/items/7`, `…/7?saved=1`).
pub fn id_in(location: Option<&str>) -> i64 {
    let l = location.expect("redirected");
    let tail = l.split(['?', '#']).next().unwrap_or(l).rsplit('/').next().unwrap_or("");
    tail.parse().unwrap_or_else(|_| panic!("an id at the end of {l}"))
}

impl TestApp {
    /// A number the test database answers: `select count(*) …`, `select max(…_id) …`.
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db).await.expect("count")
    }

    /// Arranges by a statement (moving a window, taking a verification away).
    pub async fn execute(&self, sql: &str) {
        sqlx::raw_sql(sql).execute(&self.db).await.expect("arranged");
    }

    /// How many notifications with this message key the student with this number got.
    pub async fn notified(&self, student_no: &str, key: &str) -> i64 {
        sqlx::query_scalar(
            "select count(*) from notification n join app_user u using (user_id) where u.student_no = $1 and n.message_key = $2",
        )
        .bind(student_no)
        .bind(key)
        .fetch_one(&self.db)
        .await
        .expect("count")
    }

    /// The id of the lost-and-found collection point with this Chinese name, as the forms send it.
    pub async fn point_id(&self, name: &str) -> String {
        let id: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = $1")
            .bind(name)
            .fetch_one(&self.db)
            .await
            .expect("a collection point with this name");
        id.to_string()
    }

    /// Moves complaint `no`'s filing time to `filed` (its deadlines count from there).
    pub async fn complaint_filed_at(&self, no: &str, filed: DateTime<Utc>) {
        sqlx::query("update complaint set created_at = $2 where tracking_no = $1")
            .bind(no)
            .bind(filed)
            .execute(&self.db)
            .await
            .expect("complaint re-dated");
    }

    /// A complaint as the public form files it (a public teaching complaint unless told otherwise).
    pub fn complaint(&self) -> ComplaintSeed {
        ComplaintSeed {
            category: "teaching".into(),
            title: "教三楼吊扇掉落".into(),
            location: "教学楼3号楼 301".into(),
            description: "上课时吊扇突然掉下来，差点砸到同学。".into(),
            visibility: "public".into(),
            anonymous: false,
        }
    }

    /// A found item as the rights desk's intake form registers it at `point` (a black
    /// umbrella found today unless told otherwise).
    pub fn found_item(&self, point: &str) -> FoundItemSeed<'_> {
        FoundItemSeed {
            app: self,
            fields: vec![
                ("point".into(), point.into()),
                ("category".into(), "umbrella".into()),
                ("description".into(), "黑色雨伞".into()),
                ("found_place".into(), "北区图书馆门口".into()),
                ("found_on".into(), union_portal::web::forms::today().to_string()),
            ],
            photo: None,
        }
    }

    /// A reception session as `dept`'s organisers' form creates it: leaders, a week from
    /// now for two hours, sign-up open from an hour ago until the day before.
    pub fn reception_session(&self, dept: &str) -> SessionSeed {
        SessionSeed { dept: dept.into(), ..SessionSeed::default() }
    }
}

/// A seed and the browser that sends it (`seed.by(&mut browser)`): what the form's
/// sender can do next (`file`, `register`, `create`).
pub struct By<'b, S> {
    seed: S,
    who: &'b mut Browser,
}

pub struct ComplaintSeed {
    category: String,
    title: String,
    location: String,
    description: String,
    visibility: String,
    anonymous: bool,
}

impl ComplaintSeed {
    text_setters!(category, title, visibility);

    pub fn public(self) -> Self {
        self.visibility("public")
    }
    pub fn private(self) -> Self {
        self.visibility("private")
    }
    pub fn anonymous(mut self, anonymous: bool) -> Self {
        self.anonymous = anonymous;
        self
    }

    /// The form's fields, for a test that posts them itself.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = [
            ("category", &self.category),
            ("title", &self.title),
            ("location", &self.location),
            ("description", &self.description),
            ("visibility", &self.visibility),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
        if self.anonymous {
            fields.push(("anonymous".into(), "on".into()));
        }
        fields
    }

    pub fn by(self, reporter: &mut Browser) -> By<'_, Self> {
        By { seed: self, who: reporter }
    }
}

impl By<'_, ComplaintSeed> {
    /// Filed through `/complaints/new` (303); its tracking number.
    pub async fn file(self) -> String {
        let fields = self.seed.fields();
        let r = self.who.post_multipart("/complaints/new", &refs(&fields), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.location().expect("redirect").trim_start_matches("/complaints/").to_string()
    }
}

pub struct FoundItemSeed<'a> {
    app: &'a TestApp,
    fields: Vec<(String, String)>,
    photo: Option<(String, Vec<u8>)>,
}

impl<'a> FoundItemSeed<'a> {
    /// Set (or add) one field of the intake form.
    pub fn field(mut self, name: &str, value: &str) -> Self {
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value.into(),
            None => self.fields.push((name.into(), value.into())),
        }
        self
    }
    pub fn category(self, category: &str) -> Self {
        self.field("category", category)
    }
    pub fn description(self, description: &str) -> Self {
        self.field("description", description)
    }
    pub fn found_place(self, place: &str) -> Self {
        self.field("found_place", place)
    }
    /// A campus card: the number and name printed on it.
    pub fn card(self, student_no: &str, name: &str) -> Self {
        self.field("card_student_no", student_no).field("card_name", name)
    }
    pub fn photo(mut self, file_name: &str, bytes: Vec<u8>) -> Self {
        self.photo = Some((file_name.into(), bytes));
        self
    }

    pub fn by(self, officer: &'a mut Browser) -> By<'a, Self> {
        By { seed: self, who: officer }
    }
}

impl By<'_, FoundItemSeed<'_>> {
    /// Registered through the rights desk's intake form (303 back to the desk); the new item's id.
    pub async fn register(self) -> i64 {
        let files: Vec<(&str, &str, &[u8])> =
            self.seed.photo.iter().map(|(name, bytes)| ("photo", name.as_str(), bytes.as_slice())).collect();
        let r = self.who.post_multipart("/d/rights/lost-found/items", &refs(&self.seed.fields), &files).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "registered: {}", r.body);
        assert!(r.location().expect("back to the desk").starts_with("/d/rights/lost-found?on="));
        self.seed.app.scalar("select max(item_id) from found_item").await
    }
}

pub struct SessionSeed {
    dept: String,
    kind: String,
    starts_at: DateTime<Utc>,
    place: String,
    topic: String,
    leaders: String,
    quotas: String,
    open_seats: String,
    signup_opens_at: DateTime<Utc>,
}

impl Default for SessionSeed {
    /// The rights department's session (see `TestApp::reception_session`).
    fn default() -> Self {
        SessionSeed {
            dept: "rights".into(),
            kind: "leaders".into(),
            starts_at: Utc::now() + Duration::days(7),
            place: "行政楼一楼报告厅".into(),
            topic: "食堂、宿舍与教学设施".into(),
            leaders: "王建国 副校长\n李明 后勤处处长".into(),
            quotas: "法学院 2\n计算机学院 1".into(),
            open_seats: "20".into(),
            signup_opens_at: Utc::now() - Duration::hours(1),
        }
    }
}

impl SessionSeed {
    text_setters!(kind, place, topic, leaders, quotas, open_seats);

    /// The start; the session lasts two hours.
    pub fn starts_at(mut self, t: DateTime<Utc>) -> Self {
        self.starts_at = t;
        self
    }
    pub fn signup_opens_at(mut self, t: DateTime<Utc>) -> Self {
        self.signup_opens_at = t;
        self
    }

    /// The form's fields, for creating through another client or for the update form.
    pub fn fields(&self) -> Vec<(String, String)> {
        let start = self.starts_at;
        [
            ("kind", self.kind.clone()),
            ("starts_at", local(start)),
            ("ends_at", local(start + Duration::hours(2))),
            ("place", self.place.clone()),
            ("topic", self.topic.clone()),
            ("leaders", self.leaders.clone()),
            ("quotas", self.quotas.clone()),
            ("open_seats", self.open_seats.clone()),
            ("signup_opens_at", local(self.signup_opens_at)),
            ("signup_closes_at", local(start - Duration::days(1))),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    pub fn by(self, organiser: &mut Browser) -> By<'_, Self> {
        By { seed: self, who: organiser }
    }
}

impl By<'_, SessionSeed> {
    /// Created through `/d/{dept}/reception/new`: the response, for a test that reads it.
    pub async fn post(self) -> TestResponse {
        let fields = self.seed.fields();
        self.who.post_form(&format!("/d/{}/reception/new", self.seed.dept), &refs(&fields)).await
    }

    /// Created (303 to its page); the session's id.
    pub async fn create(self) -> i64 {
        let r = self.post().await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        id_in(r.location())
    }
}

impl TestApp {
    /// A session's public code, e.g. `L3`.
    pub async fn session_code(&self, session_id: i64) -> String {
        sqlx::query_scalar(
            "select k.path_prefix || s.number from reception_session s join reception_kind k using (kind) where session_id = $1",
        )
        .bind(session_id)
        .fetch_one(&self.db)
        .await
        .expect("a session with this id")
    }
}
