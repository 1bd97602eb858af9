//! Students report things they found (issue 19 §5): nothing is public until an officer of the
//! lost-and-found desk confirms it at the point; confirming registers the item (public, photo
//! without metadata), declining tells the student why; only the reporter reads their report.

use axum::http::StatusCode;

use crate::complaints::{has_exif, jpeg_with_gps};
use crate::helpers::{Browser, TestApp};

struct Desk {
    app: TestApp,
    finder: Browser,
    other: Browser,
    officer: Browser,
    point: String,
}

async fn desk() -> Desk {
    let app = TestApp::spawn().await;
    let finder = app.create_user("2026198001", "拾金同学").await;
    let other = app.create_user("2026198002", "旁观同学").await;
    let officer = app.create_user("2026198003", "权益部员").await;
    app.grant("2026198003", "rights", "member").await;
    let point: i64 = sqlx::query_scalar(
        "select point_id from collection_point p join department d using (department_id) where d.slug = 'rights'
         order by p.sort_order limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    Desk {
        finder: app.browser_signed_in(finder).await,
        other: app.browser_signed_in(other).await,
        officer: app.browser_signed_in(officer).await,
        point: point.to_string(),
        app,
    }
}

fn today() -> String {
    union_portal::web::forms::today().to_string()
}

/// The finder reports a blue umbrella handed in at the point, with a phone photo; its offer id.
async fn report(d: &mut Desk, what: &str) -> i64 {
    let today = today();
    let fields = [
        ("category", "umbrella"),
        ("description", what),
        ("colour", "蓝"),
        ("found_place", "图书馆三楼自习室"),
        ("found_on", today.as_str()),
        ("point", d.point.as_str()),
    ];
    let r = d.finder.post_multipart("/lost-found/found/new", &fields, &[("photo", "a.jpg", &jpeg_with_gps())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.location().unwrap_or_default();
    to.trim_start_matches("/me/found/").parse().expect("to the student's own report")
}

#[tokio::test]
async fn a_found_thing_is_public_only_once_an_officer_confirms_it_at_the_point() {
    let mut d = desk().await;
    let offer = report(&mut d, "蓝色折叠伞带挂绳").await;
    assert_eq!(d.app.notified("2026198003", "notify.lost.offer_new").await, 1, "the desk is told");
    // Not public: not on the list, not in a search; only the finder reads it.
    let mut public = d.app.browser();
    assert!(!public.get("/lost-found").await.body.contains("蓝色折叠伞带挂绳"));
    assert!(!public.get("/lost-found?q=%E6%8A%98%E5%8F%A0%E4%BC%9E").await.body.contains("蓝色折叠伞带挂绳"));
    assert_eq!(d.other.get(&format!("/me/found/{offer}")).await.status, StatusCode::NOT_FOUND);
    let mine = d.finder.get(&format!("/me/found/{offer}")).await;
    assert!(mine.body.contains("待工作人员确认"), "{}", mine.body);
    let me = d.finder.get("/me").await.body;
    assert!(me.contains("蓝色折叠伞带挂绳"), "listed under /me");
    assert!(
        me.contains(&format!("href=\"/me/found/{offer}\"")) && me.contains("待工作人员确认"),
        "linked, with its status"
    );

    // The officer confirms it when it arrives; an empty description is refused beside the field.
    let page = d.officer.get("/d/rights/lost-found/offers").await;
    assert!(page.body.contains("蓝色折叠伞带挂绳") && page.body.contains("图书馆三楼自习室"));
    assert!(!page.body.contains("拾金同学"), "the desk decides on the thing, not on who found it");
    let confirm = format!("/d/rights/lost-found/offers/{offer}/confirm");
    let r = d.officer.post_form(&confirm, &[("point", d.point.as_str()), ("description", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("description").is_some());
    let r =
        d.officer.post_form(&confirm, &[("point", d.point.as_str()), ("description", "蓝色折叠伞（带挂绳）")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let item: i64 = sqlx::query_scalar("select item_id from found_offer where offer_id = $1")
        .bind(offer)
        .fetch_one(&d.app.db)
        .await
        .unwrap();
    let shown = public.get(&format!("/lost-found/items/{item}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.body.contains("蓝色折叠伞（带挂绳）") && !shown.body.contains("拾金同学"),
        "public, the finder unnamed"
    );
    let photo = public.get(&format!("/lost-found/items/{item}/photo")).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert!(!has_exif(&photo.bytes), "the photo lost its metadata");
    assert_eq!(d.app.notified("2026198001", "notify.lost.offer_confirmed").await, 1, "the finder is told");
    assert!(d.finder.get(&format!("/me/found/{offer}")).await.body.contains(&format!("/lost-found/items/{item}")));
    // Decided once: a second click finds nothing pending.
    let r = d.officer.post_form(&confirm, &[("point", d.point.as_str()), ("description", "再确认")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let items: i64 = sqlx::query_scalar("select count(*) from found_item").fetch_one(&d.app.db).await.unwrap();
    assert_eq!(items, 1);
}

#[tokio::test]
async fn bad_input_keeps_what_was_typed_and_keeping_it_needs_a_way_to_reach_the_finder() {
    let mut d = desk().await;
    let tomorrow = (union_portal::web::forms::today() + chrono::Duration::days(1)).to_string();
    let mut fields = vec![
        ("category", "keys"),
        ("description", "一串钥匙挂小熊"),
        ("found_place", "东区操场看台"),
        ("found_on", tomorrow.as_str()),
        ("point", "keep"),
    ];
    let r = d.finder.post_multipart("/lost-found/found/new", &fields, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("found_on").is_some(), "not in the future");
    assert!(r.field_error("keeper_contact").is_some(), "keeping it needs a contact");
    assert!(r.body.contains("一串钥匙挂小熊") && r.body.contains("东区操场看台"), "what was typed stays");
    assert_eq!(r.field_value("found_on").as_deref(), Some(tomorrow.as_str()), "the date as typed");
    assert!(r.body.contains(r#"<option value="keys" selected>"#), "the category stays chosen");
    fields[4] = ("point", "");
    let r = d.finder.post_multipart("/lost-found/found/new", &fields, &[]).await;
    assert_eq!(r.field_error("point").as_deref(), Some("请选择交到哪个招领点，或选择自己先保管。"));
    let today = today();
    let fields = [
        fields[0],
        fields[1],
        fields[2],
        ("found_on", today.as_str()),
        ("point", "keep"),
        ("keeper_contact", "微信 keys-finder"),
    ];
    let r = d.finder.post_multipart("/lost-found/found/new", &fields, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = d.officer.get("/d/rights/lost-found/offers").await.body;
    assert!(page.contains("微信 keys-finder"), "the desk sees how to reach a finder who keeps it");
    assert!(!d.app.browser().get("/lost-found").await.body.contains("一串钥匙挂小熊"));
}

#[tokio::test]
async fn a_declined_report_tells_the_finder_why_and_leaves_the_desk() {
    let mut d = desk().await;
    let offer = report(&mut d, "黑色充电宝").await;
    let decline = format!("/d/rights/lost-found/offers/{offer}/decline");
    let r = d.officer.post_form(&decline, &[("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("reason").is_some());
    let r = d.officer.post_form(&decline, &[("reason", "三天内没有交到招领点，请交来后重新登记")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(d.app.notified("2026198001", "notify.lost.offer_declined").await, 1);
    let mine = d.finder.get(&format!("/me/found/{offer}")).await.body;
    assert!(mine.contains("三天内没有交到招领点") && mine.contains("未被确认"), "{mine}");
    assert!(!d.officer.get("/d/rights/lost-found/offers").await.body.contains("黑色充电宝"));
    assert!(!d.app.browser().get("/lost-found").await.body.contains("黑色充电宝"));
    // Declined is final: it cannot be confirmed afterwards.
    let r = d
        .officer
        .post_form(
            &format!("/d/rights/lost-found/offers/{offer}/confirm"),
            &[("point", d.point.as_str()), ("description", "充电宝")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
