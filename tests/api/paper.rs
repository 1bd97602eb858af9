//! Paper that leads back to the page: every print layout, poster and receipt carries a QR
//! code that a real decoder (rqrr) reads as the absolute URL of its page, with that URL in
//! text beside it; the posters say what a passer-by needs; a receipt names nobody when the
//! complaint is anonymous.

use axum::http::StatusCode;
use chrono::Duration;

use crate::{
    helpers::{TestApp, TestResponse},
    security::authz::{world, ROLES, TABLE},
};

/// The QR codes of a page (`web::qr`'s `<svg class="qr-code">`), each read back from its
/// pixels as a phone would: rasterised from the SVG's path, then decoded by rqrr.
pub fn qr_codes(html: &str) -> Vec<String> {
    html.split("<svg class=\"qr-code\"")
        .skip(1)
        .map(|svg| decode(&svg[..svg.find("</svg>").unwrap_or(svg.len())]))
        .collect()
}

/// Pixels per module: enough for the decoder to find the finder patterns.
const SCALE: usize = 4;

fn decode(svg: &str) -> String {
    let size: usize =
        attribute(svg, "viewBox=\"0 0 ").split(' ').next().unwrap_or("").parse().expect("a square viewBox");
    let d = attribute(svg, " d=\"");
    let mut dark = vec![false; size * size];
    for (x0, y0, x1, y1) in rectangles(d) {
        for y in y0..y1 {
            for x in x0..x1 {
                dark[y * size + x] = true;
            }
        }
    }
    let px = size * SCALE;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(
            px,
            px,
            |x, y| {
                if dark[(y / SCALE) * size + x / SCALE] {
                    0
                } else {
                    255
                }
            },
        );
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    match grids[0].decode() {
        Ok((_, content)) => content,
        Err(e) => panic!("the QR code does not decode: {e:?}"),
    }
}

/// The value of an attribute, from just after `start` to its closing quote.
fn attribute<'a>(svg: &'a str, start: &str) -> &'a str {
    let from = svg.find(start).map(|i| i + start.len()).unwrap_or_else(|| panic!("{start} in {svg}"));
    &svg[from..from + svg[from..].find('"').expect("closing quote")]
}

/// The filled rectangles of an SVG path made of closed axis-aligned subpaths (M, h, v, H, V,
/// z; absolute or relative), each as (left, top, right, bottom) in modules.
fn rectangles(d: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut tokens = vec![];
    let mut number = String::new();
    for c in d.chars() {
        if c.is_ascii_digit() || (c == '-' && number.is_empty()) {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            tokens.push(std::mem::take(&mut number));
        }
        if c.is_ascii_alphabetic() {
            tokens.push(c.to_string());
        }
    }
    if !number.is_empty() {
        tokens.push(number);
    }
    fn next(it: &mut std::slice::Iter<String>) -> i64 {
        it.next().and_then(|n| n.parse().ok()).expect("a number")
    }
    let mut rects = vec![];
    let (mut x, mut y, mut bounds) = (0i64, 0i64, (i64::MAX, i64::MAX, i64::MIN, i64::MIN));
    let mut it = tokens.iter();
    while let Some(command) = it.next() {
        match command.as_str() {
            "M" => {
                (x, y) = (next(&mut it), next(&mut it));
                bounds = (x, y, x, y);
            }
            "h" => x += next(&mut it),
            "v" => y += next(&mut it),
            "H" => x = next(&mut it),
            "V" => y = next(&mut it),
            "z" | "Z" => {
                rects.push((bounds.0 as usize, bounds.1 as usize, bounds.2 as usize, bounds.3 as usize));
                continue;
            }
            other => panic!("an unexpected path command {other}"),
        }
        bounds = (bounds.0.min(x), bounds.1.min(y), bounds.2.max(x), bounds.3.max(y));
    }
    rects
}

