//! Statistics over the real router: the public figures computed from known data
//! (counts, Shanghai months, medians, shares), the empty state, anonymity, the
//! cache, and a department's own figures on its dashboard.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

use crate::helpers::{TestApp, TestResponse};

const REPORTER: &str = "2026700001";
const OFFICER: &str = "2026700002";

/// A complaint written straight into the database, so its times can lie in the past.
struct Filed<'a> {
    category: &'a str,
    office: Option<&'a str>,
    status: &'a str,
    created_at: DateTime<Utc>,
    /// Days from filing to the first public reply (the office's answer, relayed).
    reply_after: Option<f64>,
    /// Days from filing to forwarding, when forwarded to an office.
    forwarded_after: f64,
}

impl<'a> Filed<'a> {
    fn new(category: &'a str, status: &'a str) -> Filed<'a> {
        let created_at = Utc::now() - Duration::hours(1);
        Filed { category, office: None, status, created_at, reply_after: None, forwarded_after: 0.0 }
    }
    fn office(mut self, office: &'a str, reply_after: Option<f64>) -> Self {
        self.office = Some(office);
        self.reply_after = reply_after;
        self
    }
    fn forwarded_after(mut self, days: f64) -> Self {
        self.forwarded_after = days;
        self
    }
    fn at(mut self, created_at: DateTime<Utc>) -> Self {
        self.created_at = created_at;
        self
    }
    fn days_old(self, days: i64) -> Self {
        self.at(Utc::now() - Duration::days(days))
    }

    async fn save(&self, app: &TestApp) -> i64 {
        let reporter: i64 = sqlx::query_scalar("select user_id from app_user where student_no = $1")
            .bind(REPORTER)
            .fetch_one(&app.db)
            .await
            .unwrap();
        let after = |d: f64| self.created_at + Duration::milliseconds((d * 86_400_000.0).round() as i64);
        let replied_at = self.reply_after.map(after);
        let forwarded_at = self.office.map(|_| after(self.forwarded_after));
        sqlx::query_scalar(
            "insert into complaint (tracking_no, reporter_id, category_id, department_id, office_id, title, location,
                                    description, is_public, is_anonymous, status, created_at, first_public_reply_at,
                                    resolved_at, forwarded_at, office_answered_at)
             select 'QY-T-' || (select count(*) + 1 from complaint), $1, cat.category_id, cat.department_id,
                    (select office_id from school_office where name_zh = $3), '宿舍白蚁', '北区24栋', '白蚁很多', true, false,
                    $4, $5, $6, case when $4 = 'resolved' then now() end, $7, case when $7 is not null then $6 end
             from complaint_category cat where cat.slug = $2
             returning complaint_id",
        )
        .bind(reporter)
        .bind(self.category)
        .bind(self.office)
        .bind(self.status)
        .bind(self.created_at)
        .bind(replied_at)
        .bind(forwarded_at)
        .fetch_one(&app.db)
        .await
        .unwrap()
    }
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db).await.unwrap();
}

/// A found item at the rights department's first point, in `status`.
async fn found(app: &TestApp, category: &str, status: &str) {
    sqlx::query(
        "insert into found_item (department_id, point_id, category, description, found_place, found_on, status,
                                 closed_at, claimant_student_no, claimant_name)
         select p.department_id, p.point_id, $1, '一件东西', '西区食堂', current_date, $2,
                case when $2 <> 'held' then now() end,
                case when $2 = 'claimed' then '2021000099' end, case when $2 = 'claimed' then '认领人' end
         from collection_point p order by p.sort_order limit 1",
    )
    .bind(category)
    .bind(status)
    .execute(&app.db)
    .await
    .unwrap();
}

async fn app_with_people() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_user(REPORTER, "报告同学").await;
    app.create_user(OFFICER, "权益部员").await;
    app.grant(OFFICER, "rights", "member").await;
    app
}

