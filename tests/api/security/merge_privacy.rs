//! Merging duplicates never shows anyone a complaint they could not see before
//! (issue 16): the three-student story in every direction, checked on `/me`,
//! `/me/notifications`, the mail outbox, the public pages and the feeds; and the
//! complaint page's rule (`can_see`) and SQL's (`complaint_visible_to`) agree.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

/// Three students and a handler of 权益服务部: `kept`'s reporter, the duplicate's
/// reporter and a third student who may support the duplicate.
struct Story {
    app: TestApp,
    handler: Browser,
    first: Browser,
    second: Browser,
    third: Browser,
}

const FIRST: &str = "2026200001";
const SECOND: &str = "2026200003";
const THIRD: &str = "2026200012";

async fn story() -> Story {
    let app = TestApp::spawn().await;
    let handler = app.create_user("2026200002", "权益部员").await;
    app.grant("2026200002", "rights", "member").await;
    let first = app.create_user(FIRST, "第一位同学").await;
    let second = app.create_user(SECOND, "第二位同学").await;
    let third = app.create_user(THIRD, "第三位同学").await;
    Story {
        handler: app.browser_signed_in(handler).await,
        first: app.browser_signed_in(first).await,
        second: app.browser_signed_in(second).await,
        third: app.browser_signed_in(third).await,
        app,
    }
}

async fn merge(handler: &mut Browser, duplicate: &str, kept: &str) -> crate::helpers::TestResponse {
    handler.post_form(&format!("/d/rights/complaints/{duplicate}/merge"), &[("into", kept)]).await
}

/// Everything a student is told about complaints: `/me`, `/me/notifications` and their mail.
async fn told_to(app: &TestApp, b: &mut Browser, student_no: &str) -> String {
    let mails: Vec<(String, String, String)> =
        sqlx::query_as("select subject, body, link from mail_outbox where to_address = $1")
            .bind(format!("{student_no}@stu.example.edu.cn"))
            .fetch_all(&app.db)
            .await
            .unwrap();
    let mut all = b.get("/me").await.body + &b.get("/me/notifications").await.body;
    for (subject, body, link) in mails {
        all += &format!("\n{subject}\n{body}\n{link}");
    }
    all
}

