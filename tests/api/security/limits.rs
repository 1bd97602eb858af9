//! Rate limits: registrations per address, complaints and photos per user, and
//! failed logins that arrive all at once. Each refusal is a friendly 429 that keeps
//! what was typed, and nothing is saved.

use axum::http::StatusCode;

use crate::helpers::{png, TestApp, PASSWORD};

#[tokio::test]
async fn an_address_registering_too_many_accounts_gets_a_429_that_keeps_the_form() {
    let app = TestApp::spawn_with(|c| c.rate_limits.registrations = 2).await;
    let mut b = app.browser();
    for no in ["2026400001", "2026400002"] {
        let form = [
            ("student_no", no),
            ("name", "注册同学"),
            ("college", "法学院"),
            ("email", "a@stu.example.edu.cn"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        assert_eq!(b.post_form("/register", &form).await.status, StatusCode::SEE_OTHER);
    }
    let form = [
        ("student_no", "2026400003"),
        ("name", "第三个"),
        ("college", "法学院"),
        ("email", "c@stu.example.edu.cn"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let r = b.post_form("/register", &form).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s > 0));
    assert!(r.body.contains("操作太频繁了"), "a message in the student's language");
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026400003"), "the form keeps what was typed");
    assert_eq!(r.field_value("name").as_deref(), Some("第三个"));
    assert_eq!(r.field_value("password").as_deref().unwrap_or(""), "", "but never the password");
    assert_eq!(app.scalar("select count(*) from app_user where student_no = '2026400003'").await, 0);

    let mut elsewhere = app.browser();
    elsewhere.ip = "203.0.113.40".into();
    assert_eq!(elsewhere.post_form("/register", &form).await.status, StatusCode::SEE_OTHER, "another address");
}

#[tokio::test]
async fn a_student_filing_too_many_complaints_or_photos_gets_a_429_that_keeps_the_text() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limits.filings = 2;
        c.rate_limits.photos = 3;
    })
    .await;
    let id = app.create_user("2026400011", "投诉很多的同学").await;
    let mut b = app.browser_signed_in(id).await;
    let fields = |title: &'static str| {
        [
            ("category", "dorm"),
            ("title", title),
            ("location", "西区12栋"),
            ("description", "热水时间太短"),
            ("visibility", "public"),
        ]
    };
    let photo = png();
    let two_photos = [("photos", "a.png", photo.as_slice()), ("photos", "b.png", photo.as_slice())];
    assert_eq!(b.post_multipart("/complaints/new", &fields("第一条"), &two_photos).await.status, StatusCode::SEE_OTHER);

    let r = b.post_multipart("/complaints/new", &fields("照片太多"), &two_photos).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "two more photos than the hour allows");
    assert!(r.body.contains("操作太频繁了"));
    assert_eq!(r.field_value("title").as_deref(), Some("照片太多"));

    assert_eq!(b.post_multipart("/complaints/new", &fields("第二条"), &[]).await.status, StatusCode::SEE_OTHER);
    let r = b.post_multipart("/complaints/new", &fields("第三条"), &[]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "the third complaint in an hour");
    assert_eq!(r.field_value("title").as_deref(), Some("第三条"));
    assert!(r.body.contains("热水时间太短"), "the description is kept too");
    assert_eq!(app.scalar("select count(*) from complaint").await, 2, "nothing of the refused ones saved");
    assert_eq!(app.scalar("select count(*) from complaint_photo").await, 2);

    let other = app.create_user("2026400012", "另一位同学").await;
    let mut other = app.browser_signed_in(other).await;
    assert_eq!(other.post_multipart("/complaints/new", &fields("别人的"), &[]).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_passwords_sent_all_at_once_cannot_outrun_the_login_limit() {
    let app = TestApp::spawn().await;
    app.create_user("2026400021", "被猜密码的同学").await;
    let mut attacker = app.browser();
    attacker.ip = "198.51.100.70".into();
    attacker.get("/login").await;
    let token = attacker.jar.clone();
    // Thirty guesses in flight together, all with the same CSRF cookie and token.
    let guesses = (0..30).map(|_| {
        let mut b = app.browser();
        b.ip = attacker.ip.clone();
        b.jar = token.clone();
        async move { b.post_form("/login", &[("student_no", "2026400021"), ("password", "guess guess guess")]).await }
    });
    let answers = futures::future::join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY).count();
    let limited = answers.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + limited, 30);
    assert!(checked <= 10, "{checked} guesses were checked; the limit is ten in three minutes");
}

#[tokio::test]
async fn reset_links_are_limited_per_number_and_per_address_counting_distinct_numbers() {
    let app = TestApp::spawn_with(|c| c.rate_limits.password_resets = 10).await;
    app.create_user("2026400031", "常忘密码的同学").await;
    let mut b = app.browser();
    b.get("/password-reset").await;
    let ask = |no: &'static str| [("student_no", no)];
    assert_eq!(b.post_form("/password-reset", &ask("2026400031")).await.status, StatusCode::SEE_OTHER);
    let r = b.post_form("/password-reset", &ask("2026400031")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "one link an hour for a number");
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026400031"));
    // The link is made after the answer.
    for _ in 0..50 {
        if app.scalar("select count(*) from mail_outbox").await > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.scalar("select count(*) from mail_outbox").await, 1);
    // Numbers without an account count the same, so the limit tells nothing either.
    assert_eq!(b.post_form("/password-reset", &ask("2026499999")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(b.post_form("/password-reset", &ask("2026499999")).await.status, StatusCode::TOO_MANY_REQUESTS);
    // A campus NAT is one address: it counts the numbers asked for (two so far), not
    // the requests (four), so eight more students may ask.
    for i in 0..8 {
        let no: &'static str = Box::leak(format!("20264998{i:02}").into_boxed_str());
        assert_eq!(b.post_form("/password-reset", &ask(no)).await.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        b.post_form("/password-reset", &ask("2026499700")).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "ten numbers an hour from one address"
    );
    let mut elsewhere = app.browser();
    elsewhere.ip = "203.0.113.31".into();
    elsewhere.get("/password-reset").await;
    assert_eq!(elsewhere.post_form("/password-reset", &ask("2026499700")).await.status, StatusCode::SEE_OTHER);
}
