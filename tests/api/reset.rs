//! Forgotten passwords, and what an attacker can learn about which student numbers
//! have accounts: the reset link works once, for half an hour, and ends every
//! session; login, registration and reset requests answer alike, in similar time,
//! for numbers with and without an account.

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp, PASSWORD};

const NEW_PASSWORD: &str = "西区食堂的雨伞真多啊 2026";

/// The token of the newest reset mail to `to`, and whether its link is marked secret.
/// The link is made after the answer: wait for it, up to five seconds.
async fn reset_token(app: &TestApp, to: &str) -> Option<(String, bool)> {
    for _ in 0..50 {
        let row: Option<(String, bool)> = sqlx::query_as(
            "select link, link_is_secret from mail_outbox where to_address = $1 and link like '/password-reset/%'
             order by mail_id desc limit 1",
        )
        .bind(to)
        .fetch_optional(&app.db)
        .await
        .unwrap();
        if let Some((link, secret)) = row {
            return Some((link.split_once("token=").map(|(_, t)| t.to_string()).unwrap_or_default(), secret));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

async fn request_reset(b: &mut Browser, student_no: &str) -> crate::helpers::TestResponse {
    b.get("/password-reset").await;
    b.post_form("/password-reset", &[("student_no", student_no)]).await
}

#[tokio::test]
async fn a_malformed_number_is_told_beside_its_field_and_kept() {
    let app = TestApp::spawn().await;
    let r = request_reset(&mut app.browser(), "2026-abc!").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("student_no").as_deref(), Some("学号应为 4 到 20 位字母或数字。"));
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026-abc!"), "what was typed is kept");
    let mails = app.scalar("select count(*) from mail_outbox").await;
    assert_eq!(mails, 0);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_one_time_link_and_every_session_ends() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026500001", "忘了密码的同学").await;
    let mut logged_in_elsewhere = app.browser_signed_in(id).await;
    assert_eq!(logged_in_elsewhere.get("/me").await.status, StatusCode::OK);

    let mut b = app.browser();
    let login = b.get("/login").await;
    assert!(login.body.contains("href=\"/password-reset\""), "the login page offers it");
    let r = request_reset(&mut b, "2026500001").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login"));
    let (token, secret) = reset_token(&app, "2026500001@stu.example.edu.cn").await.expect("a mail with the link");
    assert!(secret, "the link is marked secret");
    assert_eq!(token.len(), 43);
    let stored: i64 = sqlx::query_scalar("select count(*) from password_reset where token_hash = sha256($1::bytea)")
        .bind(token.as_bytes())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the token's hash is kept");

    let link = format!("/password-reset/choose?token={token}");
    let page = b.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    let weak = b
        .post_form(
            "/password-reset/choose",
            &[("token", &token), ("password", "12345678"), ("password_confirm", "12345678")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.field_error("password").is_some_and(|e| e.contains("太容易被猜到")));
    let typo = [("token", token.as_str()), ("password", NEW_PASSWORD), ("password_confirm", "不一样的密码 2026")];
    let typo = b.post_form("/password-reset/choose", &typo).await;
    assert_eq!(typo.field_error("password_confirm").as_deref(), Some("两次输入的密码不一致。"));
    assert_eq!(typo.field_value("token").as_deref(), Some(token.as_str()), "the link is kept for the next try");

    let done = [("token", token.as_str()), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
    let done = b.post_form("/password-reset/choose", &done).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/login"));
    assert_eq!(logged_in_elsewhere.get("/me").await.status, StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(app.browser().login("2026500001", PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.browser().login("2026500001", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);

    let again =
        [("token", token.as_str()), ("password", "another new one 2027"), ("password_confirm", "another new one 2027")];
    assert_eq!(b.post_form("/password-reset/choose", &again).await.status, StatusCode::GONE, "the link worked once");
    let dead = b.get(&link).await;
    assert_eq!(dead.status, StatusCode::GONE);
    assert!(dead.body.contains("链接已经失效") && dead.body.contains("href=\"/password-reset\""));

    // Delivered to the log: the link is never written there, and the outbox forgets it.
    union_portal::mail::deliver(&app.db, &union_portal::mail::Transport::Log, "http://portal.test").await.unwrap();
    let kept: String =
        sqlx::query_scalar("select link from mail_outbox where link_is_secret").fetch_one(&app.db).await.unwrap();
    assert_eq!(kept, "", "the delivered link is kept nowhere");
}

#[tokio::test]
async fn an_old_link_or_a_made_up_one_does_not_work() {
    let app = TestApp::spawn().await;
    app.create_user("2026500002", "慢吞吞的同学").await;
    let mut b = app.browser();
    request_reset(&mut b, "2026500002").await;
    let (token, _) = reset_token(&app, "2026500002@stu.example.edu.cn").await.expect("link");
    sqlx::query("update password_reset set expires_at = now() - interval '1 minute'").execute(&app.db).await.unwrap();
    assert_eq!(b.get(&format!("/password-reset/choose?token={token}")).await.status, StatusCode::GONE);
    for made_up in ["", "x", &"A".repeat(43), "%00", &"a".repeat(5000)] {
        assert_eq!(
            b.get(&format!("/password-reset/choose?token={made_up}")).await.status,
            StatusCode::GONE,
            "{made_up}"
        );
    }
    let form = [("token", token.as_str()), ("password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
    assert_eq!(b.post_form("/password-reset/choose", &form).await.status, StatusCode::GONE);
    assert_eq!(app.browser().login("2026500002", PASSWORD).await.status, StatusCode::SEE_OTHER, "unchanged");
}

/// Whether `a` and `b` take similar time: within 15 ms or a third of the slower, by
/// the median of `n` runs each. Other tests share the machine's cores, so the two are
/// timed in turns (a, b, a, b …), which a busy moment slows alike, and a round that
/// differs is measured again, up to three rounds. A real difference (a skipped hash
/// is tens of milliseconds on every try) fails all three; `i` is unique over rounds.
async fn similar_time<A, B, FutA, FutB>(n: usize, mut a: A, mut b: B) -> Result<(), String>
where
    A: FnMut(usize) -> FutA,
    B: FnMut(usize) -> FutB,
    FutA: std::future::Future<Output = ()>,
    FutB: std::future::Future<Output = ()>,
{
    let mut last = String::new();
    for round in 0..3 {
        let (mut times_a, mut times_b) = (vec![], vec![]);
        for i in round * n..(round + 1) * n {
            let started = Instant::now();
            a(i).await;
            times_a.push(started.elapsed());
            let started = Instant::now();
            b(i).await;
            times_b.push(started.elapsed());
        }
        times_a.sort();
        times_b.sort();
        let (ta, tb) = (times_a[n / 2], times_b[n / 2]);
        let (slow, fast) = if ta > tb { (ta, tb) } else { (tb, ta) };
        if slow - fast <= Duration::from_millis(15).max(slow / 3) {
            return Ok(());
        }
        last = format!("{ta:?} against {tb:?}");
    }
    Err(last)
}

#[tokio::test]
async fn a_reset_request_looks_the_same_for_every_number_with_or_without_an_account() {
    let app = TestApp::spawn().await;
    app.create_user("2026500003", "有账号的同学").await;
    app.create_user("2026500004", "被停用的同学").await;
    sqlx::query("update app_user set disabled_at = now() where student_no = '2026500004'")
        .execute(&app.db)
        .await
        .unwrap();
    let answer = |r: crate::helpers::TestResponse| {
        (r.status, r.location().map(str::to_string), r.header("set-cookie").map(str::to_string))
    };
    let known = answer(request_reset(&mut app.browser(), "2026500003").await);
    for other in ["2026599999", "2026500004"] {
        assert_eq!(answer(request_reset(&mut app.browser(), other).await), known, "{other} answers like an account");
    }
    assert!(reset_token(&app, "2026500003@stu.example.edu.cn").await.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails = app.scalar("select count(*) from mail_outbox").await;
    assert_eq!(mails, 1, "only the enabled account is mailed");
    let ask = |no: &'static str| {
        let mut b = app.browser();
        async move {
            request_reset(&mut b, no).await;
        }
    };
    let timing = similar_time(15, |_| ask("2026500003"), |_| ask("2026599998")).await;
    assert_eq!(timing, Ok(()), "a known number against an unknown one");
}

#[tokio::test]
async fn logging_in_and_registering_take_as_long_with_an_unknown_number_as_with_a_known_one() {
    let app = TestApp::spawn().await;
    app.create_user("2026500005", "老用户").await;
    let attempt = |no: &'static str, i: usize| {
        let mut b = app.browser();
        // Every try from its own address: the login limit does not come into it.
        b.ip = format!("198.51.100.{}", 100 + i);
        async move {
            b.login(no, "not the password at all").await;
        }
    };
    let timing = similar_time(7, |i| attempt("2026500005", i), |i| attempt("2026599997", 100 + i)).await;
    assert_eq!(timing, Ok(()), "a wrong password against an unknown number");

    let register = |no: String| {
        let mut b = app.browser();
        async move {
            let form = [
                ("student_no", no.as_str()),
                ("name", "注册的人"),
                ("college", "法学院"),
                ("email", "r@stu.example.edu.cn"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ];
            b.post_form("/register", &form).await;
        }
    };
    let timing = similar_time(7, |_| register("2026500005".to_string()), |i| register(format!("20265001{i:02}"))).await;
    assert_eq!(timing, Ok(()), "a taken number against a new one");
}

#[tokio::test]
async fn a_reset_request_does_not_wait_for_the_link_and_mail_of_a_known_number() {
    let app = TestApp::spawn().await;
    app.create_user("2026500006", "有账号的同学").await;
    // Writing a reset link made slow (a busy disk, a contended table): only a known
    // number writes one, so a request that waited for it would take 40 ms longer.
    sqlx::raw_sql(
        "create function slow_reset() returns trigger language plpgsql as $$
         begin perform pg_sleep(0.04); return new; end $$;
         create trigger slow_reset before insert on password_reset for each row execute function slow_reset();",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let ask = |no: &'static str| {
        let mut b = app.browser();
        async move {
            assert_eq!(request_reset(&mut b, no).await.status, StatusCode::SEE_OTHER);
        }
    };
    let timing = similar_time(9, |_| ask("2026500006"), |_| ask("2026599996")).await;
    assert_eq!(timing, Ok(()), "a known number against an unknown one");
    assert!(reset_token(&app, "2026500006@stu.example.edu.cn").await.is_some(), "the links are still mailed");
}

#[tokio::test]
async fn changing_the_password_ends_every_reset_link_asked_for_before() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026500007", "改了密码的同学").await;
    assert_eq!(request_reset(&mut app.browser(), "2026500007").await.status, StatusCode::SEE_OTHER);
    let (token, _) = reset_token(&app, "2026500007@stu.example.edu.cn").await.expect("a mail with the link");

    let mut b = app.browser_signed_in(id).await;
    b.get("/account/password").await;
    let change = [("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
    assert_eq!(b.post_form("/account/password", &change).await.status, StatusCode::SEE_OTHER);

    let link = format!("/password-reset/choose?token={token}");
    assert_eq!(b.get(&link).await.status, StatusCode::GONE, "the older link is dead");
    let reuse =
        [("token", token.as_str()), ("password", "别人想设的密码 2027"), ("password_confirm", "别人想设的密码 2027")];
    assert_eq!(app.browser().post_form("/password-reset/choose", &reuse).await.status, StatusCode::GONE);
    assert_eq!(app.browser().login("2026500007", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER, "unchanged");
}