/// The rows (header cell, then data cells) of the table captioned `caption`.
fn table(page: &TestResponse, caption: &str) -> Vec<Vec<String>> {
    let doc = scraper::Html::parse_document(&page.body);
    let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    let table = doc
        .select(&sel("table"))
        .find(|t| t.select(&sel("caption")).next().is_some_and(|c| text(c) == caption))
        .unwrap_or_else(|| panic!("a table captioned {caption}"));
    table.select(&sel("tbody tr")).map(|tr| tr.select(&sel("th, td")).map(text).collect()).collect()
}

/// The row whose header cell is `label`.
fn row(rows: &[Vec<String>], label: &str) -> Vec<String> {
    rows.iter().find(|r| r[0] == label).unwrap_or_else(|| panic!("a row {label} in {rows:?}")).clone()
}

/// The value of a fact (`<dt>label</dt><dd>value</dd>`).
fn fact(page: &TestResponse, label: &str) -> String {
    let doc = scraper::Html::parse_document(&page.body);
    let dt = scraper::Selector::parse("dt").unwrap();
    let term = doc.select(&dt).find(|e| e.text().collect::<String>().trim() == label).expect(label);
    let dd = term.next_siblings().find_map(scraper::ElementRef::wrap).expect("dd");
    dd.text().collect::<String>().trim().to_string()
}

