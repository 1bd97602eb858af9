//! Group robots' delivery, with a fake robot server of each platform on loopback
//! (helpers/fake_robot.rs: it checks the JSON and recomputes the signature as the platform
//! would, and fails when told): each platform gets its own format, signed; a failing or hanging
//! robot is retried with backoff and holds no other; a refusal is kept without the key or
//! secret it echoed; the log-only modes send nothing; and the real binary logs no key or secret.

use std::time::Duration;

use axum::http::StatusCode;
use union_portal::robots::{self, Sender};

use crate::helpers::{
    FakeRobot, HttpBrowser, Mode, PortalProcess, RobotDesk, TestApp, DINGTALK_SECRET, DINGTALK_TOKEN, FEISHU_SECRET,
    FEISHU_TOKEN, ROBOTS_HEAD,
};

#[tokio::test]
async fn each_platform_gets_its_own_format_signed_as_the_platform_checks_it() {
    let mut d = RobotDesk::open().await;
    let wecom = d.add("wecom", "企业微信群", &d.fake.wecom_url(), "", &[]).await;
    let ding = d.add("dingtalk", "钉钉群", &d.fake.dingtalk_url(), DINGTALK_SECRET, &[]).await;
    let feishu = d.add("feishu", "飞书群", &d.fake.feishu_url(), FEISHU_SECRET, &[]).await;
    for id in [wecom, ding, feishu] {
        d.test_message(id).await;
    }
    assert_eq!(d.deliver().await, 3, "one message per robot");
    let got = d.fake.received();
    assert_eq!(got.len(), 3);
    for r in &got {
        assert_eq!(r.verdict, Ok(()), "{} accepts the request: {}", r.platform, r.body);
    }
    let of = |p: &str| got.iter().find(|r| r.platform == p).map(|r| r.body.clone()).expect("a request");
    let content = of("wecom")["markdown"]["content"].as_str().unwrap_or("").to_string();
    assert!(
        content.starts_with("## 测试消息\n") && content.contains("[查看详情](https://portal.example.edu/)"),
        "{content}"
    );
    assert!(of("dingtalk")["markdown"]["text"].as_str().unwrap_or("").contains("群机器人“钉钉群”已接通学生会门户。"));
    assert_eq!(of("feishu")["content"]["post"]["zh_cn"]["title"], "测试消息");
    let page = d.head.get("/d/rights/robots").await;
    assert!(page.body.contains("已发送"), "each message shows as sent: {}", page.body);
    assert_eq!(d.app.scalar("select count(*) from group_robot where last_success_at is not null").await, 3);
}

#[tokio::test]
async fn a_failing_robot_is_retried_with_backoff_then_given_up_and_holds_no_other() {
    let mut d = RobotDesk::open().await;
    let wecom = d.add("wecom", "企业微信群", &d.fake.wecom_url(), "", &[]).await;
    let feishu = d.add("feishu", "飞书群", &d.fake.feishu_url(), FEISHU_SECRET, &[]).await;
    d.fake.set("wecom", Mode::Broken);
    d.test_message(wecom).await;
    d.test_message(feishu).await;
    assert_eq!(d.deliver().await, 2);
    let (sent, gave_up, attempts, wait) = d.latest(wecom).await;
    assert!(!sent && !gave_up && attempts == 1 && (0.9..1.1).contains(&wait), "retried in a minute: {wait}");
    assert!(d.latest(feishu).await.0, "the other robot's message went");
    let page = d.head.get("/d/rights/robots").await;
    assert!(page.body.contains("平台返回错误状态") && page.body.contains("<code>500</code>"), "{}", page.body);
    assert!(page.body.contains("发送失败"), "the robot is marked failing");

    assert_eq!(d.deliver().await, 0, "nothing is due before the minute is up");
    d.make_due().await;
    d.deliver().await;
    let (_, _, attempts, wait) = d.latest(wecom).await;
    assert!(attempts == 2 && (1.9..2.1).contains(&wait), "then in two minutes: {wait}");
    d.make_due().await;
    d.deliver().await;
    assert!((3.9..4.1).contains(&d.latest(wecom).await.3), "then four");

    sqlx::query("update robot_outbox set attempts = $1 - 1 where robot_id = $2")
        .bind(robots::delivery::MAX_ATTEMPTS)
        .bind(wecom)
        .execute(&d.app.db)
        .await
        .expect("many tries later");
    d.make_due().await;
    d.deliver().await;
    let (sent, gave_up, ..) = d.latest(wecom).await;
    assert!(!sent && gave_up, "given up after the last try");
    assert!(d.head.get("/d/rights/robots").await.body.contains("已放弃"));

    d.fake.set("wecom", Mode::Answer);
    d.test_message(wecom).await;
    d.deliver().await;
    assert!(d.latest(wecom).await.0, "the robot works again");
    let page = d.head.get("/d/rights/robots").await;
    let section = page.body.split(&format!("id=\"robot-{wecom}\"")).nth(1).unwrap_or("");
    assert!(!section.split("</section>").next().unwrap_or("").contains("发送失败"), "no longer failing");
}

