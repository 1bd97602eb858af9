use chrono::TimeZone;

use super::*;

fn monday() -> DateTime<Utc> {
    match Utc.with_ymd_and_hms(2026, 5, 18, 0, 0, 0) {
        chrono::LocalResult::Single(t) => t,
        _ => panic!("a valid time"),
    }
}

#[test]
fn a_week_with_nothing_for_the_student_is_no_mail() {
    let mail = compose(Lang::Zh, "https://p.test", monday(), &Week::default(), &Mine::default(), "https://p.test/u");
    assert!(mail.is_none());
}

#[test]
fn only_the_sections_with_something_are_written_with_absolute_links() {
    let mine = Mine {
        complaints: vec![ComplaintNews { tracking_no: "2026-000007".into(), status: "accepted".into(), news: 2 }],
        ..Mine::default()
    };
    let Some(mail) = compose(Lang::Zh, "https://p.test", monday(), &Week::default(), &mine, "https://p.test/u?t=x")
    else {
        panic!("a complaint's news is worth a mail");
    };
    assert_eq!(mail.subject, "学生会门户周报（2026-05-18）");
    assert!(mail.body.contains("【我的投诉】"), "{}", mail.body);
    assert!(
        mail.body.contains("2026-000007：已受理（2 条新动态） https://p.test/complaints/2026-000007"),
        "{}",
        mail.body
    );
    assert!(!mail.body.contains("【失物招领】") && !mail.body.contains("【活动报名】"), "{}", mail.body);
    assert!(mail.body.contains("退订周报： https://p.test/u?t=x"), "{}", mail.body);
}

#[test]
fn the_english_digest_reads_the_english_catalogue() {
    let week = Week {
        events: vec![OpenEvent { event_id: 3, title: "Forum".into(), applications_close_at: monday() }],
        ..Week::default()
    };
    let Some(mail) = compose(Lang::En, "https://p.test", monday(), &week, &Mine::default(), "https://p.test/u") else {
        panic!("an open event is worth a mail");
    };
    assert!(mail.body.contains("Forum (apply by 2026-05-18 08:00) https://p.test/events/3"), "{}", mail.body);
}