/// The page's one QR code leads to `url`, and says so in text.
pub fn assert_leads_to(page: &TestResponse, url: &str) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(qr_codes(&page.body), [url], "the QR code's URL");
    let doc = scraper::Html::parse_document(&page.body);
    let shown: Vec<String> =
        doc.select(&scraper::Selector::parse(".qr-url").unwrap()).map(|e| e.text().collect()).collect();
    assert_eq!(shown, [url], "the URL in text");
}

#[tokio::test]
async fn every_printed_page_leads_back_to_its_page_by_a_qr_code_a_phone_can_read() {
    let mut w = world().await;
    let origin = "http://portal.test";
    let today = union_portal::web::forms::today();
    let term: i64 = w.app.scalar("select term_id from term where is_current").await;
    // (who prints it, the table's path, the page its code leads to: the printed path with
    // `/print`, `/poster` or `/receipt` dropped unless said here, and what else it says).
    let register = format!("/d/rights/lost-found/register?from={}&to={today}", today - Duration::days(30));
    let pages: [(&str, &str, Option<String>, &[&str]); 11] = [
        ("anonymous", "/inspections/rankings/print", Some("/inspections/rankings?period=term".into()), &[]),
        ("anonymous", "/lost-found/bulletins/{number}/print", None, &["黑色雨伞"]),
        ("member", "/d/rights/lost-found/register", Some(register), &["print-only"]),
        ("anonymous", "/plans/{public_plan_id}/print", None, &["工作计划"]),
        ("head", "/d/rights/plans/{plan_id}/print", None, &["工作计划"]),
        ("head", "/d/rights/inspections/rounds/{round_id}/print", Some("/me/room".into()), &["我的寝室"]),
        ("anonymous", "/offices/logistics/report", Some(format!("/offices/logistics?term={term}")), &["后勤处"]),
        ("anonymous", "/reception/{code}/poster", None, &["行政楼", "报名旁听"]),
        ("anonymous", "/events/{event_id}/poster", None, &["食堂开放日", "名额 ", "公开抽签", "扫码查看详情并报名"]),
        (
            "anonymous",
            "/lost-found/points/{point_id}/poster",
            Some("/lost-found/lost/new".into()),
            &["北区24栋宿管值班室"],
        ),
        ("owner", "/complaints/{tracking_no}/receipt", None, &["食堂饭菜有异物", "投诉人"]),
    ];
    for (attempt, (role, path, target, says)) in pages.into_iter().enumerate() {
        let row =
            TABLE.iter().find(|r| r.path == path && r.method == "GET").unwrap_or_else(|| panic!("{path} in the table"));
        let (filled, _) = w.prepare(row, 1000 + attempt).await;
        let i = ROLES.iter().position(|r| *r == role).unwrap();
        let page = w.browsers[i].get(&filled).await;
        let target = target.unwrap_or_else(|| {
            ["/print", "/poster", "/receipt"].iter().fold(filled.clone(), |p, end| p.trim_end_matches(end).to_string())
        });
        assert_leads_to(&page, &format!("{origin}{target}"));
        assert_eq!(page.body.matches("<path").count(), 1, "{filled}: one path draws the code");
        for words in says {
            assert!(page.body.contains(words), "{filled} says {words}");
        }
    }
}

#[tokio::test]
async fn a_configured_public_address_is_the_one_paper_names() {
    let app = TestApp::spawn_with(|c| {
        c.public_origin = Some("https://union.example.edu".into());
        c.public_url = Some("https://union.example.edu".into());
    })
    .await;
    let reporter = app.create_user("2026000201", "李同学").await;
    let mut b = app.browser_signed_in(reporter).await;
    let no = app.complaint().by(&mut b).file().await;
    let receipt = b.get(&format!("/complaints/{no}/receipt")).await;
    assert_leads_to(&receipt, &format!("https://union.example.edu/complaints/{no}"));
}

