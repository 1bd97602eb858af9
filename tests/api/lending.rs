//! Lending (爱心伞) over the real router: stations and items set up at the desk, a student's
//! own borrowing by the item's QR URL and returning at another station, the staffed desk,
//! the refusals (unverified, one per kind, overdue), two officers scanning one umbrella at
//! once, and the stock moves. Reminders and lost items are in `lending_reminders`.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

pub(crate) const OFFICER: &str = "2026700001";
const OFFICER_B: &str = "2026700002";

pub(crate) struct Desk {
    pub(crate) app: TestApp,
    pub(crate) officer: Browser,
    /// 北区图书馆 and 西区第一教学楼, as the forms send them.
    pub(crate) north: String,
    pub(crate) west: String,
}

/// The rights department with two stations, ten umbrellas at 北区图书馆 (BQ0001…) and
/// two at 西区第一教学楼 (XQ0001, XQ0002).
pub(crate) async fn desk() -> Desk {
    let app = TestApp::spawn().await;
    let id = app.create_user(OFFICER, "权益部长").await;
    app.grant(OFFICER, "rights", "head").await;
    let mut officer = app.browser_signed_in(id).await;
    for (name, district, min) in [("北区图书馆", "北区", "2"), ("西区第一教学楼", "西区", "8")] {
        let r = officer
            .post_form(
                "/d/rights/lending/stations/new",
                &[
                    ("name", name),
                    ("district", district),
                    ("place", "一楼大厅"),
                    ("opening_hours", ""),
                    ("capacity", "30"),
                    ("min_stock", min),
                    ("on_duty", "张三"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let station = |name: &str| format!("select station_id from lending_station where name = '{name}'");
    let north = app.scalar(&station("北区图书馆")).await.to_string();
    let west = app.scalar(&station("西区第一教学楼")).await.to_string();
    for (at, prefix, count) in [(&north, "BQ", "10"), (&west, "XQ", "2")] {
        let form = [
            ("items_station", at.as_str()),
            ("items_kind", "umbrella"),
            ("items_prefix", prefix),
            ("items_count", count),
        ];
        let r = officer.post_form("/d/rights/lending/items/new", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    Desk { app, officer, north, west }
}

impl Desk {
    /// A verified student, signed in.
    pub(crate) async fn student(&self, student_no: &str) -> Browser {
        let id = self.app.create_user(student_no, "借伞同学").await;
        self.app.browser_signed_in(id).await
    }

    pub(crate) async fn open_loans(&self) -> i64 {
        self.app.scalar("select count(*) from lending_loan where returned_at is null").await
    }
}

#[tokio::test]
async fn a_student_borrows_by_the_qr_url_at_one_station_and_returns_at_another() {
    let mut d = desk().await;
    let mut phone = d.student("2026710001").await;
    let page = phone.get("/umbrellas/i/BQ0003").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("确认借用"), "{}", page.body);
    let r = phone.post_form("/umbrellas/i/BQ0003/borrow", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/me/loans"));
    let mine = phone.get("/me/loans").await;
    assert!(mine.body.contains("BQ0003") && mine.body.contains("北区图书馆"), "{}", mine.body);
    let public = phone.get("/umbrellas").await;
    assert!(public.body.contains("可借 9 把"), "the count follows the loan: {}", public.body);

    let r = phone.post_form("/umbrellas/i/BQ0003/return", &[("return_station", &d.west)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at = d.app.scalar("select station_id from lending_item where code = 'BQ0003'").await;
    assert_eq!(at.to_string(), d.west, "the item's station becomes the return station");
    assert_eq!(d.open_loans().await, 0);
    let public = d.officer.get("/umbrellas").await;
    assert!(public.body.contains("可借 3 把") && public.body.contains("可借 9 把"), "{}", public.body);
}

#[tokio::test]
async fn an_account_nobody_verified_may_not_borrow_and_is_told_why() {
    let d = desk().await;
    let mut phone = d.student("2026710002").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where student_no = '2026710002'")
        .execute(&d.app.db)
        .await
        .unwrap();
    let r = phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("借用需要已认证的校园身份"), "{}", r.body);
    assert_eq!(d.open_loans().await, 0);
}

#[tokio::test]
async fn a_student_holds_one_umbrella_at_a_time_and_the_limit_is_data() {
    let d = desk().await;
    let mut phone = d.student("2026710003").await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    let r = phone.post_form("/umbrellas/i/BQ0002/borrow", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("你已有一件同类物品未归还"), "{}", r.body);
    sqlx::query("update lending_kind set open_loan_limit = 2 where kind = 'umbrella'")
        .execute(&d.app.db)
        .await
        .unwrap();
    assert_eq!(phone.post_form("/umbrellas/i/BQ0002/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(d.open_loans().await, 2);
}

#[tokio::test]
async fn a_student_with_an_overdue_loan_cannot_borrow_until_it_is_back() {
    let mut d = desk().await;
    let mut phone = d.student("2026710004").await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    sqlx::query("update lending_kind set open_loan_limit = 5").execute(&d.app.db).await.unwrap();
    sqlx::query("update lending_loan set due_at = now() - interval '1 hour'").execute(&d.app.db).await.unwrap();
    let r = phone.post_form("/umbrellas/i/BQ0002/borrow", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("你有逾期未还的物品"), "{}", r.body);
    // The desk takes it back late, at the other station; then the student may borrow again.
    let r = d
        .officer
        .post_form("/d/rights/lending/return", &[("return_code", "bq0001"), ("return_station", &d.west)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(phone.post_form("/umbrellas/i/BQ0002/borrow", &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn two_officers_scanning_the_same_umbrella_at_once_make_one_loan() {
    let mut d = desk().await;
    let id = d.app.create_user(OFFICER_B, "权益部员").await;
    d.app.grant(OFFICER_B, "rights", "member").await;
    let mut other = d.app.browser_signed_in(id).await;
    d.student("2026710005").await;
    d.student("2026710006").await;
    for round in 1..=5 {
        let code = format!("BQ{round:04}");
        let a = [("lend_code", code.as_str()), ("lend_student_no", "2026710005")];
        let b = [("lend_code", code.as_str()), ("lend_student_no", "2026710006")];
        let (ra, rb) = tokio::join!(
            d.officer.post_form("/d/rights/lending/lend", &a),
            other.post_form("/d/rights/lending/lend", &b)
        );
        let mut statuses = [ra.status, rb.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY], "round {round}");
        let refused = if ra.status == StatusCode::SEE_OTHER { rb } else { ra };
        assert!(refused.body.contains("这件物品当前不可借"), "{}", refused.body);
        // Both students give theirs back for the next round.
        sqlx::query(
            "select lending_return(code, home_station_id, null, null, now()) from lending_item where state = 'on_loan'",
        )
        .execute(&d.app.db)
        .await
        .unwrap();
    }
    assert_eq!(d.app.scalar("select count(*) from lending_loan").await, 5);
}

#[tokio::test]
async fn the_staffed_desk_lends_by_student_number_and_says_what_is_wrong() {
    let mut d = desk().await;
    d.student("2026710007").await;
    let r = d
        .officer
        .post_form("/d/rights/lending/lend", &[("lend_code", "BQ0009"), ("lend_student_no", "2099999999")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("找不到这个学号的账号") && r.body.contains("BQ0009"), "the form keeps what was typed");
    let r = d
        .officer
        .post_form("/d/rights/lending/lend", &[("lend_code", "NOPE01"), ("lend_student_no", "2026710007")])
        .await;
    assert!(r.body.contains("找不到这个编号的物品"), "{}", r.body);
    let r = d
        .officer
        .post_form("/d/rights/lending/lend", &[("lend_code", "bq0009"), ("lend_student_no", "2026710007")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lent_by = d.app.scalar("select count(*) from lending_loan where lent_by is not null").await;
    assert_eq!(lent_by, 1);
    let page = d.officer.get("/d/rights/lending").await;
    assert!(page.body.contains("2026710007"), "the loan is on the desk's list");
}

#[tokio::test]
async fn the_rebalancing_list_names_the_move_and_a_recorded_move_carries_the_stock() {
    let mut d = desk().await;
    let page = d.officer.get("/d/rights/lending").await;
    assert!(page.body.contains("从北区图书馆调 6 把到西区第一教学楼"), "{}", page.body);
    let r = d
        .officer
        .post_form("/d/rights/lending/move", &[("move_from", &d.north), ("move_to", &d.west), ("move_count", "6")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let at_west = format!("select count(*) from lending_item where station_id = {} and state = 'available'", d.west);
    assert_eq!(d.app.scalar(&at_west).await, 8);
    assert_eq!(d.app.scalar("select coalesce(sum(moved), 0)::bigint from lending_move").await, 6);
    let page = d.officer.get("/d/rights/lending").await;
    assert!(page.body.contains("无需调拨"), "{}", page.body);
    let r = d
        .officer
        .post_form("/d/rights/lending/move", &[("move_from", &d.north), ("move_to", &d.north), ("move_count", "1")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_label_sheet_carries_each_items_borrowing_url() {
    let mut d = desk().await;
    let r = d.officer.get("/d/rights/lending/labels").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("/umbrellas/i/BQ0010") && r.body.matches("<svg").count() >= 12, "{}", r.body);
}
