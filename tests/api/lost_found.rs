//! Lost and found over the real router: intake and every state, matching, lost
//! campus cards and their masking everywhere, bulletins (concurrent too), the
//! register's exports, retention, and bad input that keeps what was typed.

use axum::http::StatusCode;
use chrono::Duration;

use crate::helpers::{png, Browser, TestApp};

const OFFICER: &str = "2026300001";
const STUDENT: &str = "2026300002";
const CARD_OWNER: &str = "2021123412";

struct Desk {
    app: TestApp,
    officer: Browser,
    student: Browser,
}

async fn desk_with(adjust: impl FnOnce(&mut union_portal::config::Config)) -> Desk {
    let app = TestApp::spawn_with(adjust).await;
    let officer_id = app.create_user(OFFICER, "权益部员").await;
    app.grant(OFFICER, "rights", "member").await;
    let student_id = app.create_user(STUDENT, "丢东西的同学").await;
    let officer = app.browser_signed_in(officer_id).await;
    let student = app.browser_signed_in(student_id).await;
    Desk { app, officer, student }
}

async fn desk() -> Desk {
    desk_with(|_| {}).await
}

fn today() -> String {
    union_portal::web::forms::today().to_string()
}

impl Desk {
    /// A black umbrella found today at 北区图书馆's door, registered through the intake form.
    async fn umbrella(&mut self) -> i64 {
        let point = self.app.point_id("北区图书馆").await;
        self.app.found_item(&point).by(&mut self.officer).register().await
    }

    /// A blue cup found today in 北区图书馆, registered through the intake form.
    async fn blue_cup(&mut self) -> i64 {
        let point = self.app.point_id("北区图书馆").await;
        let cup = self.app.found_item(&point).category("other").description("保温杯").field("colour", "蓝色");
        cup.found_place("北区图书馆").by(&mut self.officer).register().await
    }

    async fn status_of(&self, item_id: i64) -> String {
        sqlx::query_scalar("select status from found_item where item_id = $1")
            .bind(item_id)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }
}

