//! A link pasted into a chat shows a card (Open Graph: title, description, picture, address),
//! and the portal installs on a phone's home screen (the web app manifest and its icons).

use axum::http::StatusCode;

use crate::{
    helpers::{Browser, TestApp, TestResponse},
    security::authz::{world, ROLES, TABLE},
};

/// The `content` of the page's `<meta property|name="…">`.
fn meta(page: &TestResponse, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(&page.body);
    let sel = scraper::Selector::parse(&format!("meta[property=\"{name}\"], meta[name=\"{name}\"]")).unwrap();
    doc.select(&sel).next().and_then(|m| m.value().attr("content").map(str::to_string))
}

/// The `href` of the page's `<link rel="…">`.
fn link(page: &TestResponse, rel: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(&page.body);
    let sel = scraper::Selector::parse(&format!("link[rel=\"{rel}\"]")).unwrap();
    doc.select(&sel).next().and_then(|m| m.value().attr("href").map(str::to_string))
}

/// A PNG served from `path` as a versioned, cacheable image: its width and height.
async fn png_at(b: &mut Browser, path: &str) -> (u32, u32) {
    let r = b.get(path).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    assert_eq!(r.header("content-type"), Some("image/png"), "{path}");
    assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"), "{path} names its version");
    let reader = png::Decoder::new(std::io::Cursor::new(r.bytes)).read_info().expect("a PNG");
    let info = reader.info();
    (info.width, info.height)
}

/// A colour of static/app.css's `:root`, such as `--brand`.
fn css_colour(name: &str) -> String {
    let css = include_str!("../../static/app.css");
    let from = css.find(&format!("{name}: ")).expect("the colour in app.css") + name.len() + 2;
    css[from..from + 7].to_string()
}

#[tokio::test]
async fn every_page_carries_a_card_with_its_title_a_description_and_the_portals_picture() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let home = b.get("/").await;
    assert_eq!(meta(&home, "og:type").as_deref(), Some("website"));
    assert_eq!(meta(&home, "og:site_name").as_deref(), Some("学生会门户"));
    assert_eq!(meta(&home, "og:url").as_deref(), Some("http://portal.test/"));
    assert_eq!(meta(&home, "twitter:card").as_deref(), Some("summary_large_image"));
    let description = meta(&home, "og:description").unwrap();
    assert!(description.contains("失物招领"), "{description}");
    assert_eq!(meta(&home, "description"), Some(description), "search engines read the same words");
    let image = meta(&home, "og:image").unwrap();
    let path = image.strip_prefix("http://portal.test").expect("an absolute URL, as chat apps need");
    assert_eq!(png_at(&mut b, path).await, (1200, 630));

    let lost = b.get("/lost-found").await;
    assert_eq!(meta(&lost, "og:title").as_deref(), Some("失物招领"), "the page's own title");
    let login = b.get("/login?next=%2Fme").await;
    assert_eq!(meta(&login, "og:url").as_deref(), Some("http://portal.test/login?next=%2Fme"));
}

#[tokio::test]
async fn a_complaint_an_item_an_event_and_a_reception_day_describe_themselves_without_saying_who_filed() {
    let mut w = world().await;
    let anonymous = ROLES.iter().position(|r| *r == "anonymous").unwrap();
    // (the table's path, what its card must say)
    let pages: [(&str, &[&str]); 4] = [
        ("/complaints/{public_no}", &["食堂饭菜有异物", "已提交", "食堂", "权益服务部"]),
        ("/lost-found/items/{item_id}", &["雨伞", "黑色雨伞", "图书馆"]),
        ("/events/{event_id}", &["西二食堂", "名额 2 个", "公开抽签"]),
        ("/reception/{code}", &["行政楼", "食堂"]),
    ];
    for (attempt, (path, says)) in pages.into_iter().enumerate() {
        let row = TABLE.iter().find(|r| r.path == path && r.method == "GET").unwrap();
        let (filled, _) = w.prepare(row, 2000 + attempt).await;
        let page = w.browsers[anonymous].get(&filled).await;
        assert_eq!(page.status, StatusCode::OK, "{filled}");
        let description = meta(&page, "og:description").unwrap();
        for words in says {
            assert!(description.contains(words), "{filled}'s card says {words}: {description}");
        }
        assert!(!description.contains("投诉人") && !description.contains(crate::security::authz::OWNER_NO));
        assert_eq!(meta(&page, "og:url"), Some(format!("http://portal.test{filled}")));
    }
    let no = w.complaint(true, false).await;
    sqlx::query("update complaint set is_anonymous = true where tracking_no = $1")
        .bind(&no)
        .execute(&w.app.db)
        .await
        .unwrap();
    let page = w.browsers[anonymous].get(&format!("/complaints/{no}")).await;
    let description = meta(&page, "og:description").unwrap();
    assert!(description.contains(&no) && !description.contains("投诉人"), "{description}");
}

#[tokio::test]
async fn the_portal_installs_on_a_home_screen_with_its_name_colours_and_icons() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let home = b.get("/").await;
    assert_eq!(link(&home, "manifest").as_deref(), Some("/manifest.webmanifest"));
    assert_eq!(meta(&home, "theme-color"), Some(css_colour("--brand")));
    let touch = link(&home, "apple-touch-icon").unwrap();
    assert_eq!(png_at(&mut b, &touch).await, (180, 180));

    let r = b.get("/manifest.webmanifest").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/manifest+json"));
    let m: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(m["name"], "学生会门户");
    assert_eq!(m["short_name"], "学生会");
    assert_eq!(m["start_url"], "/");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["theme_color"], css_colour("--brand"));
    assert_eq!(m["background_color"], css_colour("--bg"));
    let icons = m["icons"].as_array().expect("icons");
    let mut seen = vec![];
    for icon in icons {
        let (src, sizes, purpose) = (icon["src"].as_str().unwrap(), icon["sizes"].as_str().unwrap(), &icon["purpose"]);
        assert_eq!(icon["type"], "image/png");
        let (w, h) = png_at(&mut b, src).await;
        assert_eq!(format!("{w}x{h}"), sizes, "{src} is as large as it says");
        seen.push(format!("{sizes} {}", purpose.as_str().unwrap()));
    }
    assert_eq!(seen, ["192x192 any", "512x512 any", "512x512 maskable"]);

    let english = b.send(axum::http::Method::GET, "/manifest.webmanifest", None, &[("cookie", "lang=en")]).await;
    let m: serde_json::Value = serde_json::from_str(&english.body).expect("JSON");
    assert_eq!(m["name"], "Student Union Portal", "named in the student's language");
    assert_eq!(english.header("vary"), Some("cookie"));
}
