//! Group robots over the real router, the department's side: a head registers robots whose
//! webhook and secret are never shown or audited again; a refused form says why beside each
//! field; a robot switched off is told nothing; the department's steps tell the robots that
//! chose them (and the union-wide ones), and no other department's; another department's head
//! and a member cannot reach a robot; the demo's robot only writes to the log.
//! (Delivery, with a fake robot server of each platform: robots_delivery.rs.)

use axum::http::StatusCode;
use union_portal::robots;

use crate::{
    helpers::{RobotDesk, TestApp, DINGTALK_SECRET, DINGTALK_TOKEN},
    security::authz::{self, TABLE},
};

const MEMBER: &str = "2026800002";
const LIFE_HEAD: &str = "2026800003";

#[tokio::test]
async fn a_head_registers_a_robot_whose_key_and_secret_are_never_shown_or_audited_again() {
    let mut d = RobotDesk::open().await;
    let url = d.fake.dingtalk_url();
    let id = d.add("dingtalk", "权益部工作群", &url, DINGTALK_SECRET, &[("topic_events", "on")]).await;
    let page = d.head.get("/d/rights/robots").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("权益部工作群") && page.body.contains("钉钉"), "{}", page.body);
    assert!(page.body.contains("access_token=••••0002"), "masked: {}", page.body);
    assert!(page.body.contains("已设置"), "the secret is said to be set");
    for secret in [DINGTALK_TOKEN, DINGTALK_SECRET, &DINGTALK_TOKEN[..12]] {
        assert!(!page.body.contains(secret), "the page shows {secret}");
    }
    let edit_url = page.value_by_id(&format!("r{id}-webhook_url"));
    assert_eq!(edit_url.as_deref(), Some(""), "the edit form starts empty: the saved address stays");
    let audit: String =
        sqlx::query_scalar("select concat(before::text, after::text) from audit_log where object_type = 'group_robot'")
            .fetch_one(&d.app.db)
            .await
            .expect("audited");
    assert!(audit.contains("权益部工作群") && !audit.contains(DINGTALK_TOKEN) && !audit.contains(DINGTALK_SECRET));

    // A change with the webhook and secret left empty keeps both.
    let fields =
        [("name", "权益部值班群"), ("webhook_url", ""), ("secret", ""), ("topic_minutes", "on"), ("enabled", "on")];
    let r = d.head.post_form(&format!("/d/rights/robots/{id}/update"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (name, kept_url, secret, topics): (String, String, String, Vec<String>) =
        sqlx::query_as("select name, webhook_url, secret, topics from group_robot where robot_id = $1")
            .bind(id)
            .fetch_one(&d.app.db)
            .await
            .expect("the robot");
    assert_eq!((name.as_str(), kept_url, secret.as_str()), ("权益部值班群", url, DINGTALK_SECRET));
    assert_eq!(topics, vec!["minutes".to_string()]);
    let clear = [("name", "权益部值班群"), ("clear_secret", "on"), ("topic_minutes", "on"), ("enabled", "on")];
    d.head.post_form(&format!("/d/rights/robots/{id}/update"), &clear).await;
    let secret: String = sqlx::query_scalar("select secret from group_robot where robot_id = $1")
        .bind(id)
        .fetch_one(&d.app.db)
        .await
        .expect("the robot");
    assert_eq!(secret, "", "the secret is removed when asked");
}

#[tokio::test]
async fn a_refused_robot_says_why_beside_each_field_and_keeps_what_was_typed_but_the_secret() {
    let mut d = RobotDesk::open().await;
    d.head.get("/d/rights/robots").await;
    let elsewhere = "https://evil.example/robot/send?access_token=abcdefgh12345678";
    let fields =
        [("platform", "dingtalk"), ("name", "权益部工作群"), ("webhook_url", elsewhere), ("secret", "not-a-secret!")];
    let r = d.head.post_form("/d/rights/robots/add", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.field_error("r0-webhook_url").as_deref(),
        Some("这不是所选平台的 Webhook 地址（须以 https:// 开头，域名是平台的）。")
    );
    assert_eq!(r.field_error("r0-secret").as_deref(), Some("签名密钥只含字母和数字，钉钉的以 SEC 开头。"));
    assert_eq!(r.field_error("r0-topics").as_deref(), Some("请至少选择一类推送内容。"));
    assert_eq!(r.value_by_id("r0-name").as_deref(), Some("权益部工作群"), "the name is kept");
    assert_eq!(r.value_by_id("r0-webhook_url").as_deref(), Some(elsewhere), "the address is kept to be fixed");
    assert_eq!(r.value_by_id("r0-secret").as_deref(), Some(""), "a secret is never written back");
    assert!(!r.body.contains("not-a-secret!"));

    let wecom_with_secret = [
        ("platform", "wecom"),
        ("name", "甲"),
        ("webhook_url", &d.fake.wecom_url()),
        ("secret", "SECabc"),
        ("topic_events", "on"),
    ];
    let r = d.head.post_form("/d/rights/robots/add", &wecom_with_secret).await;
    assert_eq!(r.field_error("r0-secret").as_deref(), Some("企业微信群机器人没有签名密钥，请留空。"));
    let keyless = format!("{}/cgi-bin/webhook/send", d.fake.base);
    let r = d
        .head
        .post_form(
            "/d/rights/robots/add",
            &[("platform", "wecom"), ("name", "乙"), ("webhook_url", &keyless), ("topic_events", "on")],
        )
        .await;
    assert_eq!(
        r.field_error("r0-webhook_url").as_deref(),
        Some("地址里缺少机器人的 key 或 access_token，请整段复制。")
    );
    assert_eq!(d.app.scalar("select count(*) from group_robot").await, 0, "nothing saved");

    d.add("wecom", "权益部工作群", &d.fake.wecom_url(), "", &[]).await;
    let r = d
        .head
        .post_form(
            "/d/rights/robots/add",
            &[
                ("platform", "wecom"),
                ("name", "权益部工作群"),
                ("webhook_url", &d.fake.wecom_url()),
                ("topic_events", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("r0-name").as_deref(), Some("这个名称已被使用。"));
}

#[tokio::test]
async fn a_disabled_robot_is_told_nothing_and_gives_up_what_waited() {
    let mut d = RobotDesk::open().await;
    let id = d.add("wecom", "企业微信群", &d.fake.wecom_url(), "", &[]).await;
    d.test_message(id).await;
    let off = [("name", "企业微信群"), ("topic_bulletins", "on")];
    let r = d.head.post_form(&format!("/d/rights/robots/{id}/update"), &off).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(d.latest(id).await.1, "the waiting message is given up");
    assert_eq!(d.deliver().await, 0);
    let r = d.head.post_form(&format!("/d/rights/robots/{id}/test"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("机器人已停用"));
    let told = robots::announce(
        &d.app.db,
        robots::Topic::Bulletins,
        Some(rights(&d.app).await),
        &robots::messages::bulletin(57, 3),
    )
    .await
    .expect("announced");
    assert_eq!(told, 0, "a disabled robot gets no announcement");
    let r = d.head.post_form(&format!("/d/rights/robots/{id}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        d.app.scalar("select count(*) from group_robot").await
            + d.app.scalar("select count(*) from robot_outbox").await,
        0
    );
}

async fn rights(app: &TestApp) -> i64 {
    app.scalar("select department_id from department where slug = 'rights'").await
}

#[tokio::test]
async fn announcements_go_to_the_owners_robots_that_chose_the_topic_and_to_union_wide_ones() {
    let app = TestApp::spawn().await;
    let sql = "insert into group_robot (department_id, platform, name, webhook_url, topics, union_wide, enabled)
               select department_id, 'wecom', $2, 'http://127.0.0.1:9/cgi-bin/webhook/send?key=abcdefgh', $3, $4, $5
               from department where slug = $1 returning robot_id";
    let mut ids = vec![];
    for (dept, name, topics, union_wide, enabled) in [
        ("rights", "权益部群", vec!["bulletins"], false, true),
        ("rights", "权益部活动群", vec!["events"], false, true),
        ("rights", "权益部停用群", vec!["bulletins"], false, false),
        ("life", "生活部群", vec!["bulletins"], false, true),
        ("publicity", "全会群", vec!["bulletins"], true, true),
        ("publicity", "宣传部活动群", vec!["events"], true, true),
    ] {
        let id: i64 = sqlx::query_scalar(sql)
            .bind(dept)
            .bind(name)
            .bind(topics)
            .bind(union_wide)
            .bind(enabled)
            .fetch_one(&app.db)
            .await
            .expect("a robot");
        ids.push(id);
    }
    let told = robots::announce(
        &app.db,
        robots::Topic::Bulletins,
        Some(rights(&app).await),
        &robots::messages::bulletin(57, 3),
    )
    .await
    .expect("announced");
    assert_eq!(told, 2);
    let got: Vec<i64> = sqlx::query_scalar("select robot_id from robot_outbox order by robot_id")
        .fetch_all(&app.db)
        .await
        .expect("the outbox");
    assert_eq!(got, vec![ids[0], ids[4]], "the owner's bulletin robot and the union-wide one");
    let (title, body, link): (String, String, String) =
        sqlx::query_as("select title, body, link from robot_outbox limit 1").fetch_one(&app.db).await.expect("one");
    assert_eq!(title, "失物招领第57期已发布");
    assert!(body.contains("本期登记 3 件物品"), "{body}");
    assert_eq!(link, "/lost-found/bulletins/57");
}

/// Each announcing step of the portal, taken through its own route by the rights head in the
/// table's world (whose forms are valid), and the topic its message carries.
const ANNOUNCING: [(&str, &str, &str); 8] = [
    ("/d/{dept}/lost-found/bulletins/publish", "bulletins", "失物招领第"),
    ("/d/{dept}/reception/new", "reception", "开放报名和提问"),
    ("/d/{dept}/reception/{session_id}/minutes", "minutes", "纪要更新"),
    ("/d/{dept}/commitments/{commitment_id}/update", "minutes", "承诺进展："),
    ("/d/{dept}/events/new", "events", "活动报名："),
    ("/d/{dept}/events/{event_id}/draw", "events", "抽签结果已公布"),
    ("/d/{dept}/inspections/rounds/{round_id}/publish", "inspections", "宿舍卫生检查结果已公布"),
    ("/d/{dept}/reception/{session_id}/update", "reception", "时间或地点有变"),
];

#[tokio::test]
async fn every_announcing_step_tells_the_departments_robot_in_its_own_transaction() {
    let mut w = authz::world().await;
    let robot: i64 = sqlx::query_scalar(
        "insert into group_robot (department_id, platform, name, webhook_url, topics)
         select department_id, 'wecom', '权益部群', 'http://127.0.0.1:9/cgi-bin/webhook/send?key=abcdefgh',
                '{bulletins,reception,minutes,events,inspections}'
         from department where slug = 'rights' returning robot_id",
    )
    .fetch_one(&w.app.db)
    .await
    .expect("a robot");
    let head = authz::ROLES.iter().position(|r| *r == "head").expect("the head");
    for (n, (route, topic, words)) in ANNOUNCING.iter().enumerate() {
        let row = TABLE.iter().find(|r| r.route == *route && r.method == "POST").expect("the route's row");
        let (path, mut form) = w.prepare(row, 900 + n).await;
        if route.ends_with("/update") && route.contains("reception") {
            // A new time: the session moves a day later.
            let later = chrono::Utc::now() + chrono::Duration::days(9);
            let local = |t: chrono::DateTime<chrono::Utc>| {
                t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%dT%H:%M").to_string()
            };
            for (k, v) in form.iter_mut() {
                match k.as_str() {
                    "starts_at" => *v = local(later),
                    "ends_at" => *v = local(later + chrono::Duration::hours(2)),
                    _ => {}
                }
            }
        }
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let b = &mut w.browsers[head];
        let r = if authz::MULTIPART.contains(route) {
            b.post_multipart(&path, &fields, &[]).await
        } else {
            b.post_form(&path, &fields).await
        };
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
        let told: Option<(String, String)> = sqlx::query_as(
            "select topic, title from robot_outbox where robot_id = $1 order by message_id desc limit 1",
        )
        .bind(robot)
        .fetch_optional(&w.app.db)
        .await
        .expect("the outbox");
        let (got_topic, title) = told.unwrap_or_else(|| panic!("{path} told the robot nothing"));
        assert_eq!(got_topic, *topic, "{path}");
        assert!(title.contains(words), "{path}: {title}");
        sqlx::query("delete from robot_outbox").execute(&w.app.db).await.expect("cleared");
    }
}

#[tokio::test]
async fn another_departments_head_and_a_member_cannot_reach_the_robots() {
    let mut d = RobotDesk::open().await;
    let id = d.add("wecom", "企业微信群", &d.fake.wecom_url(), "", &[]).await;
    let other = d.app.create_user(LIFE_HEAD, "生活部长").await;
    d.app.grant(LIFE_HEAD, "life", "head").await;
    let mut life = d.app.browser_signed_in(other).await;
    assert_eq!(life.get("/d/rights/robots").await.status, StatusCode::FORBIDDEN);
    let fields = [("name", "改名"), ("topic_events", "on"), ("enabled", "on")];
    for action in ["update", "test", "remove"] {
        let r = life.post_form(&format!("/d/life/robots/{id}/{action}"), &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{action} through the other department");
        let r = life.post_form(&format!("/d/rights/robots/{id}/{action}"), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action} in this department");
    }
    let own = life.get("/d/life/robots").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("企业微信群"), "another department's robot is not listed");
    let member = d.app.create_user(MEMBER, "部员").await;
    d.app.grant(MEMBER, "rights", "member").await;
    assert_eq!(d.app.browser_signed_in(member).await.get("/d/rights/robots").await.status, StatusCode::FORBIDDEN);
    let (name, messages): (String, i64) =
        sqlx::query_as("select name, (select count(*) from robot_outbox) from group_robot where robot_id = $1")
            .bind(id)
            .fetch_one(&d.app.db)
            .await
            .expect("unchanged");
    assert_eq!((name.as_str(), messages), ("企业微信群", 0));
}

#[tokio::test]
async fn the_demo_registers_one_log_only_robot_at_a_local_address_once() {
    let app = TestApp::spawn().await;
    app.create_user("2023010001", "李明哲").await;
    assert_eq!(union_portal::cli::demo::seed_robots(&app.state).await.expect("seeded"), 1);
    assert_eq!(union_portal::cli::demo::seed_robots(&app.state).await.expect("again"), 0, "safe to run twice");
    let (url, log_only, enabled): (String, bool, bool) =
        sqlx::query_as("select webhook_url, log_only, enabled from group_robot").fetch_one(&app.db).await.expect("one");
    assert!(url.starts_with("http://127.0.0.1:9/") && log_only && enabled, "{url}");
}
