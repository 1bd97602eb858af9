//! Lending's setup over the real router: a station edited and closed (only with an empty
//! shelf; then off the public page and taking no returns), items put in repair, retired
//! and back on the shelf (never while lent), and a kind's rules changed on its page (the
//! next loan follows them; a bad value is refused beside its field, the form kept).

use axum::http::StatusCode;

use crate::lending::desk;

fn station_form(name: &str, closed: bool) -> Vec<(&str, &str)> {
    let mut form = vec![
        ("name", name),
        ("district", "西区"),
        ("place", "二楼"),
        ("opening_hours", "08:00–21:00"),
        ("capacity", "30"),
        ("min_stock", "8"),
        ("on_duty", "王五"),
    ];
    if closed {
        form.push(("closed", "on"));
    }
    form
}

#[tokio::test]
async fn a_station_closes_only_with_an_empty_shelf_then_leaves_the_public_page_and_takes_no_returns() {
    let mut d = desk().await;
    let at = format!("/d/rights/lending/stations/{}", d.west);
    let page = d.officer.get(&at).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"西区第一教学楼\""), "{}", page.body);

    let r = d.officer.post_form(&at, &station_form("西区一教", true)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("借用点还有在架物品") && r.body.contains("value=\"西区一教\""), "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from lending_station where closed").await, 0);

    let moving = [("move_from", d.west.as_str()), ("move_to", d.north.as_str()), ("move_count", "2")];
    assert_eq!(d.officer.post_form("/d/rights/lending/move", &moving).await.status, StatusCode::SEE_OTHER);
    let r = d.officer.post_form(&at, &station_form("西区一教", true)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = d.officer.get("/umbrellas").await;
    assert!(public.body.contains("<h3>北区图书馆") && !public.body.contains("<h3>西区一教"), "{}", public.body);

    let mut phone = d.student("2026720001").await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    let item = phone.get("/umbrellas/i/BQ0001").await;
    assert!(!item.body.contains("西区一教"), "a closed station is no choice to return to: {}", item.body);
    let r = phone.post_form("/umbrellas/i/BQ0001/return", &[("return_station", &d.west)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(d.open_loans().await, 1, "the loan stays open");

    // Opened again, it takes the return.
    assert_eq!(d.officer.post_form(&at, &station_form("西区一教", false)).await.status, StatusCode::SEE_OTHER);
    let r = phone.post_form("/umbrellas/i/BQ0001/return", &[("return_station", &d.west)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let saved = d.app.scalar("select count(*) from lending_station where name = '西区一教' and on_duty = '王五'").await;
    assert_eq!(saved, 1);
}

#[tokio::test]
async fn an_item_in_repair_or_retired_cannot_be_borrowed_and_a_lent_one_keeps_its_state() {
    let mut d = desk().await;
    let set = |code: &'static str, to: &'static str| [("state_code", code), ("state_to", to)];
    let r = d.officer.post_form("/d/rights/lending/items/state", &set("bq0001", "repair")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut phone = d.student("2026720002").await;
    let r = phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("这件物品当前不可借"), "{}", r.body);
    let public = phone.get("/umbrellas").await;
    assert!(public.body.contains("可借 9 把"), "an item in repair is not on the shelf: {}", public.body);

    assert_eq!(
        d.officer.post_form("/d/rights/lending/items/state", &set("BQ0001", "available")).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    let r = d.officer.post_form("/d/rights/lending/items/state", &set("BQ0001", "retired")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("这件物品正在借出") && r.body.contains("BQ0001"), "{}", r.body);
    assert_eq!(d.app.scalar("select count(*) from lending_item where state = 'on_loan'").await, 1);

    assert_eq!(
        d.officer.post_form("/d/rights/lending/items/state", &set("BQ0002", "retired")).await.status,
        StatusCode::SEE_OTHER
    );
    let labels = d.officer.get("/d/rights/lending/labels").await;
    assert!(!labels.body.contains("BQ0002") && labels.body.contains("BQ0003"), "a retired item has no label");
    let r = d.officer.post_form("/d/rights/lending/items/state", &set("NOPE01", "repair")).await;
    assert!(r.body.contains("找不到这个编号的物品"), "{}", r.body);
    let r = d.officer.post_form("/d/rights/lending/items/state", &set("BQ0003", "on_loan")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("请选择物品状态"), "{}", r.body);
}

#[tokio::test]
async fn a_kinds_rules_change_on_its_page_and_the_next_loan_follows_them() {
    let mut d = desk().await;
    let page = d.officer.get("/d/rights/lending/kinds/umbrella").await;
    assert!(page.status == StatusCode::OK && page.body.contains("value=\"24\""), "{}", page.body);
    let rules = |hours: &'static str, remind: &'static str| {
        [("loan_hours", hours), ("open_loan_limit", "2"), ("remind_before_hours", remind), ("lost_after_days", "5")]
    };
    let r = d.officer.post_form("/d/rights/lending/kinds/umbrella", &rules("4", "6")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("提醒时间要短于借期") && r.body.contains("value=\"4\""), "{}", r.body);
    assert_eq!(d.app.scalar("select loan_hours::bigint from lending_kind where kind = 'umbrella'").await, 24);

    assert_eq!(
        d.officer.post_form("/d/rights/lending/kinds/umbrella", &rules("4", "1")).await.status,
        StatusCode::SEE_OTHER
    );
    let mut phone = d.student("2026720003").await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        phone.post_form("/umbrellas/i/BQ0002/borrow", &[]).await.status,
        StatusCode::SEE_OTHER,
        "two at once now"
    );
    let hours = "select round(extract(epoch from due_at - borrowed_at) / 3600)::bigint from lending_loan limit 1";
    assert_eq!(d.app.scalar(hours).await, 4);
    assert_eq!(d.officer.get("/d/rights/lending/kinds/nothing").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_sees_the_station_and_the_rules_but_not_the_setup() {
    let d = desk().await;
    let id = d.app.create_user("2026720009", "权益部员").await;
    d.app.grant("2026720009", "rights", "member").await;
    let mut member = d.app.browser_signed_in(id).await;
    let desk_page = member.get("/d/rights/lending").await;
    assert!(desk_page.body.contains("维修与停用") && !desk_page.body.contains("新增借用点"), "{}", desk_page.body);
    let station = member.get(&format!("/d/rights/lending/stations/{}", d.north)).await;
    assert!(
        station.status == StatusCode::OK
            && !station.body.contains("<form method=\"post\" action=\"/d/rights/lending/stations")
    );
    let kind = member.get("/d/rights/lending/kinds/umbrella").await;
    assert!(kind.status == StatusCode::OK && kind.body.contains("借期（小时）") && !kind.body.contains("保存规则"));
}

/// Stations whose kept shelf count differs from their items (the triggers of migration 0052).
async fn miscounted(d: &crate::lending::Desk) -> i64 {
    d.app
        .scalar(
            "select count(*) from lending_station s
             where s.available <> (select count(*) from lending_item i where i.station_id = s.station_id and i.state = 'available')",
        )
        .await
}

#[tokio::test]
async fn the_shelf_counts_follow_loans_returns_moves_repairs_and_new_items() {
    let mut d = desk().await;
    assert_eq!(miscounted(&d).await, 0);
    let mut phone = d.student("2026720004").await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        phone.post_form("/umbrellas/i/BQ0001/return", &[("return_station", &d.west)]).await.status,
        StatusCode::SEE_OTHER
    );
    let moving = [("move_from", d.north.as_str()), ("move_to", d.west.as_str()), ("move_count", "3")];
    let back = [("move_from", d.west.as_str()), ("move_to", d.north.as_str()), ("move_count", "2")];
    let mut other = d
        .app
        .browser_signed_in(d.app.scalar("select user_id from app_user where student_no = '2026700001'").await)
        .await;
    let (a, b) = tokio::join!(
        d.officer.post_form("/d/rights/lending/move", &moving),
        other.post_form("/d/rights/lending/move", &back)
    );
    assert_eq!((a.status, b.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} {}", a.body, b.body);
    let repair = [("state_code", "BQ0005"), ("state_to", "repair")];
    assert_eq!(d.officer.post_form("/d/rights/lending/items/state", &repair).await.status, StatusCode::SEE_OTHER);
    assert_eq!(miscounted(&d).await, 0);
    let public = d.officer.get("/umbrellas").await;
    assert!(public.body.contains("可借 7 把") && public.body.contains("可借 4 把"), "{}", public.body);
}
