//! What a new user sees first: `seed-demo` fills every lost-and-found page (a
//! bulletin on its list, its page and the feed; found items with photos, shown as
//! thumbnails on the public list but never a card's), and a feed with nothing in it
//! yet says it was updated now, not in 1970.

use axum::http::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::TestApp;

#[tokio::test]
async fn seed_demo_publishes_a_bulletin_and_photographs_its_found_items_shown_on_the_list_except_the_card() {
    let app = TestApp::spawn().await;
    union_portal::cli::demo::seed(&app.state).await.expect("seed");
    union_portal::cli::demo::seed(&app.state).await.expect("seed again");
    let bulletins: Vec<i32> = sqlx::query_scalar("select number from bulletin").fetch_all(&app.db).await.unwrap();
    assert_eq!(bulletins.len(), 1, "one bulletin, not one per run");
    let number = bulletins[0];
    let (items, without_photo, unpublished): (i64, i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where photo_name is null or thumb_name is null),
                count(*) filter (where bulletin_id is null)
         from found_item",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((items, without_photo), (8, 0), "every demo item has a photo, added once");
    assert!(unpublished > 0 && unpublished < items, "today's intake waits for the next bulletin");

    let mut public = app.browser();
    let link = format!("/lost-found/bulletins/{number}");
    let list = public.get("/lost-found/bulletins").await;
    assert!(list.body.contains(&format!("href=\"{link}\"")), "the bulletin is listed: {}", list.body);
    let page = public.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/lost-found/items/"), "with its items");
    let feed = public.get("/feeds/lost-found.atom").await;
    let feed = atom_syndication::Feed::read_from(feed.body.as_bytes()).expect("valid Atom");
    assert_eq!(feed.entries().len(), 1);
    assert!(feed.entries()[0].links().iter().any(|l| l.href().ends_with(&link)), "the feed announces it");

    // The public list: a thumbnail beside each item, never beside the card.
    let list = public.get("/lost-found").await;
    assert!(list.bytes.len() < 60 * 1024, "the list is {} bytes", list.bytes.len());
    let categories: Vec<(i64, String)> =
        sqlx::query_as("select item_id, category from found_item").fetch_all(&app.db).await.unwrap();
    let doc = Html::parse_document(&list.body);
    let (card_sel, link_sel, img_sel) =
        (Selector::parse("li.item-card").unwrap(), Selector::parse("h2 a").unwrap(), Selector::parse("img").unwrap());
    let mut seen = 0;
    for card in doc.select(&card_sel) {
        let href = card.select(&link_sel).next().and_then(|a| a.value().attr("href")).expect("a link");
        let id: i64 = href.trim_start_matches("/lost-found/items/").parse().expect("an item link");
        let category = &categories.iter().find(|(i, _)| *i == id).expect("a demo item").1;
        let img = card.select(&img_sel).next();
        if category == "card" {
            assert!(img.is_none(), "no photo for the campus card");
            let photo = public.get(&format!("/lost-found/items/{id}/photo?size=thumb")).await;
            assert_eq!(photo.status, StatusCode::NOT_FOUND);
            continue;
        }
        let img = img.unwrap_or_else(|| panic!("item {id} ({category}) shows its thumbnail"));
        let src = img.attr("src").expect("src");
        assert_eq!(src, format!("/lost-found/items/{id}/photo?size=thumb"));
        let heading = card.select(&link_sel).next().expect("heading").text().collect::<String>();
        let alt = img.attr("alt").expect("alt");
        assert!(alt.starts_with("物品照片 · ") && alt.ends_with(heading.trim()), "alt {alt:?} names {heading:?}");
        assert_eq!(
            (img.attr("width"), img.attr("height"), img.attr("loading")),
            (Some("96"), Some("96"), Some("lazy"))
        );
        let thumb = public.get(src).await;
        assert_eq!((thumb.status, thumb.header("content-type")), (StatusCode::OK, Some("image/jpeg")));
        let decoded = image::load_from_memory(&thumb.bytes).expect("a picture");
        assert!(decoded.width() > 96 && decoded.height() > 96, "big enough for the 96-pixel box");
        seen += 1;
    }
    assert_eq!(seen, 7, "the seven demo items that are not cards");
}

#[tokio::test]
async fn an_empty_feed_says_it_was_updated_now() {
    let app = TestApp::spawn().await;
    let mut public = app.browser();
    for path in ["/feeds/lost-found.atom", "/feeds/reception.atom", "/feeds/events.atom"] {
        let r = public.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let feed = atom_syndication::Feed::read_from(r.body.as_bytes()).expect("valid Atom");
        assert!(feed.entries().is_empty(), "{path} has nothing yet");
        let age = chrono::Utc::now().signed_duration_since(*feed.updated());
        assert!(age.num_seconds().abs() < 300, "{path} updated {}", feed.updated());
    }
}

#[tokio::test]
async fn seed_demo_gives_two_offices_liaisons_and_a_term_of_office_figures() {
    let app = TestApp::spawn().await;
    union_portal::cli::demo::seed(&app.state).await.expect("seed");
    union_portal::cli::demo::seed(&app.state).await.expect("seed again");
    let liaisons: Vec<String> = sqlx::query_scalar(
        "select o.name_zh from office_liaison l join school_office o using (office_id) order by o.sort_order",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(liaisons, ["后勤处", "宿舍管理中心"]);
    let page = app.browser().get("/offices/logistics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("学校部门联络人直接答复"));
    // Answered after 1, 2 and 4 days (in time) and 9 (late), one waiting past its deadline: 3 of 5.
    assert!(page.body.contains("60%") && page.body.contains("3/5"), "answered in time: {}", page.body);
    assert!(page.body.contains("教学区饮水机长期故障") && page.body.contains("已超期"), "one waits past its deadline");
    let liaison: i64 = sqlx::query_scalar("select user_id from app_user where student_no = 'T20190001'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let desk = app.browser_signed_in(liaison).await.get("/office").await;
    assert!(desk.body.contains("西二食堂晚餐窗口开放太少"), "the liaison's desk lists the office's cases");
    assert!(desk.body.contains("两周内更换教学楼7号楼全部饮水机滤芯"), "and the commitment the liaison answers for");
    // Two promises made on cases' pages, each with an owner: 后勤处's liaison, and a rights member.
    let promises: Vec<(Option<String>, String)> = sqlx::query_as(
        "select o.name_zh, u.student_no from commitment m left join school_office o using (office_id)
         join app_user u on u.user_id = m.owner_id where m.minute_id is null order by m.commitment_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(promises, [(None, "2025010003".into()), (Some("后勤处".into()), "T20190001".into())]);
}