#[tokio::test]
async fn the_public_page_counts_categories_medians_per_office_shares_and_cards() {
    let app = app_with_people().await;
    // 后勤处 answered 1, 2 and 6 days after filing (the union's median 2.0), each forwarded half a day after
    // filing (the office's median 1.5), and owes one answer; 保卫处 after 1 and 4 (median 2.5 on both clocks).
    for d in [1.0, 2.0, 6.0] {
        Filed::new("dorm", "responded").office("后勤处", Some(d)).forwarded_after(0.5).days_old(20).save(&app).await;
    }
    Filed::new("dorm", "forwarded").office("后勤处", None).save(&app).await;
    Filed::new("safety", "resolved").office("保卫处", Some(1.0)).days_old(9).save(&app).await;
    let confirmed = Filed::new("canteen", "resolved").office("保卫处", Some(4.0)).days_old(9).save(&app).await;
    exec(&app, &format!("update complaint set confirmed_at = now(), rating = 5 where complaint_id = {confirmed}"))
        .await;
    // A private complaint counts; a merged duplicate does not.
    let private = Filed::new("canteen", "submitted").save(&app).await;
    exec(
        &app,
        &format!(
            "update complaint set is_public = false, title = '三食堂私下收取押金', description = '只告诉学生会的细节'
             where complaint_id = {private}"
        ),
    )
    .await;
    let duplicate = Filed::new("canteen", "submitted").save(&app).await;
    exec(&app, &format!("update complaint set merged_into_id = {private} where complaint_id = {duplicate}")).await;
    for status in ["claimed", "returned", "returned", "held"] {
        found(&app, "card", status).await;
    }
    found(&app, "umbrella", "disposed").await;

    let mut visitor = app.browser();
    let page = visitor.get("/stats").await;
    assert_eq!(page.status, StatusCode::OK);

    let categories = table(&page, "各类别投诉数");
    assert_eq!(row(&categories, "宿舍"), ["宿舍", "4"]);
    assert_eq!(row(&categories, "食堂"), ["食堂", "2"], "the private one counts, the merged one does not");
    assert_eq!(row(&categories, "安全"), ["安全", "1"]);
    assert_eq!(row(&categories, "图书馆"), ["图书馆", "0"]);
    let replies = table(&page, "各学校部门答复天数中位数（从转交起）");
    assert_eq!(row(&replies, "后勤处"), ["后勤处", "1.5", "3", "1", "2.0"], "the office's clock, then the union's");
    assert_eq!(row(&replies, "保卫处"), ["保卫处", "2.5", "2", "0", "2.5"]);
    assert_eq!(fact(&page, "投诉总数"), "7");
    assert_eq!(fact(&page, "已解决"), "29%", "2 of 7");
    assert_eq!(fact(&page, "已解决中经投诉人确认"), "50%");
    assert_eq!(row(&table(&page, "各状态投诉数"), "已答复"), ["已答复", "3"]);
    assert_eq!(fact(&page, "校园卡送还"), "4 张中 3 张（75%）");
    assert_eq!(fact(&page, "已回到失主手中"), "3（60%）");
    assert_eq!(row(&table(&page, "拾得物品状态"), "已处置"), ["已处置", "1"]);

    // Charts: an SVG with a title for each non-empty figure, and nothing the CSP would block.
    let doc = scraper::Html::parse_document(&page.body);
    let svgs = scraper::Selector::parse("figure svg[role=img] > title").unwrap();
    assert_eq!(doc.select(&svgs).count(), 5, "category, month, status, reply, lost");
    assert!(!page.body.contains("style="), "no inline styles");
    assert!(page.body.contains(r#"<a href="/stats" aria-current="page">"#), "in the navigation");
    for private_words in ["三食堂私下收取押金", "只告诉学生会的细节"] {
        assert!(!page.body.contains(private_words), "a private complaint shows only in the counts");
    }

    visitor.jar.insert("lang".into(), "en".into());
    let page = visitor.get("/stats").await;
    assert_eq!(row(&table(&page, "Complaints by category"), "Dormitories"), ["Dormitories", "4"]);
    assert_eq!(
        row(&table(&page, "Median days to the school office's first answer, from forwarding"), "Security Office")[1],
        "2.5"
    );
    assert_eq!(fact(&page, "Campus cards returned"), "3 of 4 (75%)");
}

#[tokio::test]
async fn months_are_shanghai_months_and_empty_ones_are_listed_as_zero() {
    let app = app_with_people().await;
    let today = Utc::now().with_timezone(&Shanghai).date_naive();
    let this_month = today.with_day(1).unwrap();
    // 00:30 on the 1st in Shanghai is still the previous month in UTC.
    let first_minutes = Shanghai.from_local_datetime(&this_month.and_hms_opt(0, 30, 0).unwrap()).single().unwrap();
    Filed::new("dorm", "submitted").at(first_minutes.with_timezone(&Utc)).save(&app).await;
    let three_ago = this_month - chrono::Months::new(3);
    let mid = Shanghai.from_local_datetime(&three_ago.and_hms_opt(12, 0, 0).unwrap()).single().unwrap();
    Filed::new("dorm", "submitted").at(mid.with_timezone(&Utc)).save(&app).await;
    Filed::new("dorm", "submitted").at(mid.with_timezone(&Utc) - Duration::days(400)).save(&app).await;

    let page = app.browser().get("/stats").await;
    let months = table(&page, "每月投诉数");
    assert_eq!(months.len(), 12);
    let label = |m: NaiveDate| m.format("%Y年%-m月").to_string();
    assert_eq!(months[11], [label(this_month), "1".into()], "the latest month last");
    assert_eq!(months[8], [label(three_ago), "1".into()]);
    assert_eq!(months[0][0], label(this_month - chrono::Months::new(11)));
    let total: i64 = months.iter().map(|r| r[1].parse::<i64>().unwrap()).sum();
    assert_eq!(total, 2, "older than a year is not on the chart");
}

#[tokio::test]
async fn an_empty_portal_says_there_is_no_data_yet_instead_of_drawing_empty_charts() {
    let app = TestApp::spawn().await;
    let page = app.browser().get("/stats").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<svg"), "no chart without data");
    assert!(page.body.matches("暂无数据").count() >= 6, "each figure says so");
    assert_eq!(fact(&page, "已解决"), "—", "no share of nothing");
}

#[tokio::test]
async fn offices_still_owing_their_first_reply_are_counted_before_any_reply_exists() {
    let app = app_with_people().await;
    Filed::new("dorm", "forwarded").office("后勤处", None).save(&app).await;
    let page = app.browser().get("/stats").await;
    let waiting = table(&page, "各学校部门答复天数中位数（从转交起）");
    assert_eq!(row(&waiting, "后勤处"), ["后勤处", "—", "0", "1", "—"], "no median yet, one waiting");
}

#[tokio::test]
async fn an_anonymous_complainant_never_appears_on_the_statistics() {
    let app = app_with_people().await;
    let id = app.create_user("2026700003", "匿名的白蚁同学").await;
    let mut student = app.browser_signed_in(id).await;
    let fields = [
        ("category", "dorm"),
        ("title", "二十四栋白蚁成灾"),
        ("location", "北区24栋"),
        ("description", "床板被白蚁蛀空。"),
        ("visibility", "public"),
        ("anonymous", "on"),
    ];
    let r = student.post_multipart("/complaints/new", &fields, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut visitor = app.browser();
    for (lang, caption, dorm) in [("zh-CN", "各类别投诉数", "宿舍"), ("en", "Complaints by category", "Dormitories")]
    {
        visitor.jar.insert("lang".into(), lang.into());
        let page = visitor.get("/stats").await;
        assert_eq!(row(&table(&page, caption), dorm)[1], "1", "the complaint counts");
        for secret in ["匿名的白蚁同学", "2026700003", "二十四栋白蚁成灾", "床板被白蚁蛀空"] {
            assert!(!page.body.contains(secret), "{secret} is not on the {lang} page");
        }
    }
}

#[tokio::test]
async fn commitments_per_office_and_sign_ups_per_session_are_counted() {
    let app = app_with_people().await;
    for i in 0..5 {
        app.create_user(&format!("20267001{i:02}"), "报名同学").await;
    }
    exec(
        &app,
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                        signup_opens_at, signup_closes_at)
         select 'leaders', n, department_id, now() + make_interval(days => d), now() + make_interval(days => d, hours => 2),
                '行政楼', '食堂', 20, now() - interval '30 days', now() + make_interval(days => d - 1)
         from department, (values (148, -2), (149, 10)) as s(n, d) where slug = 'rights'",
    )
    .await;
    exec(&app, "insert into reception_quota select session_id, '法学院', 5 from reception_session").await;
    exec(
        &app,
        "insert into reception_delegate (session_id, college, student_no, name)
         select session_id, '法学院', '2026799999', '代表' from reception_session where number = 148",
    )
    .await;
    // Three seats, one in line, one cancelled: 3 seats + 1 delegate of 25 offered.
    exec(
        &app,
        "insert into reception_signup (session_id, user_id, status)
         select s.session_id, u.user_id, (array['seat', 'seat', 'seat', 'waiting', 'cancelled'])[(row_number() over (order by u.student_no))::int]
         from reception_session s, app_user u where s.number = 148 and u.name = '报名同学'",
    )
    .await;
    exec(
        &app,
        "insert into reception_minute (session_id, question, answered_by, answer)
         select session_id, '食堂太贵', '后勤处', '会改' from reception_session where number = 148",
    )
    .await;
    exec(
        &app,
        "insert into commitment (minute_id, session_id, what, office_id, due_on, status, done_on)
         select m.minute_id, m.session_id, c.what, o.office_id, current_date + c.due, c.status, current_date + c.done
         from reception_minute m,
              (values ('后勤处', '降价', -10, 'done', -10), ('后勤处', '换桌', -10, 'done', -3),
                      ('后勤处', '修灯', -1, 'in_progress', null), ('基建处', '修路', 30, 'pending', null))
                as c(office, what, due, status, done)
         join school_office o on o.name_zh = c.office",
    )
    .await;

    let page = app.browser().get("/stats").await;
    let kept = table(&page, "各职能部门按时兑现承诺的比例");
    assert_eq!(row(&kept, "后勤处"), ["后勤处", "1", "1", "1", "0", "33%"]);
    assert_eq!(row(&kept, "基建处"), ["基建处", "0", "0", "0", "1", "—"], "nothing due yet");
    let seats = table(&page, "各期座位使用情况");
    assert_eq!(seats.len(), 1, "only sessions that have begun");
    assert_eq!(seats[0][0], "第148期校领导接待日");
    assert_eq!(seats[0][2..], ["4", "25", "16%"]);
    assert!(page.body.contains("不是现场签到人数"), "the footnote says these are sign-ups");
}

#[tokio::test]
async fn the_figures_are_computed_once_and_served_from_the_cache() {
    let app = app_with_people().await;
    Filed::new("dorm", "submitted").save(&app).await;
    let mut visitor = app.browser();
    assert_eq!(fact(&visitor.get("/stats").await, "投诉总数"), "1");
    Filed::new("dorm", "submitted").save(&app).await;
    assert_eq!(fact(&visitor.get("/stats").await, "投诉总数"), "1", "still the cached figures");
    let fresh = app_with_people().await;
    Filed::new("dorm", "submitted").save(&fresh).await;
    Filed::new("dorm", "submitted").save(&fresh).await;
    assert_eq!(fact(&fresh.browser().get("/stats").await, "投诉总数"), "2", "each app has its own cache");
}

#[tokio::test]
async fn a_department_dashboard_shows_only_its_own_figures() {
    let app = app_with_people().await;
    // Rights: one overdue (filed ten days ago, never accepted), replies after 1 and 3 days.
    Filed::new("canteen", "submitted").days_old(10).save(&app).await;
    Filed::new("canteen", "submitted").save(&app).await;
    Filed::new("library", "responded").office("图书馆", Some(1.0)).days_old(5).save(&app).await;
    Filed::new("library", "resolved").office("图书馆", Some(3.0)).days_old(5).save(&app).await;
    // Life & Hygiene's complaints are not rights' business.
    for _ in 0..3 {
        Filed::new("dorm", "submitted").days_old(10).save(&app).await;
    }
    found(&app, "card", "held").await;
    found(&app, "card", "returned").await;
    found(&app, "keys", "disposed").await;
    exec(
        &app,
        "with p as (insert into plan (department_id, period, title, status)
                    select department_id, '2025-2026学年', '权益服务部工作计划', 'in_progress' from department where slug = 'rights'
                    returning plan_id),
              g as (insert into plan_goal (plan_id, position, title) select plan_id, 1, '扩散权益工作' from p returning plan_id, goal_id)
         insert into plan_action (plan_id, goal_id, position, title, due_on, status, done_on)
         select g.plan_id, g.goal_id, a.pos, a.title, current_date + a.due, a.status, a.done_on
         from g, (values (1, '开学宣传', -20, 'done', current_date - 21), (2, '问卷调查', -1, 'in_progress', null::date),
                         (3, '期末总结', 60, 'not_started', null::date)) as a(pos, title, due, status, done_on)",
    )
    .await;

    let officer = app.create_user("2026700009", "权益部长").await;
    app.grant("2026700009", "rights", "head").await;
    let page = app.browser_signed_in(officer).await.get("/d/rights").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(row(&table(&page, "各状态投诉数"), "已提交"), ["已提交", "2"]);
    assert_eq!(fact(&page, "当前超期"), "1");
    assert_eq!(fact(&page, "首次公开答复天数中位数"), "2.0（基于 2 件投诉）");
    assert_eq!(fact(&page, "已解决"), "25%", "one of its four");
    assert_eq!(fact(&page, "校园卡送还"), "2 张中 1 张（50%）");
    assert_eq!(row(&table(&page, "拾得物品状态"), "已处置"), ["已处置", "1"]);
    assert_eq!(fact(&page, "已完成措施"), "1 / 3");
    assert_eq!(fact(&page, "超期措施"), "1");
    assert!(!page.body.contains("style="), "no inline styles");

    let life = app.create_user("2026700010", "生活部员").await;
    app.grant("2026700010", "life", "member").await;
    let page = app.browser_signed_in(life).await.get("/d/life").await;
    assert_eq!(row(&table(&page, "各状态投诉数"), "已提交"), ["已提交", "3"]);
    assert!(!page.body.contains("校园卡送还"), "life runs no lost and found");
    assert!(page.body.contains("还没有工作计划"));
}