#[tokio::test]
async fn a_robot_that_does_not_answer_times_out_without_holding_the_others() {
    let mut d = RobotDesk::open().await;
    let wecom = d.add("wecom", "企业微信群", &d.fake.wecom_url(), "", &[]).await;
    let ding = d.add("dingtalk", "钉钉群", &d.fake.dingtalk_url(), DINGTALK_SECRET, &[]).await;
    d.fake.set("wecom", Mode::Hang);
    d.test_message(wecom).await;
    d.test_message(ding).await;
    let impatient = reqwest::Client::builder().timeout(Duration::from_secs(1)).build().expect("a client");
    let sender = Sender { http: impatient, ..d.sender() };
    let started = std::time::Instant::now();
    robots::deliver_due(&d.app.state.db, &sender).await.expect("a round");
    assert!(started.elapsed() < Duration::from_secs(4), "the round ends with the timeout: {:?}", started.elapsed());
    assert!(d.latest(ding).await.0, "the answering robot's message went");
    let kind: String = sqlx::query_scalar("select last_error_kind from group_robot where robot_id = $1")
        .bind(wecom)
        .fetch_one(&d.app.db)
        .await
        .expect("an error");
    assert_eq!(kind, "timeout");
    assert!(d.head.get("/d/rights/robots").await.body.contains("超时未响应"));
}

#[tokio::test]
async fn a_platforms_refusal_is_kept_without_the_key_or_the_secret_it_echoed() {
    let mut d = RobotDesk::open().await;
    let ding = d.add("dingtalk", "钉钉群", &d.fake.dingtalk_url(), DINGTALK_SECRET, &[]).await;
    d.fake.set("dingtalk", Mode::Refuse);
    d.test_message(ding).await;
    d.deliver().await;
    let (kind, detail): (String, String) =
        sqlx::query_as("select last_error_kind, last_error from group_robot where robot_id = $1")
            .bind(ding)
            .fetch_one(&d.app.db)
            .await
            .expect("an error");
    assert_eq!(kind, "platform");
    assert!(detail.starts_with("93000 invalid webhook url"), "{detail}");
    assert!(!detail.contains(DINGTALK_TOKEN) && !detail.contains(DINGTALK_SECRET), "{detail}");
    let page = d.head.get("/d/rights/robots").await;
    assert!(page.body.contains("平台拒绝了消息") && page.body.contains("93000"));
    assert!(!page.body.contains(DINGTALK_TOKEN) && !page.body.contains(DINGTALK_SECRET));
}

#[tokio::test]
async fn log_only_robots_and_the_log_only_setting_send_nothing() {
    let mut d = RobotDesk::open().await;
    let quiet = d.add("feishu", "试用群", &d.fake.feishu_url(), FEISHU_SECRET, &[("log_only", "on")]).await;
    d.test_message(quiet).await;
    d.deliver().await;
    assert!(d.fake.received().is_empty(), "nothing reached the chat");
    assert!(d.latest(quiet).await.0, "the message is settled");
    assert!(d.head.get("/d/rights/robots").await.body.contains("已记入日志"));

    let mut everywhere = RobotDesk::open_with(|c| c.robots_log_only = true).await;
    let loud = everywhere.add("wecom", "企业微信群", &everywhere.fake.wecom_url(), "", &[]).await;
    everywhere.test_message(loud).await;
    everywhere.deliver().await;
    assert!(everywhere.fake.received().is_empty(), "PORTAL_ROBOTS=log sends nothing");
    assert!(everywhere.latest(loud).await.0);
    assert!(everywhere.head.get("/d/rights/robots").await.body.contains("PORTAL_ROBOTS=log"));
}