/// What anyone may read without an account: both complaints' pages (when shown),
/// the board and the feeds; and whether searching the board for `no` finds it (the
/// search box itself repeats what was typed, so only a found link counts).
async fn public_view(app: &TestApp, nos: &[&str], no: &str) -> String {
    let mut visitor = app.browser();
    let mut all = String::new();
    let paths = ["/complaints".to_string(), "/feeds/reception.atom".into(), "/feeds/lost-found.atom".into()];
    for path in paths.into_iter().chain(nos.iter().map(|n| format!("/complaints/{n}"))) {
        let r = visitor.get(&path).await;
        if r.status == StatusCode::OK {
            all += &r.body;
        }
    }
    if visitor.get(&format!("/complaints?q={no}")).await.body.contains(&format!(r#"href="/complaints/{no}""#)) {
        all += no;
    }
    all
}

async fn supporters_of(app: &TestApp, no: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select u.student_no from complaint_support s join complaint c using (complaint_id)
         join app_user u on u.user_id = s.user_id where c.tracking_no = $1 order by u.student_no",
    )
    .bind(no)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn merged_into(app: &TestApp, no: &str) -> Option<i64> {
    sqlx::query_scalar("select merged_into_id from complaint where tracking_no = $1")
        .bind(no)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_public_complaint_is_not_merged_into_a_private_one_and_its_followers_learn_nothing_of_it() {
    let mut s = story().await;
    let kept = s.app.complaint().title("西区24号楼白蚁蛀门框").private().by(&mut s.first).file().await;
    let duplicate = s.app.complaint().title("宿舍白蚁又出现了").public().by(&mut s.second).file().await;
    s.third.post_form(&format!("/complaints/{duplicate}/support"), &[]).await;

    let r = merge(&mut s.handler, &duplicate, &kept).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "public into private is refused");
    assert_eq!(
        r.field_error("into").as_deref(),
        Some("公开投诉不能合并到不公开的投诉：关注它的同学看不到那件投诉。请把不公开的投诉合并到这一件。")
    );
    assert_eq!(r.field_value("into").as_deref(), Some(kept.as_str()), "what was typed is kept");
    assert_eq!(merged_into(&s.app, &duplicate).await, None);
    assert!(supporters_of(&s.app, &kept).await.is_empty());

    for (b, no) in [(&mut s.second, SECOND), (&mut s.third, THIRD)] {
        let told = told_to(&s.app, b, no).await;
        assert!(
            !told.contains(&kept) && !told.contains("西区24号楼白蚁蛀门框"),
            "{no} is told of the private complaint"
        );
        assert_eq!(b.get(&format!("/complaints/{kept}")).await.status, StatusCode::NOT_FOUND);
    }
    assert!(!public_view(&s.app, &[&kept, &duplicate], &kept).await.contains(&kept));

    // The way that is allowed: the private duplicate into the public complaint.
    assert_eq!(merge(&mut s.handler, &kept, &duplicate).await.status, StatusCode::SEE_OTHER);
    assert_eq!(supporters_of(&s.app, &duplicate).await, [FIRST, THIRD], "its reporter follows the public one");
    assert!(!public_view(&s.app, &[&kept, &duplicate], &kept).await.contains(&kept));
}

#[tokio::test]
async fn a_private_duplicate_merged_into_a_public_complaint_is_never_named_in_public() {
    let mut s = story().await;
    let kept = s.app.complaint().title("教三楼吊扇掉落").public().by(&mut s.first).file().await;
    let duplicate = s.app.complaint().title("301教室吊扇螺丝松动").private().by(&mut s.second).file().await;
    s.third.post_form(&format!("/complaints/{kept}/support"), &[]).await;

    let r = merge(&mut s.handler, &duplicate, &kept).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(supporters_of(&s.app, &kept).await, [SECOND, THIRD], "the duplicate's reporter follows the kept one");

    let public = public_view(&s.app, &[&kept, &duplicate], &duplicate).await;
    assert!(!public.contains(&duplicate) && !public.contains("301教室吊扇螺丝松动"), "the private number in public");
    assert!(public.contains("合并了一件不公开的重复投诉"), "the kept timeline says a private duplicate came in");
    for (b, no) in [(&mut s.first, FIRST), (&mut s.third, THIRD)] {
        let told = told_to(&s.app, b, no).await + &b.get(&format!("/complaints/{kept}")).await.body;
        assert!(!told.contains(&duplicate) && !told.contains("301教室吊扇螺丝松动"), "{no} is told of the private one");
        assert!(told.contains(&kept), "{no} hears of the merge on the kept complaint");
    }

    // Its own reporter may see both, so both are named to them.
    let page = s.second.get(&format!("/complaints/{duplicate}")).await.body;
    assert!(page.contains("已作为重复投诉合并") && page.contains(&format!(r#"href="/complaints/{kept}""#)));
    let told = told_to(&s.app, &mut s.second, SECOND).await;
    assert!(told.contains("教三楼吊扇掉落") && told.contains(&duplicate));
    let case = s.handler.get(&format!("/d/rights/complaints/{kept}")).await.body;
    assert!(case.contains(&duplicate), "handlers see which complaint came in");
}

#[tokio::test]
async fn private_complaints_of_two_reporters_merge_and_each_reporter_sees_only_their_own() {
    let mut s = story().await;
    let kept = s.app.complaint().title("西区24号楼白蚁蛀门框").private().by(&mut s.first).file().await;
    let duplicate = s.app.complaint().title("宿舍白蚁又出现了").private().by(&mut s.second).file().await;
    let r = s.third.post_form(&format!("/complaints/{duplicate}/support"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a private complaint has no supporters to carry");

    let r = merge(&mut s.handler, &duplicate, &kept).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let flash = s.handler.get(r.location().expect("redirect")).await.body;
    assert!(
        flash.contains(&format!("部分关注者看不到保留的投诉，仍留在 {duplicate}")),
        "the handler is told to answer there"
    );
    assert!(merged_into(&s.app, &duplicate).await.is_some());
    assert!(supporters_of(&s.app, &kept).await.is_empty(), "nobody carried to what they may not see");

    let told = told_to(&s.app, &mut s.second, SECOND).await;
    assert!(
        !told.contains(&kept) && !told.contains("西区24号楼白蚁蛀门框"),
        "the second student is told of the first's"
    );
    assert!(told.contains(&duplicate), "but hears of the merge of their own");
    let page = s.second.get(&format!("/complaints/{duplicate}")).await.body;
    assert!(!page.contains(&kept) && page.contains("合并到一件不公开的投诉"), "their page says only that");
    assert_eq!(s.second.get(&format!("/complaints/{kept}")).await.status, StatusCode::NOT_FOUND);

    let told = told_to(&s.app, &mut s.first, FIRST).await + &s.first.get(&format!("/complaints/{kept}")).await.body;
    assert!(
        !told.contains(&duplicate) && !told.contains("宿舍白蚁又出现了"),
        "the first student is told of the second's"
    );
    assert!(told.contains("合并了一件不公开的重复投诉"));

    let public = public_view(&s.app, &[&kept, &duplicate], &kept).await;
    assert!(!public.contains(&kept) && !public.contains(&duplicate));
    let case = s.handler.get(&format!("/d/rights/complaints/{kept}")).await.body;
    assert!(case.contains(&duplicate), "handlers see both numbers");
    let case = s.handler.get(&format!("/d/rights/complaints/{duplicate}")).await.body;
    assert!(case.contains(&kept));
}

#[tokio::test]
async fn private_complaints_of_one_reporter_merge_and_name_each_other_to_that_reporter() {
    let mut s = story().await;
    let kept = s.app.complaint().title("西区24号楼白蚁蛀门框").private().by(&mut s.first).file().await;
    let duplicate = s.app.complaint().title("24号楼白蚁（补充）").private().by(&mut s.first).file().await;
    let r = merge(&mut s.handler, &duplicate, &kept).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(s.handler.get(r.location().expect("redirect")).await.body.contains(&format!("投诉 {duplicate} 已合并。")));
    assert!(s
        .first
        .get(&format!("/complaints/{kept}"))
        .await
        .body
        .contains(&format!(r#"href="/complaints/{duplicate}""#)));
    assert!(s
        .first
        .get(&format!("/complaints/{duplicate}"))
        .await
        .body
        .contains(&format!(r#"href="/complaints/{kept}""#)));
    let told = told_to(&s.app, &mut s.second, SECOND).await + &public_view(&s.app, &[&kept, &duplicate], &kept).await;
    assert!(!told.contains(&kept) && !told.contains(&duplicate));
}

#[tokio::test]
async fn a_support_on_a_complaint_its_student_may_not_see_brings_no_news_and_no_line_on_me() {
    let mut s = story().await;
    let no = s.app.complaint().title("西区24号楼白蚁蛀门框").private().by(&mut s.first).file().await;
    // As an earlier merge into a private complaint left it.
    sqlx::query(
        "insert into complaint_support (complaint_id, user_id)
         select complaint_id, (select user_id from app_user where student_no = $2) from complaint where tracking_no = $1",
    )
    .bind(&no)
    .bind(SECOND)
    .execute(&s.app.db)
    .await
    .unwrap();
    let r = s.handler.post_form(&format!("/d/rights/complaints/{no}/reply"), &[("body", "已联系宿管")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let told = told_to(&s.app, &mut s.second, SECOND).await;
    assert!(!told.contains(&no) && !told.contains("西区24号楼白蚁蛀门框"));
    assert!(told_to(&s.app, &mut s.first, FIRST).await.contains(&no), "the reporter still hears");
}

#[tokio::test]
async fn the_complaint_page_and_the_sql_rule_agree_on_who_may_see_a_complaint() {
    let mut s = story().await;
    let public = s.app.complaint().title("教三楼吊扇掉落").public().by(&mut s.first).file().await;
    let private = s.app.complaint().title("西区24号楼白蚁蛀门框").private().by(&mut s.first).file().await;
    let life_head = s.app.create_user("2026200005", "生活部长").await;
    s.app.grant("2026200005", "life", "head").await;
    let presidium = s.app.create_user("2026200006", "主席").await;
    s.app.grant_union("2026200006", "presidium").await;
    let viewers = [
        ("visitor", None, false),
        ("reporter", Some(s.app.user_id(FIRST).await), true),
        ("another student", Some(s.app.user_id(SECOND).await), false),
        ("handler", Some(s.app.user_id("2026200002").await), true),
        ("another department's head", Some(life_head), false),
        ("presidium", Some(presidium), true),
    ];
    for (no, is_public) in [(&public, true), (&private, false)] {
        for (who, user, sees_private) in viewers {
            let mut b = match user {
                Some(id) => s.app.browser_signed_in(id).await,
                None => s.app.browser(),
            };
            let page = b.get(&format!("/complaints/{no}")).await.status == StatusCode::OK;
            let sql: bool = sqlx::query_scalar(
                "select complaint_visible_to((select complaint_id from complaint where tracking_no = $1), $2)",
            )
            .bind(no)
            .bind(user)
            .fetch_one(&s.app.db)
            .await
            .unwrap();
            assert_eq!(page, is_public || sees_private, "the page, {who}, {no}");
            assert_eq!(sql, page, "SQL and the page disagree for {who} on {no}");
        }
    }
}
