//! Recruitment's offers over the real router: the offer/accept race, the waiting list
//! taking a turned-down or lapsed offer, and membership for this term or the next.

use axum::http::StatusCode;

use crate::helpers::Recruiting;

#[tokio::test]
async fn two_departments_offering_while_the_student_accepts_one_leaves_one_accepted_place() {
    let mut r = Recruiting::open(3, 5).await;
    let mut s = r.student("2026781301").await;
    for (slug, pref) in [("rights", "1"), ("publicity", "2"), ("news", "3")] {
        assert_eq!(r.apply(&mut s, slug, pref).await.status, StatusCode::SEE_OTHER);
    }
    let ids: Vec<i64> =
        futures::future::join_all(["rights", "publicity", "news"].map(|slug| r.application("2026781301", slug))).await;
    assert_eq!(r.decide("rights", ids[0], "offered").await.status, StatusCode::SEE_OTHER);

    let mut publicity = r.heads.remove("publicity").unwrap();
    let mut news = r.heads.remove("news").unwrap();
    let form = [("decision", "offered"), ("message", "欢迎")];
    let (to_publicity, to_news) = (
        format!("/d/publicity/recruitment/applications/{}/decide", ids[1]),
        format!("/d/news/recruitment/applications/{}/decide", ids[2]),
    );
    let accept = format!("/me/applications/{}/accept", ids[0]);
    let (p, n, accepted) = tokio::join!(
        publicity.post_form(&to_publicity, &form),
        news.post_form(&to_news, &form),
        s.post_form(&accept, &[]),
    );
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    for offer in [p, n] {
        assert!(matches!(offer.status, StatusCode::SEE_OTHER | StatusCode::CONFLICT), "{}", offer.status);
    }
    let statuses: Vec<String> = futures::future::join_all(ids.iter().map(|id| r.status(*id))).await;
    assert_eq!(statuses[0], "accepted");
    for other in &statuses[1..] {
        assert!(["released", "withdrawn"].contains(&other.as_str()), "no offer stays open: {statuses:?}");
    }
    let member = r
        .app
        .scalar(
            "select count(*) from membership m join term t using (term_id) join department d using (department_id)
             where t.is_current and d.slug = 'rights' and m.role = 'member'
               and m.user_id = (select user_id from app_user where student_no = '2026781301')",
        )
        .await;
    assert_eq!(member, 1, "a member of the department for this term");
    assert_eq!(s.get("/d/rights").await.status, StatusCode::OK);
    assert_eq!(
        r.app.notified("2026781301", "notify.recruitment.offered").await,
        1 + statuses[1..].iter().filter(|s| *s == "released").count() as i64
    );
    let audit = r.app.scalar("select count(*) from audit_log where action = 'membership.grant'").await;
    assert!(audit >= 4, "the grant is audited like a head's (3 heads + this one): {audit}");
}

#[tokio::test]
async fn a_full_position_waitlists_and_a_turned_down_or_lapsed_offer_goes_to_the_next() {
    let mut r = Recruiting::open(2, 1).await;
    let mut students = vec![];
    for no in ["2026781401", "2026781402", "2026781403"] {
        let mut s = r.student(no).await;
        r.apply(&mut s, "rights", "1").await;
        students.push(s);
    }
    let ids: Vec<i64> =
        futures::future::join_all(["2026781401", "2026781402", "2026781403"].map(|no| r.application(no, "rights")))
            .await;
    assert_eq!(r.decide("rights", ids[0], "offered").await.status, StatusCode::SEE_OTHER);
    let full = r.decide("rights", ids[1], "offered").await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(full.field_error("decision").as_deref(), Some("录取名额已满，可以放入候补。"));
    assert!(full.body.contains("欢迎加入！"), "the typed message is kept");
    assert_eq!(r.decide("rights", ids[1], "waitlisted").await.status, StatusCode::SEE_OTHER);
    assert_eq!(r.decide("rights", ids[2], "waitlisted").await.status, StatusCode::SEE_OTHER);

    let down = students[0].post_form(&format!("/me/applications/{}/decline", ids[0]), &[]).await;
    assert_eq!(down.status, StatusCode::SEE_OTHER);
    assert_eq!(r.status(ids[0]).await, "released");
    assert_eq!(r.status(ids[1]).await, "offered", "the first on the waiting list");
    assert_eq!(r.status(ids[2]).await, "waitlisted");
    assert_eq!(r.app.notified("2026781402", "notify.recruitment.promoted").await, 1);

    r.app
        .execute(&format!(
            "update recruitment_application set answer_by = now() - interval '1 minute' where application_id = {}",
            ids[1]
        ))
        .await;
    let late = students[1].post_form(&format!("/me/applications/{}/accept", ids[1]), &[]).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "past its deadline");
    let lapsed = union_portal::recruitment::offers::expire_lapsed(&r.app.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(lapsed, 1);
    assert_eq!(r.status(ids[1]).await, "expired");
    assert_eq!(r.status(ids[2]).await, "offered");
    assert_eq!(r.app.notified("2026781402", "notify.recruitment.expired").await, 1);
    assert_eq!(union_portal::recruitment::offers::expire_lapsed(&r.app.db, chrono::Utc::now()).await.unwrap(), 0);
}

#[tokio::test]
async fn recruiting_for_the_next_term_makes_members_at_its_handover() {
    let mut r = Recruiting::open(2, 3).await;
    r.app.execute("update recruitment_round set term_name = '2027-2028'").await;
    let mut s = r.student("2026781501").await;
    r.apply(&mut s, "rights", "1").await;
    let id = r.application("2026781501", "rights").await;
    r.decide("rights", id, "offered").await;
    assert_eq!(s.post_form(&format!("/me/applications/{id}/accept"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(s.get("/d/rights").await.status, StatusCode::FORBIDDEN, "not a member of this term");
    assert_eq!(
        r.app.scalar("select count(*) from term where name = '2027-2028' and prepared and not is_current").await,
        1
    );

    r.app.create_user("2026781599", "管理员").await;
    r.app.grant_union("2026781599", "admin").await;
    let mut admin = r.app.browser_signed_in(r.app.user_id("2026781599").await).await;
    let handover = admin.post_form("/admin/terms/handover", &[("name", "2027-2028")]).await;
    assert_eq!(handover.status, StatusCode::SEE_OTHER, "{}", handover.body);
    assert_eq!(s.get("/d/rights").await.status, StatusCode::OK, "a member from the handover");
    assert_eq!(
        r.heads.get_mut("rights").unwrap().get("/d/rights").await.status,
        StatusCode::FORBIDDEN,
        "the old head's term ended"
    );
}