/// The real binary, logging at debug level, sends through a signed robot and a refusing one
/// (which echoes every key and secret back): its log names neither robot's key nor secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_robots_key_and_secret_never_reach_the_log_even_at_debug_level() {
    let app = TestApp::spawn().await;
    let id = app.create_user(ROBOTS_HEAD, "权益部长").await;
    app.grant(ROBOTS_HEAD, "rights", "head").await;
    let fake = FakeRobot::start().await;
    fake.set("feishu", Mode::Refuse);
    let env = [("RUST_LOG", "debug"), ("PORTAL_ROBOTS_LOOPBACK", "true")];
    let mut portal = PortalProcess::start(&app.db_url, &env).await;
    let session = union_portal::web::session::insert_session(&app.db, id).await.expect("session");
    let mut head = HttpBrowser::signed_in(&portal.url, &session);
    for (platform, name, url, secret) in [
        ("dingtalk", "钉钉群", fake.dingtalk_url(), DINGTALK_SECRET),
        ("feishu", "飞书群", fake.feishu_url(), FEISHU_SECRET),
    ] {
        let fields = [
            ("platform", platform),
            ("name", name),
            ("webhook_url", &url),
            ("secret", secret),
            ("topic_events", "on"),
            ("enabled", "on"),
        ];
        let r = head.post_form("/d/rights/robots/add", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "added: {}", r.body);
    }
    let robots: Vec<i64> =
        sqlx::query_scalar("select robot_id from group_robot").fetch_all(&app.db).await.expect("the robots");
    for robot in robots {
        let r = head.post_form(&format!("/d/rights/robots/{robot}/test"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    // The outbox is read every five seconds; wait until both outcomes are recorded.
    for _ in 0..200 {
        if app
            .scalar("select count(*) from robot_outbox where sent_at is not null or last_error_kind is not null")
            .await
            == 2
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    portal.terminate();
    assert!(portal.wait_exit(Duration::from_secs(30)).await.is_some(), "the portal exits, its log flushed");
    let log = portal.output();
    assert!(log.contains("group robot message taken") && log.contains("group robot message not taken"), "{log}");
    let got = fake.received();
    assert_eq!(got.len(), 2, "both robots were called");
    assert!(got.iter().all(|r| r.verdict.is_ok()), "{got:?}");
    for secret in [DINGTALK_TOKEN, DINGTALK_SECRET, FEISHU_TOKEN, FEISHU_SECRET] {
        assert!(!log.contains(secret), "the log shows {secret}:\n{log}");
    }
}

#[tokio::test]
async fn a_reception_days_minutes_gather_into_one_message_a_few_minutes_later() {
    let mut d = RobotDesk::open().await;
    let wecom = d.add("wecom", "接待日群", &d.fake.wecom_url(), "", &[("topic_minutes", "on")]).await;
    let rights = d.app.scalar("select department_id from department where slug = 'rights'").await;
    let minute = |q: &str| robots::messages::minute("第148期校领导接待日", "abc123", q, None);
    for question in ["图书馆能否通宵开放？", "食堂能否延长营业？"] {
        robots::announce(&d.app.db, robots::Topic::Minutes, Some(rights), &minute(question)).await.expect("told");
    }
    assert_eq!(d.deliver().await, 0, "the minutes gather first");
    let (_, _, _, wait) = d.latest(wecom).await;
    assert!((4.9..5.1).contains(&wait), "for five minutes: {wait}");
    d.make_due().await;
    assert_eq!(d.deliver().await, 1, "then go as one message");
    let got = d.fake.received();
    let content = got[0].body["markdown"]["content"].as_str().unwrap_or("").to_string();
    assert!(content.contains("图书馆能否通宵开放") && content.contains("食堂能否延长营业"), "{content}");
    // A question recorded after the message went starts the next one; other news never gathers.
    robots::announce(&d.app.db, robots::Topic::Minutes, Some(rights), &minute("宿舍能否装空调？")).await.expect("told");
    let update = robots::messages::commitment_update(7, "图书馆通宵试行", "doing", "已试行两周");
    for _ in 0..2 {
        robots::announce(&d.app.db, robots::Topic::Minutes, Some(rights), &update).await.expect("told");
    }
    let rows = d.app.scalar("select count(*) from robot_outbox where topic = 'minutes'").await;
    assert_eq!(rows, 4, "the sent message, the next minutes, and each commitment update");
}