async fn notifications(app: &TestApp, student_no: &str, key: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "select n.param, n.link from notification n join app_user u using (user_id)
         where u.student_no = $1 and n.message_key = $2 order by n.notification_id",
    )
    .bind(student_no)
    .bind(key)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_item_registered_at_the_desk_is_public_searchable_and_leaves_the_shelf_once() {
    let mut d = desk().await;
    let desk = d.officer.get("/d/rights/lost-found").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert_eq!(desk.value_by_id("f-found_on").as_deref(), Some(today().as_str()), "today by default");
    let point = d.app.point_id("北区图书馆").await;
    let today = today();
    let item = d
        .app
        .found_item(&point)
        .description("雨伞")
        .field("colour", "黑色")
        .photo("camera.png", png())
        .by(&mut d.officer)
        .register()
        .await;
    // The form is ready for the next item, at the officer's point.
    let next = d.officer.get(&format!("/d/rights/lost-found?on={today}")).await;
    let selected = scraper::Selector::parse("#f-point option[selected]").unwrap();
    let doc = scraper::Html::parse_document(&next.body);
    assert_eq!(doc.select(&selected).next().and_then(|o| o.value().attr("value")), Some(point.as_str()));
    assert_eq!(next.value_by_id("f-description").as_deref(), Some(""));

    let mut public = d.app.browser();
    for q in ["雨伞", "黑色", ""] {
        let list = public.get(&format!("/lost-found?q={}", urlencode(q))).await;
        assert!(list.body.contains(&format!("/lost-found/items/{item}")), "found by {q:?}");
    }
    let miss = public.get(&format!("/lost-found?q={}", urlencode("耳机"))).await;
    assert!(!miss.body.contains(&format!("/lost-found/items/{item}")));
    let other_point = d.app.point_id("西区第一食堂").await;
    let filtered = public.get(&format!("/lost-found?point={other_point}")).await;
    assert!(!filtered.body.contains(&format!("/lost-found/items/{item}")), "filtered by point");
    let page = public.get(&format!("/lost-found/items/{item}")).await;
    assert!(page.body.contains("北区图书馆一楼总服务台") && page.body.contains("每天 8:00–22:00"), "where to claim");
    let photo = public.get(&format!("/lost-found/items/{item}/photo?size=thumb")).await;
    assert_eq!((photo.status, photo.header("content-type")), (StatusCode::OK, Some("image/jpeg")));

    // Claimed: a bad claim keeps what was typed; a good one is recorded with the verifying officer.
    let path = format!("/d/rights/lost-found/items/{item}/claim");
    let bad = d.officer.post_form(&path, &[("claimant_student_no", "2026-3"), ("claimant_name", "赵同学")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("claimant_student_no").is_some());
    assert_eq!(bad.field_value("claimant_name").as_deref(), Some("赵同学"));
    assert_eq!(d.status_of(item).await, "held", "nothing saved");
    let ok = d.officer.post_form(&path, &[("claimant_student_no", STUDENT), ("claimant_name", "赵同学")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let (status, claimant, officer): (String, String, String) = sqlx::query_as(
        "select i.status, i.claimant_student_no, u.student_no from found_item i join app_user u on u.user_id = i.closed_by
         where item_id = $1",
    )
    .bind(item)
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    assert_eq!((status.as_str(), claimant.as_str(), officer.as_str()), ("claimed", STUDENT, OFFICER));
    // Wrong transitions are refused, and the public no longer sees it as waiting.
    for (step, form) in [
        ("claim", vec![("claimant_student_no", STUDENT), ("claimant_name", "赵同学")]),
        ("return", vec![("note", "送到宿舍")]),
        ("dispose", vec![]),
    ] {
        let r = d.officer.post_form(&format!("/d/rights/lost-found/items/{item}/{step}"), &form).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{step} after claimed");
    }
    assert_eq!(d.status_of(item).await, "claimed");
    assert!(!public.get("/lost-found").await.body.contains(&format!("/lost-found/items/{item}")));
    assert!(public.get(&format!("/lost-found/items/{item}")).await.body.contains("已认领"));

    // Returned directly needs a note.
    let other = d.umbrella().await;
    let path = format!("/d/rights/lost-found/items/{other}/return");
    let r = d.officer.post_form(&path, &[("note", " ")]).await;
    assert_eq!(
        (r.status, r.field_error("return_note").as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("此项为必填项。"))
    );
    assert_eq!(
        d.officer.post_form(&path, &[("note", "失主在群里认领，已送到宿舍")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(d.status_of(other).await, "returned");
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn bad_intake_keeps_every_typed_value_and_saves_nothing() {
    let mut d = desk().await;
    let point = d.app.point_id("北区24栋").await;
    let tomorrow = (union_portal::web::forms::today() + Duration::days(1)).to_string();
    let fields = [
        ("point", point.as_str()),
        ("category", "electronics"),
        ("description", "白色耳机"),
        ("colour", "白色"),
        ("found_place", ""),
        ("found_on", tomorrow.as_str()),
    ];
    let r =
        d.officer.post_multipart("/d/rights/lost-found/items", &fields, &[("photo", "x.png", b"not an image")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("found_place").as_deref(), Some("此项为必填项。"));
    assert_eq!(r.field_error("found_on").as_deref(), Some("日期不能晚于今天。"));
    assert!(r.field_error("photo").is_some());
    assert_eq!(r.field_value("description").as_deref(), Some("白色耳机"));
    assert_eq!(r.field_value("colour").as_deref(), Some("白色"));
    assert_eq!(r.value_by_id("f-found_on"), Some(tomorrow));
    let count = d.app.scalar("select count(*) from found_item").await;
    assert_eq!(count, 0);

    // The lost-report form too.
    let r = d
        .student
        .post_form(
            "/lost-found/lost/new",
            &[("category", "keys"), ("what", "钥匙串"), ("place", ""), ("lost_on", "昨天")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("place").as_deref(), Some("此项为必填项。"));
    assert_eq!(r.field_error("lost_on").as_deref(), Some("请填写有效日期（年-月-日）。"));
    assert_eq!(r.field_value("what").as_deref(), Some("钥匙串"));
    assert_eq!(r.field_value("lost_on").as_deref(), Some("昨天"), "the date as typed, beside its message");
    assert!(r.body.contains(r#"<option value="keys" selected>"#), "the category stays chosen");
    // And a point's form.
    d.app.grant(OFFICER, "rights", "head").await;
    let r = d
        .officer
        .post_form(
            "/d/rights/lost-found/points/add",
            &[
                ("name_zh", "南区"),
                ("name_en", ""),
                ("address", "南区食堂"),
                ("opening_hours", "每天"),
                ("sort_order", "abc"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"南区食堂\""), "typed address kept");
}

#[tokio::test]
async fn a_found_cup_finds_the_student_who_lost_it_and_a_lost_umbrella_finds_the_found_one() {
    let mut d = desk().await;
    let today = today();
    // Reported first: the student is told when the cup is registered.
    let r = d
        .student
        .post_form(
            "/lost-found/lost/new",
            &[
                ("category", "other"),
                ("what", "丢了一个蓝色的保温杯"),
                ("place", "图书馆附近"),
                ("lost_on", &today),
                ("contact", "微信 cup2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let report_page = r.location().unwrap().to_string();
    // Someone else lost headphones: not a match for the cup.
    let other_id = d.app.create_user("2026300003", "别的同学").await;
    let mut other = d.app.browser_signed_in(other_id).await;
    other
        .post_form(
            "/lost-found/lost/new",
            &[("category", "electronics"), ("what", "白色耳机"), ("place", "西区一教"), ("lost_on", &today)],
        )
        .await;
    let cup = d.blue_cup().await;
    let told = notifications(&d.app, STUDENT, "notify.lost.match").await;
    assert_eq!(told, [("丢了一个蓝色的保温杯".to_string(), format!("/lost-found/items/{cup}"))]);
    assert!(notifications(&d.app, "2026300003", "notify.lost.match").await.is_empty(), "headphones are not a cup");
    // The officer sees the suggested match with the owner's private contact; the public never sees the contact.
    let staff = d.officer.get(&format!("/d/rights/lost-found/items/{cup}")).await;
    assert!(staff.body.contains("丢了一个蓝色的保温杯") && staff.body.contains("微信 cup2026"));
    assert!(!d.app.browser().get(&format!("/lost-found/items/{cup}")).await.body.contains("cup2026"));
    assert!(d.student.get(&report_page).await.body.contains(&format!("/lost-found/items/{cup}")));

    // Found first: the report filed afterwards shows it at once.
    let umbrella = d.umbrella().await;
    let r = d
        .student
        .post_form(
            "/lost-found/lost/new",
            &[("category", "umbrella"), ("what", "雨伞 黑色 长柄"), ("place", "图书馆"), ("lost_on", &today)],
        )
        .await;
    let page = d.student.get(r.location().unwrap()).await;
    assert!(page.body.contains(&format!("/lost-found/items/{umbrella}")), "the umbrella is suggested");
    assert!(!page.body.contains(&format!("/lost-found/items/{cup}")), "the cup is not");
    let me = d.student.get("/me").await.body;
    assert!(me.contains("雨伞 黑色 长柄"), "the student's reports are under /me");
    let (newer, older) = (me.find("雨伞 黑色 长柄"), me.find("丢了一个蓝色的保温杯"));
    assert!(older.is_some() && newer < older, "newest first");
    let umbrella_report = page_id(r.location().unwrap());
    assert!(
        me.contains(&format!("href=\"/me/lost/{umbrella_report}\"")) && me.contains("寻找中"),
        "linked, with its status"
    );
    assert!(!me.contains("白色耳机"), "another student's report is not");

    // Reports are their owner's only; the owner closes them.
    let report_id = page_id(r.location().unwrap());
    assert_eq!(other.get(&format!("/me/lost/{report_id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.post_form(&format!("/me/lost/{report_id}/close"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(d.app.browser().get("/lost-found/lost/new").await.status, StatusCode::SEE_OTHER, "login required");
    assert_eq!(d.student.post_form(&format!("/me/lost/{report_id}/close"), &[]).await.status, StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("select status from lost_report where report_id = $1")
        .bind(report_id)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    assert_eq!(status, "closed");
}

/// Who may read students' contacts on lost reports: the desk's own members, and only
/// for a report matched to an item their department holds.
#[tokio::test]
async fn a_lost_reports_contact_reaches_only_the_desk_holding_a_matching_item() {
    let mut d = desk().await;
    // A second desk (another department running lost and found), set up before any page loads the departments.
    sqlx::query("update department set runs_lost_found = true where slug = 'life'").execute(&d.app.db).await.unwrap();
    let life_id = d.app.create_user("2026300011", "生活部员").await;
    d.app.grant("2026300011", "life", "head").await;
    let mut life = d.app.browser_signed_in(life_id).await;
    let presidium_id = d.app.create_user("2026300012", "主席团成员").await;
    d.app.grant_union("2026300012", "presidium").await;
    let mut presidium = d.app.browser_signed_in(presidium_id).await;
    let today = today();
    let filed = d
        .student
        .post_form(
            "/lost-found/lost/new",
            &[
                ("category", "other"),
                ("what", "丢了一个蓝色的保温杯"),
                ("description", "杯底贴着电话 13900001111"),
                ("place", "图书馆附近"),
                ("lost_on", &today),
                ("contact", "微信 cup2026"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER);
    let private = ["cup2026", STUDENT, "丢东西的同学", "13900001111"];
    let shows_private = |body: &str| private.iter().filter(|p| body.contains(*p)).copied().collect::<Vec<_>>();

    // Not matched yet: both desks see what was lost (to spot it), neither sees who or how to reach them.
    for (who, b, path) in [
        ("rights", &mut d.officer, "/d/rights/lost-found/lost-reports"),
        ("life", &mut life, "/d/life/lost-found/lost-reports"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{who}");
        assert!(r.body.contains("丢了一个蓝色的保温杯") && r.body.contains("1390*****11"), "{who}: {}", r.body);
        assert!(shows_private(&r.body).is_empty(), "{who} sees {:?} before any match", shows_private(&r.body));
    }
    // The presidium reads departments' queues, not students' contacts.
    assert_eq!(presidium.get("/d/rights/lost-found/lost-reports").await.status, StatusCode::FORBIDDEN);

    // The rights desk registers the cup: the report matches its item.
    let cup = d.blue_cup().await;
    let rights = d.officer.get("/d/rights/lost-found/lost-reports").await;
    assert_eq!(shows_private(&rights.body), private, "the desk holding the cup reaches its owner");
    let other = life.get("/d/life/lost-found/lost-reports").await;
    assert!(shows_private(&other.body).is_empty(), "life holds nothing of theirs: {:?}", shows_private(&other.body));
    // On the item itself the presidium sees that there is a match, not the reporter's number or contact.
    let item = presidium.get(&format!("/d/rights/lost-found/items/{cup}")).await;
    assert_eq!(item.status, StatusCode::OK);
    assert!(
        item.body.contains("丢了一个蓝色的保温杯") && !item.body.contains("cup2026") && !item.body.contains(STUDENT)
    );
    assert!(d.officer.get(&format!("/d/rights/lost-found/items/{cup}")).await.body.contains("cup2026"));
}

fn page_id(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().expect("id at the end")
}

#[tokio::test]
async fn a_found_card_tells_its_owner_at_once_and_is_masked_in_every_public_output() {
    let mut d = desk().await;
    let owner_id = d.app.create_user(CARD_OWNER, "张三丰").await;
    let point = d.app.point_id("西区第一食堂").await;
    let today = today();
    let card = d
        .app
        .found_item(&point)
        .category("card")
        .found_place("西区第一食堂二楼")
        .field("found_on", &today)
        .card(CARD_OWNER, "张三丰")
        // An officer writes the number into the description too, by habit, in full-width digits.
        .description("校园卡 ２０２１１２３４１２ 张三丰")
        .photo("camera.png", png())
        .by(&mut d.officer)
        .register()
        .await;
    let told = notifications(&d.app, CARD_OWNER, "notify.lost.card_found").await;
    assert_eq!(told.len(), 1, "the owner is told at once");
    assert!(
        told[0].0.contains("西区第一食堂") && told[0].0.contains("每天 11:00–13:00"),
        "with where and when: {}",
        told[0].0
    );
    let mail: i64 = sqlx::query_scalar("select count(*) from mail_outbox where to_address = $1")
        .bind(format!("{CARD_OWNER}@stu.example.edu.cn"))
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    assert_eq!(mail, 1, "and by mail");
    let mut owner = d.app.browser_signed_in(owner_id).await;
    assert!(owner.get(&format!("/lost-found/items/{card}")).await.body.contains("这是你的校园卡"));

    assert_eq!(d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await.status, StatusCode::SEE_OTHER);
    let mut public = d.app.browser();
    let outputs = [
        "/lost-found".to_string(),
        format!("/lost-found?q={}", urlencode("校园卡")),
        format!("/lost-found/items/{card}"),
        "/lost-found/bulletins/57".to_string(),
        "/lost-found/bulletins/57/print".to_string(),
        "/feeds/lost-found.atom".to_string(),
    ];
    for path in &outputs {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.body.contains(CARD_OWNER) && !r.body.contains("张三丰"), "{path} leaks the card's owner");
    }
    for path in &outputs[..5] {
        assert!(public.get(path).await.body.contains("2021****12"), "{path} shows the masked number");
    }
    for ext in ["csv", "xlsx"] {
        let r = d.officer.get(&format!("/d/rights/lost-found/register.{ext}")).await;
        let text = if ext == "csv" { r.body.clone() } else { xlsx_text(&r.bytes) };
        assert!(text.contains("2021****12") && !text.contains(CARD_OWNER) && !text.contains("张三丰"), "{ext}");
    }
    // Searching the full number or the name cannot confirm what the pages hide.
    for q in [CARD_OWNER, "２０２１１２３４１２", "张三丰"] {
        let r = public.get(&format!("/lost-found?q={}", urlencode(q))).await;
        assert!(!r.body.contains(&format!("/lost-found/items/{card}\"")), "search by {q} finds the card");
    }
    // The owner reporting the card lost finds it on their report at once.
    let r = owner
        .post_form(
            "/lost-found/lost/new",
            &[("category", "card"), ("what", "校园卡"), ("place", "食堂"), ("lost_on", &today)],
        )
        .await;
    assert!(owner.get(r.location().unwrap()).await.body.contains(&format!("/lost-found/items/{card}\"")));
    // A card's photo shows the card: not public.
    assert_eq!(public.get(&format!("/lost-found/items/{card}/photo")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(d.officer.get(&format!("/lost-found/items/{card}/photo")).await.status, StatusCode::OK);
    // Only its owner may claim it.
    let path = format!("/d/rights/lost-found/items/{card}/claim");
    let r = d.officer.post_form(&path, &[("claimant_student_no", STUDENT), ("claimant_name", "冒领者")]).await;
    assert_eq!(r.field_error("claimant_student_no").as_deref(), Some("校园卡只能由卡上学号本人认领。"));
    let r = d.officer.post_form(&path, &[("claimant_student_no", CARD_OWNER), ("claimant_name", "张三丰")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_found_cards_name_is_masked_with_spaces_in_pinyin_and_initials_on_every_public_page() {
    let mut d = desk().await;
    d.app.create_user("2022765401", "王思远").await;
    let point = d.app.point_id("西区第一食堂").await;
    let today = today();
    // How officers and finders write a name down: spaced, in pinyin, in initials.
    let written = ["王 思 远", "王 思远", "Wang Siyuan", "wangsiyuan", "Siyuan WANG", "wsy", "W.S.Y."];
    let card = d
        .app
        .found_item(&point)
        .category("card")
        .found_place("西区第一食堂 王 思远 座位旁")
        .field("found_on", &today)
        .card("2022765401", "王思远")
        .description(&format!("校园卡，背面写着 {}", written.join(" / ")))
        .by(&mut d.officer)
        .register()
        .await;
    assert_eq!(d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await.status, StatusCode::SEE_OTHER);
    let mut public = d.app.browser();
    let paths = [
        "/lost-found".to_string(),
        format!("/lost-found/items/{card}"),
        "/lost-found/bulletins/57".to_string(),
        "/lost-found/bulletins/57/print".to_string(),
        "/feeds/lost-found.atom".to_string(),
    ];
    let shown = |body: &str| {
        let lower = body.to_lowercase();
        let squeezed: String = lower.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        let mut leaks: Vec<&str> = written.iter().copied().filter(|w| lower.contains(&w.to_lowercase())).collect();
        leaks.extend(["王思远", "wangsiyuan", "siyuanwang"].into_iter().filter(|w| squeezed.contains(w)));
        leaks
            .extend(["wsy"].into_iter().filter(|w| lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| t == *w)));
        leaks
    };
    for path in &paths {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains("校园卡，背面写着"), "{path} shows the item");
        assert!(shown(&r.body).is_empty(), "{path} shows {:?}", shown(&r.body));
    }
    // Nor does a search by any of them find the card.
    for q in ["wangsiyuan", "Wang Siyuan", "wsy", "王 思 远"] {
        let r = public.get(&format!("/lost-found?q={}", urlencode(q))).await;
        assert!(!r.body.contains(&format!("/lost-found/items/{card}\"")), "search by {q} finds the card");
    }
}

/// Every cell of the first sheet, joined.
fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("\t")).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn the_register_exports_read_back_as_csv_and_xlsx() {
    let mut d = desk().await;
    let a = d.umbrella().await;
    let point = d.app.point_id("北区24栋").await;
    let today = today();
    // A value a spreadsheet would run as a formula stays text.
    d.app
        .found_item(&point)
        .category("books")
        .description("=HYPERLINK(\"x\")《高等数学》")
        .found_place("24栋楼下")
        .field("found_on", &today)
        .by(&mut d.officer)
        .register()
        .await;
    let page = d.officer.get("/d/rights/lost-found/register").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("黑色雨伞") && page.body.contains("《高等数学》"));

    let csv = d.officer.get("/d/rights/lost-found/register.csv").await;
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.header("content-disposition").is_some_and(|c| c.starts_with("attachment")));
    let text = csv.body.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "编号");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a valid row")).collect();
    assert_eq!(rows.len(), 2);
    let umbrella = rows.iter().find(|r| r[0] == a.to_string()).expect("the umbrella's row");
    assert_eq!((&umbrella[2], &umbrella[3], &umbrella[4], &umbrella[9]), ("北区图书馆", "雨伞", "黑色雨伞", "在库"));
    assert!(rows.iter().any(|r| r[4].starts_with("'=HYPERLINK")), "formula defused");

    let xlsx = d.officer.get("/d/rights/lost-found/register.xlsx").await;
    assert_eq!(xlsx.header("content-type"), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let text = xlsx_text(&xlsx.bytes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "headings and two items");
    assert!(lines[0].starts_with("编号\t登记时间\t存放地点"));
    assert!(text.contains("黑色雨伞") && text.contains("=HYPERLINK"));

    // One point and a date range: the other point's item and other days are left out.
    let only = d.officer.get(&format!("/d/rights/lost-found/register.csv?point={point}&from={today}&to={today}")).await;
    assert!(only.body.contains("《高等数学》") && !only.body.contains("黑色雨伞"));
    let yesterday = (union_portal::web::forms::today() - Duration::days(1)).to_string();
    let none = d.officer.get(&format!("/d/rights/lost-found/register.csv?from={yesterday}&to={yesterday}")).await;
    assert_eq!(none.body.lines().count(), 1, "headings only");
}

#[tokio::test]
async fn bulletins_are_numbered_from_the_configured_start_and_carry_everything_new() {
    let mut d = desk_with(|c| c.first_bulletin = 57).await;
    let r = d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "nothing to publish yet");
    let a = d.umbrella().await;
    let b = d.umbrella().await;
    let r = d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.location(), Some("/lost-found/bulletins/57"));
    let page = d.app.browser().get("/lost-found/bulletins/57").await;
    assert!(
        page.body.contains(&format!("/lost-found/items/{a}")) && page.body.contains(&format!("/lost-found/items/{b}"))
    );
    assert!(page.body.contains("第57期"));
    let print = d.app.browser().get("/lost-found/bulletins/57/print").await;
    assert!(print.body.contains("class=\"sheet\"") && print.body.contains("北区图书馆一楼总服务台"));
    let c = d.umbrella().await;
    // Returned before the next bulletin: not announced on the notice boards.
    let gone = d.umbrella().await;
    d.officer.post_form(&format!("/d/rights/lost-found/items/{gone}/return"), &[("note", "失主当场取走")]).await;
    assert_eq!(d.status_of(gone).await, "returned");
    assert_eq!(
        d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await.location(),
        Some("/lost-found/bulletins/58")
    );
    assert!(!d
        .app
        .browser()
        .get("/lost-found/bulletins/58")
        .await
        .body
        .contains(&format!("/lost-found/items/{gone}\"")));
    let page58 = d.app.browser().get("/lost-found/bulletins/58").await;
    assert!(
        page58.body.contains(&format!("/lost-found/items/{c}"))
            && !page58.body.contains(&format!("/lost-found/items/{a}\""))
    );
    let feed = d.app.browser().get("/feeds/lost-found.atom").await;
    assert_eq!(feed.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    let parsed = atom_syndication::Feed::read_from(feed.body.as_bytes()).expect("valid Atom");
    let titles: Vec<&str> = parsed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["失物招领第58期（1件）", "失物招领第57期（2件）"]);
    let r = d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the returned umbrella alone is nothing to publish");
    assert_eq!(d.app.browser().get("/lost-found/bulletins/59").await.status, StatusCode::NOT_FOUND);
    assert_eq!(d.app.browser().get("/lost-found/bulletins/abc").await.status, StatusCode::NOT_FOUND);

    let later = desk_with(|c| c.first_bulletin = 200).await;
    let mut later = later;
    later.umbrella().await;
    let r = later.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    assert_eq!(r.location(), Some("/lost-found/bulletins/200"), "the first number is configurable");
}

/// The ids of the items a page links to, in the page's order.
fn item_links(body: &str) -> Vec<i64> {
    let mut ids = vec![];
    for part in body.split("href=\"/lost-found/items/").skip(1) {
        let id = part.split('"').next().and_then(|s| s.parse().ok());
        if let Some(id) = id.filter(|id| ids.last() != Some(id)) {
            ids.push(id);
        }
    }
    ids
}

#[tokio::test]
async fn a_bulletins_pages_follow_the_points_order_fifty_items_a_page() {
    let mut d = desk().await;
    let library = d.umbrella().await;
    let building = d.app.point_id("西区第一教学楼").await;
    let teaching = d.app.found_item(&building).by(&mut d.officer).register().await;
    // Thirty at each point; the library (a later point id) is put first in the points' order.
    for item in [library, teaching] {
        sqlx::query(
            "insert into found_item (department_id, point_id, category, description, colour, found_place, found_on,
                                     status, registered_by, registered_at, search_doc)
             select department_id, point_id, category, description, colour, found_place, found_on,
                    status, registered_by, registered_at, search_doc
             from found_item, generate_series(1, 29) where item_id = $1",
        )
        .bind(item)
        .execute(&d.app.db)
        .await
        .unwrap();
    }
    sqlx::query("update collection_point set sort_order = 5 where name_zh = '北区图书馆'")
        .execute(&d.app.db)
        .await
        .unwrap();
    // Written by hand: forget the kept points as the points page does (the trigger tells the others).
    d.app.state.cached.changed("collection_point");
    let r = d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    let bulletin = r.location().expect("published").to_string();
    let point_of = |id: i64| format!("select point_id from found_item where item_id = {id}");
    let (library_point, building_point) =
        (d.app.scalar(&point_of(library)).await, d.app.scalar(&point_of(teaching)).await);
    let mut points = vec![];
    for page in ["", "?page=2"] {
        let ids = item_links(&d.app.browser().get(&format!("{bulletin}{page}")).await.body);
        for id in &ids {
            points.push(d.app.scalar(&point_of(*id)).await);
        }
        assert_eq!(ids.len(), if page.is_empty() { 50 } else { 10 }, "{page}");
    }
    let expected: Vec<i64> = [vec![library_point; 30], vec![building_point; 30]].concat();
    assert_eq!(points, expected, "the library's thirty, then the teaching building's, across both pages");
}

/// The points are kept a few seconds (`all_points`): an item at a point newer than the kept
/// list must still be on its bulletin's page, not left out with its unknown point.
#[tokio::test]
async fn a_bulletins_item_at_a_point_newer_than_the_kept_points_is_still_shown() {
    let mut d = desk().await;
    let item = d.umbrella().await;
    let r = d.officer.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    let bulletin = r.location().expect("published").to_string();
    assert_eq!(item_links(&d.app.browser().get(&bulletin).await.body), vec![item]);
    // A new point, and the item moved there, by hand: nothing forgets the kept points.
    d.app
        .execute(&format!(
            "insert into collection_point (department_id, name_zh, name_en, address, opening_hours)
             select department_id, '南区新服务点', 'South', '南区食堂一楼', '每天 8:00–20:00' from department where slug = 'rights';
             update found_item set point_id = (select max(point_id) from collection_point) where item_id = {item}"
        ))
        .await;
    let page = d.app.browser().get(&bulletin).await.body;
    assert_eq!(item_links(&page), vec![item], "the item is still listed");
    assert!(page.contains("南区新服务点"), "under its new point");
}

#[tokio::test]
async fn concurrent_publication_from_two_processes_gives_consecutive_numbers_without_gaps() {
    let d = desk().await;
    // A second portal process: its own pool and router over the same database.
    let second_pool =
        sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&d.app.db_url).await.expect("second pool");
    let second = union_portal::app::AppState::new(second_pool, d.app.state.config.as_ref().clone());
    let rights: i64 = sqlx::query_scalar("select department_id from department where slug = 'rights'")
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    let officer: i64 = sqlx::query_scalar("select user_id from app_user where student_no = $1")
        .bind(OFFICER)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    let point: i64 = d.app.point_id("北区图书馆").await.parse().unwrap();
    // Twenty rounds of register-then-publish, racing across both processes.
    let mut tasks = vec![];
    for i in 0..20 {
        let state = if i % 2 == 0 { d.app.state.clone() } else { second.clone() };
        tasks.push(tokio::spawn(async move {
            let values = union_portal::lost_found::forms::ItemValues {
                point_id: point,
                category: "umbrella".into(),
                description: format!("雨伞{i}"),
                colour: String::new(),
                found_place: "图书馆".into(),
                found_on: union_portal::web::forms::today(),
                card_student_no: None,
                card_name: String::new(),
            };
            union_portal::lost_found::register_item(&state, rights, officer, &values, None).await.expect("registered");
            union_portal::lost_found::bulletins::publish_next(&state.db, rights, officer, 57).await.expect("no error")
        }));
    }
    let mut numbers = vec![];
    for t in tasks {
        if let Some((n, _)) = t.await.expect("task") {
            numbers.push(n);
        }
    }
    numbers.sort();
    assert!(!numbers.is_empty());
    let expected: Vec<i32> = (57..57 + numbers.len() as i32).collect();
    assert_eq!(numbers, expected, "distinct, consecutive, from 57");
    let (items, unpublished, total): (i64, i64, i64) = sqlx::query_as(
        "select (select coalesce(sum(item_count), 0)::bigint from bulletin),
                (select count(*) from found_item where bulletin_id is null), (select count(*) from found_item)",
    )
    .fetch_one(&d.app.db)
    .await
    .unwrap();
    assert_eq!((items, unpublished, total), (20, 0, 20), "every item in exactly one bulletin");
}

#[tokio::test]
async fn expired_items_are_listed_announced_and_disposed_of_only_when_confirmed() {
    let mut d = desk().await;
    let old = d.umbrella().await;
    let fresh = d.umbrella().await;
    let r = d.officer.post_form(&format!("/d/rights/lost-found/items/{old}/dispose"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "not expired yet");
    sqlx::query("update found_item set registered_at = now() - interval '91 days' where item_id = $1")
        .bind(old)
        .execute(&d.app.db)
        .await
        .unwrap();
    let total = union_portal::lost_found::retention::run_daily(&d.app.state, chrono::Utc::now()).await.expect("job");
    assert_eq!(total, 1);
    let told = notifications(&d.app, OFFICER, "notify.lost.expired").await;
    assert_eq!(told, [("1".to_string(), "/d/rights/lost-found/expired".to_string())]);
    let list = d.officer.get("/d/rights/lost-found/expired").await;
    assert!(list.body.contains(&format!("/d/rights/lost-found/items/{old}\"")));
    assert!(!list.body.contains(&format!("/d/rights/lost-found/items/{fresh}\"")));
    assert_eq!(d.status_of(old).await, "held", "listing disposes of nothing");
    // The confirmation disposes only of what was listed and is still held and expired.
    let ids = format!("{old},{fresh}");
    let r = d.officer.post_form("/d/rights/lost-found/expired/dispose", &[("ids", &ids)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!((d.status_of(old).await.as_str(), d.status_of(fresh).await.as_str()), ("disposed", "held"));
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'lost_item.dispose'")
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_department_without_lost_and_found_has_no_desk_and_cannot_touch_items() {
    let mut d = desk().await;
    let item = d.umbrella().await;
    let head_id = d.app.create_user("2026300009", "生活部部长").await;
    d.app.grant("2026300009", "life", "head").await;
    let mut head = d.app.browser_signed_in(head_id).await;
    assert_eq!(head.get("/d/life/lost-found").await.status, StatusCode::NOT_FOUND);
    assert_eq!(head.get(&format!("/d/life/lost-found/items/{item}")).await.status, StatusCode::NOT_FOUND);
    let r = head.post_form(&format!("/d/life/lost-found/items/{item}/return"), &[("note", "x")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(d.status_of(item).await, "held");
}

#[tokio::test]
async fn overlong_searches_impossible_dates_and_huge_photos_get_answers_not_errors() {
    let mut d = desk().await;
    let long = "a".repeat(3000);
    let kana = "ア".repeat(1000);
    for path in [
        format!("/lost-found?q={long}"),
        format!("/lost-found?q={}", urlencode(&kana)),
        format!("/complaints?q={long}"),
        "/lost-found?from=-5000-01-01&to=+262143-12-31".to_string(),
        "/lost-found?point=99999999999999999999&before=-1&category=%00".to_string(),
        "/lost-found/items/99999999999999999999".to_string(),
        "/lost-found/bulletins/99999999999".to_string(),
    ] {
        assert!(!d.app.browser().get(&path).await.status.is_server_error(), "{path}");
    }
    for path in [
        "/d/rights/lost-found/register?from=-5000-01-01&to=-262143-01-01",
        "/d/rights/lost-found/register.csv?to=-262143-01-01",
    ] {
        assert_eq!(d.officer.get(path).await.status, StatusCode::OK, "{path}");
    }
    // A lost report of a thousand kana (one overlong "word") is saved, not a 500.
    let today = today();
    let r = d
        .student
        .post_form(
            "/lost-found/lost/new",
            &[("category", "other"), ("what", "本"), ("place", "图书馆"), ("lost_on", &today), ("description", &kana)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A phone photo over 5 MB: a message beside the field, the rest kept.
    let point = d.app.point_id("北区图书馆").await;
    let big = vec![0xFFu8; 6 * 1024 * 1024];
    let fields = [
        ("point", point.as_str()),
        ("category", "keys"),
        ("description", "钥匙串"),
        ("found_place", "图书馆"),
        ("found_on", today.as_str()),
    ];
    let r = d.officer.post_multipart("/d/rights/lost-found/items", &fields, &[("photo", "big.jpg", &big)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("photo").is_some_and(|e| e.contains("5 MB")));
    assert_eq!(r.field_value("description").as_deref(), Some("钥匙串"));
}