#[tokio::test]
async fn an_anonymous_complaints_receipt_names_nobody_not_even_for_its_reporter() {
    let app = TestApp::spawn().await;
    let reporter = app.create_user("2026000202", "王小明").await;
    let mut b = app.browser_signed_in(reporter).await;
    let named = app.complaint().by(&mut b).file().await;
    let anonymous = app.complaint().anonymous(true).by(&mut b).file().await;

    let page = b.get(&format!("/complaints/{named}")).await;
    assert!(page.body.contains(&format!("href=\"/complaints/{named}/receipt\"")), "the reporter's page links to it");
    let receipt = b.get(&format!("/complaints/{named}/receipt")).await;
    assert!(receipt.body.contains(&named) && receipt.body.contains("王小明"), "the tracking number and the name");
    assert!(receipt.body.contains("教三楼吊扇掉落"), "what it is about");

    let receipt = b.get(&format!("/complaints/{anonymous}/receipt")).await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert!(receipt.body.contains(&anonymous) && receipt.body.contains("匿名同学"));
    assert!(!receipt.body.contains("王小明") && !receipt.body.contains("2026000202"), "no name, no number");
    let stranger = app.browser().get(&format!("/complaints/{anonymous}/receipt")).await;
    assert!(!stranger.body.contains("王小明"), "a public anonymous complaint's receipt hides the name from anyone");
    let page = app.browser().get(&format!("/complaints/{named}")).await;
    assert!(!page.body.contains("/receipt\""), "only the reporter is offered the receipt");
}

#[tokio::test]
async fn a_private_complaints_receipt_is_404_to_a_student_who_cannot_see_it() {
    let app = TestApp::spawn().await;
    let reporter = app.create_user("2026000203", "赵同学").await;
    let other = app.create_user("2026000204", "钱同学").await;
    let mut b = app.browser_signed_in(reporter).await;
    let no = app.complaint().private().by(&mut b).file().await;
    let r = app.browser_signed_in(other).await.get(&format!("/complaints/{no}/receipt")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains(&no), "the page does not confirm it exists");
}

#[tokio::test]
async fn posters_say_when_where_and_how_and_their_pages_offer_them() {
    let app = TestApp::spawn().await;
    let organiser = app.create_user("2026000205", "组织者").await;
    app.grant("2026000205", "rights", "vice_head").await;
    let mut b = app.browser_signed_in(organiser).await;
    let session = app.reception_session("rights").place("行政楼一楼报告厅").by(&mut b).create().await;
    let code = app.session_code(session).await;

    let page = app.browser().get(&format!("/reception/{code}")).await;
    assert!(page.body.contains(&format!("href=\"/reception/{code}/poster\"")), "the session's page offers its poster");
    let poster = app.browser().get(&format!("/reception/{code}/poster")).await;
    assert_leads_to(&poster, &format!("http://portal.test/reception/{code}"));
    for essential in ["行政楼一楼报告厅", "食堂、宿舍与教学设施", "王建国", "开放座位 20 个", "法学院 2", "报名旁听"]
    {
        assert!(poster.body.contains(essential), "the poster says {essential}");
    }

    let point = app.point_id("北区图书馆").await;
    let list = app.browser().get("/lost-found").await;
    assert!(list.body.contains(&format!("href=\"/lost-found/points/{point}/poster\"")));
    let poster = app.browser().get(&format!("/lost-found/points/{point}/poster")).await;
    assert_leads_to(&poster, "http://portal.test/lost-found/lost/new");
    for essential in ["北区图书馆一楼总服务台", "每天 8:00–22:00", "丢了东西？扫码报失"] {
        assert!(poster.body.contains(essential), "the point's poster says {essential}");
    }
    sqlx::query("update collection_point set archived_at = now() where point_id = $1")
        .bind(point.parse::<i64>().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    let closed = app.browser().get(&format!("/lost-found/points/{point}/poster")).await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND, "a closed point takes nothing in: no poster");
    assert_eq!(app.browser().get("/lost-found/points/x/poster").await.status, StatusCode::NOT_FOUND);
}
