//! Complaints over the real router: filing, the whole workflow, privacy, supports, notifications.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    handler: Browser,
    other_student: Browser,
}

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026200001", "白蚁受害者").await;
    let handler = app.create_user("2026200002", "权益部员").await;
    let other = app.create_user("2026200003", "隔壁同学").await;
    app.grant("2026200002", "rights", "member").await;
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        other_student: app.browser_signed_in(other).await,
        app,
    }
}

async fn step(h: &mut Browser, no: &str, fields: &[(&str, &str)]) -> crate::helpers::TestResponse {
    h.post_form(&format!("/d/rights/complaints/{no}/transition"), fields).await
}

async fn status_of(app: &TestApp, no: &str) -> String {
    sqlx::query_scalar("select status from complaint where tracking_no = $1").bind(no).fetch_one(&app.db).await.unwrap()
}

async fn unread(app: &TestApp, student_no: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from notification n join app_user u using (user_id) where u.student_no = $1 and n.read_at is null",
    )
    .bind(student_no)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_complaint_goes_through_every_step_and_the_student_sees_each_one() {
    let mut c = cast().await;
    assert_eq!(c.student.get("/complaints/new").await.status, StatusCode::OK);
    let no = c.app.complaint().by(&mut c.student).file().await;
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(no, format!("QY-{year}-000001"));
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains(&no) && page.body.contains("已提交") && page.body.contains("权益服务部"));
    assert_eq!(unread(&c.app, "2026200002").await, 1, "the handling department hears of it");

    assert_eq!(step(&mut c.handler, &no, &[("to", "accepted")]).await.status, StatusCode::SEE_OTHER);
    let office: i64 = sqlx::query_scalar("select office_id from school_office where name_zh = '后勤处'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let r = step(&mut c.handler, &no, &[("to", "forwarded"), ("office_id", &office.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = step(&mut c.handler, &no, &[("to", "responded"), ("body", "后勤处已更换全部吊扇的固定螺栓。")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(step(&mut c.handler, &no, &[("to", "resolved")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&c.app, &no).await, "resolved");
    assert_eq!(unread(&c.app, "2026200001").await, 4, "one notification per public step");

    let page = c.student.get(&format!("/complaints/{no}")).await;
    for text in ["已受理", "已转交", "后勤处", "已答复", "后勤处已更换全部吊扇的固定螺栓。", "已解决"]
    {
        assert!(page.body.contains(text), "{text} on the timeline");
    }
    assert!(!page.body.contains("权益部员"), "officers are not named to students");
    assert!(page.body.contains(r#"<span class="count">4</span>"#), "the bell shows the unread count");

    let r = c.student.post_form(&format!("/complaints/{no}/confirm"), &[("rating", "5"), ("body", "修得很快")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let rating: Option<i16> = sqlx::query_scalar("select rating from complaint where tracking_no = $1")
        .bind(&no)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(rating, Some(5));
    assert!(c.student.get(&format!("/complaints/{no}")).await.body.contains("5/5 · 修得很快"));
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where object_id = $1 and action = 'complaint.transition'")
            .bind(&no)
            .fetch_one(&c.app.db)
            .await
            .unwrap();
    assert_eq!(audited, 4, "every handler step is audited");
}

#[tokio::test]
async fn illegal_steps_are_refused_with_a_message_and_change_nothing() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    for target in ["resolved", "responded", "forwarded", "submitted", "nonsense"] {
        let r = step(&mut c.handler, &no, &[("to", target), ("body", "说明")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{target}");
        assert_eq!(r.field_error("to").as_deref(), Some("当前状态下不能进行这一步。"));
        assert_eq!(status_of(&c.app, &no).await, "submitted");
    }
    let r = step(&mut c.handler, &no, &[("to", "rejected"), ("body", "")]).await;
    assert_eq!(r.field_error("body").as_deref(), Some("此项为必填项。"), "a rejection needs its reason");
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let r = step(&mut c.handler, &no, &[("to", "forwarded"), ("body", "转给后勤处")]).await;
    assert_eq!(r.field_error("office_id").as_deref(), Some("转交时请选择职能部门。"));
    assert!(r.body.contains("转给后勤处"), "the typed text is kept");
    assert_eq!(status_of(&c.app, &no).await, "accepted");
}

#[tokio::test]
async fn two_handlers_acting_at_once_never_skip_a_state() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let second = c.app.create_user("2026200004", "另一位部员").await;
    c.app.grant("2026200004", "rights", "member").await;
    let mut other_handler = c.app.browser_signed_in(second).await;

    // Both pages show "submitted"; both try to move on.
    c.handler.get(&format!("/d/rights/complaints/{no}")).await;
    other_handler.get(&format!("/d/rights/complaints/{no}")).await;
    let path = format!("/d/rights/complaints/{no}/transition");
    let (a, b) = tokio::join!(
        c.handler.post_form(&path, &[("to", "accepted"), ("from", "submitted")]),
        other_handler.post_form(&path, &[("to", "rejected"), ("from", "submitted"), ("body", "重复投诉")]),
    );

    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let loser = if a.status == StatusCode::CONFLICT { a } else { b };
    assert!(loser.body.contains("刚刚被别人处理过"), "the loser is told what happened");
    let steps: i64 = sqlx::query_scalar("select count(*) from complaint_event e join complaint c using (complaint_id) where c.tracking_no = $1 and e.kind = 'status'")
        .bind(&no)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(steps, 1);
}

#[tokio::test]
async fn concurrent_submissions_get_distinct_increasing_tracking_numbers() {
    let app = TestApp::spawn().await;
    let mut browsers = vec![];
    for i in 0..12 {
        let id = app.create_user(&format!("20263000{i:02}"), "同学").await;
        browsers.push(app.browser_signed_in(id).await);
    }
    let futures = browsers.iter_mut().map(|b| app.complaint().by(b).file());
    let mut numbers = futures::future::join_all(futures).await;
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 12, "no number given twice");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(numbers.first().map(String::as_str), Some(format!("QY-{year}-000001").as_str()));
    assert_eq!(numbers.last().map(String::as_str), Some(format!("QY-{year}-000012").as_str()));
}

#[tokio::test]
async fn numbers_go_on_after_the_highest_one_a_year_holds_and_the_number_finds_its_complaint() {
    let mut c = cast().await;
    let first = c.app.complaint().by(&mut c.student).file().await;
    let year = first.split('-').nth(1).expect("year").to_string();
    // Data loaded by other means (the benchmark seeder, an import) holds higher numbers.
    let loaded = format!("QY-{year}-000041");
    sqlx::query("update complaint set tracking_no = $1 where tracking_no = $2")
        .bind(&loaded)
        .bind(&first)
        .execute(&c.app.db)
        .await
        .unwrap();
    sqlx::query("select continue_tracking_numbers()").execute(&c.app.db).await.unwrap();
    let next = c.app.complaint().by(&mut c.student).file().await;
    assert_eq!(next, format!("QY-{year}-000042"));
    let found = c.other_student.get(&format!("/complaints?q={next}")).await.body;
    assert!(found.contains(&format!("/complaints/{next}")), "searching the number finds it");
    assert!(!found.contains(&format!("/complaints/{loaded}")), "and only it");
}

#[tokio::test]
async fn a_private_complaint_is_404_to_everyone_but_the_reporter_the_handlers_and_the_presidium() {
    let mut c = cast().await;
    let no = c.app.complaint().private().by(&mut c.student).file().await;
    let path = format!("/complaints/{no}");

    assert_eq!(c.student.get(&path).await.status, StatusCode::OK);
    assert_eq!(c.handler.get(&path).await.status, StatusCode::OK);
    let r = c.other_student.get(&path).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("教三楼吊扇掉落"));
    assert_eq!(c.app.browser().get(&path).await.status, StatusCode::NOT_FOUND);
    let life_head = c.app.create_user("2026200005", "生活部长").await;
    c.app.grant("2026200005", "life", "head").await;
    assert_eq!(c.app.browser_signed_in(life_head).await.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        c.app.browser_signed_in(life_head).await.get(&format!("/d/life/complaints/{no}")).await.status,
        StatusCode::NOT_FOUND,
        "another department's queue does not have it"
    );
    let presidium = c.app.create_user("2026200006", "主席").await;
    c.app.grant_union("2026200006", "presidium").await;
    assert_eq!(c.app.browser_signed_in(presidium).await.get(&path).await.status, StatusCode::OK);
    assert!(!c.app.browser().get("/complaints").await.body.contains(&no), "not on the public board");
    let r = c.other_student.post_form(&format!("/complaints/{no}/support"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "nor can it be supported");
}

#[tokio::test]
async fn an_anonymous_reporter_appears_on_no_public_page_but_the_handlers_see_them() {
    let mut c = cast().await;
    let no = c.app.complaint().anonymous(true).by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;

    for path in [format!("/complaints/{no}"), "/complaints".to_string()] {
        for b in [&mut c.app.browser(), &mut c.other_student] {
            let body = b.get(&path).await.body;
            assert!(!body.contains("白蚁受害者") && !body.contains("2026200001"), "{path} leaks the reporter");
        }
    }
    assert!(c.app.browser().get(&format!("/complaints/{no}")).await.body.contains("匿名同学"));
    let staff = c.handler.get(&format!("/d/rights/complaints/{no}")).await.body;
    assert!(staff.contains("白蚁受害者") && staff.contains("2026200001"));
}

#[tokio::test]
async fn internal_notes_stay_inside_the_department() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;

    let r = c
        .handler
        .post_form(&format!("/d/rights/complaints/{no}/note"), &[("body", "此人上周也投诉过，注意核实")])
        .await;

    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.handler.get(&format!("/d/rights/complaints/{no}")).await.body.contains("此人上周也投诉过"));
    assert!(!c.student.get(&format!("/complaints/{no}")).await.body.contains("此人上周也投诉过"));
    assert_eq!(unread(&c.app, "2026200001").await, 0, "a note tells nobody");
    // The public timeline around it: both replies, in the order they were given, and still not the note.
    for reply in ["已联系教务处", "教务处已答复，下周调整"] {
        c.handler.post_form(&format!("/d/rights/complaints/{no}/reply"), &[("body", reply)]).await;
    }
    let page = c.student.get(&format!("/complaints/{no}")).await.body;
    let (first, second) = (page.find("已联系教务处"), page.find("教务处已答复，下周调整"));
    assert!(first.is_some() && first < second, "the public replies, oldest first");
    assert!(!page.contains("此人上周也投诉过"));
}

#[tokio::test]
async fn supporters_count_once_and_hear_of_every_public_step() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let path = format!("/complaints/{no}/support");
    let page = format!("/complaints/{no}");
    assert!(c.other_student.get(&page).await.body.contains(">同问</button>"), "not supported yet");
    assert_eq!(c.other_student.post_form(&path, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(c.other_student.post_form(&path, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(c.other_student.get(&page).await.body.contains(" disabled>已同问</button>"), "the viewer's own support");
    let n = c.app.scalar("select count(*) from complaint_support").await;
    assert_eq!(n, 1, "one support per student");
    assert_eq!(c.student.post_form(&path, &[]).await.status, StatusCode::CONFLICT, "not one's own");
    c.handler.post_form(&format!("/d/rights/complaints/{no}/reply"), &[("body", "已联系教务处")]).await;
    assert_eq!(unread(&c.app, "2026200003").await, 1);
    let me = c.other_student.get("/me").await.body;
    let heading = me.find("我同问的投诉").expect("the supported list");
    assert!(me.find(&no).is_some_and(|at| at > heading), "/me lists what I support, under its heading");
    // The reporter's own, newest first, and no supported list (both come from one statement).
    let newer = c.app.complaint().by(&mut c.student).file().await;
    let reporter_me = c.student.get("/me").await.body;
    assert!(!reporter_me.contains("我同问的投诉"));
    let (older_at, newer_at) = (reporter_me.find(&no), reporter_me.find(&newer));
    assert!(newer_at.is_some() && older_at.is_some() && newer_at < older_at, "newest first");
    let board = c.app.browser().get("/complaints").await;
    assert!(board.body.contains("1 人同问") && board.body.contains("0 天内答复"));
}

#[tokio::test]
async fn the_reporter_can_reopen_a_resolved_complaint_with_a_reason() {
    let mut c = cast().await;
    let no = c.app.complaint().private().by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    step(&mut c.handler, &no, &[("to", "responded"), ("body", "已修好")]).await;
    step(&mut c.handler, &no, &[("to", "resolved")]).await;
    let path = format!("/complaints/{no}/reopen");
    let r = c.student.post_form(&path, &[("body", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("reopened").as_deref(), Some("此项为必填项。"));
    assert_eq!(
        c.handler.post_form(&path, &[("body", "冒充")]).await.status,
        StatusCode::NOT_FOUND,
        "only the reporter"
    );
    assert_eq!(c.student.post_form(&path, &[("body", "风扇又松了")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&c.app, &no).await, "accepted");
    sqlx::query(
        "update complaint set status = 'resolved', resolved_at = now() - interval '15 days' where tracking_no = $1",
    )
    .bind(&no)
    .execute(&c.app.db)
    .await
    .unwrap();
    assert_eq!(
        c.student.post_form(&path, &[("body", "还是不行")]).await.status,
        StatusCode::CONFLICT,
        "not after 14 days"
    );
}

#[tokio::test]
async fn a_bad_complaint_form_keeps_what_was_typed() {
    let mut c = cast().await;
    let r = c
        .student
        .post_multipart(
            "/complaints/new",
            &[
                ("category", ""),
                ("title", "24栋白蚁"),
                ("location", ""),
                ("description", "墙角\n有白蚁"),
                ("visibility", "public"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_value("title").as_deref(), Some("24栋白蚁"));
    assert!(r.body.contains("墙角\n有白蚁"));
    assert_eq!(r.field_error("category").as_deref(), Some("请选择一个类别。"));
    assert_eq!(r.field_error("location").as_deref(), Some("此项为必填项。"));
    let n = c.app.scalar("select count(*) from complaint").await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn the_queue_marks_what_is_overdue() {
    let mut c = cast().await;
    let late = c.app.complaint().by(&mut c.student).file().await;
    let fresh = c.app.complaint().by(&mut c.student).file().await;
    c.app.complaint_filed_at(&late, chrono::Utc::now() - chrono::Duration::days(5)).await;
    let queue = c.handler.get("/d/rights/complaints").await;
    let doc = scraper::Html::parse_document(&queue.body);
    let overdue = scraper::Selector::parse("tr.overdue a").unwrap();
    let marked: Vec<String> = doc.select(&overdue).map(|a| a.text().collect()).collect();
    assert_eq!(marked, std::slice::from_ref(&late), "only the late one, not {fresh}");
    let queue = c.handler.get("/d/rights/complaints?status=accepted").await;
    assert!(!queue.body.contains(&late), "filters by status");
}

/// `n` copies of complaint `template`: numbered `{prefix}001`…, titled `{title}1`…, in
/// `status`, filed one a minute from `ago` ago.
async fn copies(app: &TestApp, template: &str, n: i64, (prefix, title, status, ago): (&str, &str, &str, &str)) {
    sqlx::query(&format!(
        "insert into complaint (tracking_no, reporter_id, category_id, department_id, title, location, description,
                                is_public, is_anonymous, status, created_at)
         select '{prefix}' || lpad(g::text, 3, '0'), reporter_id, category_id, department_id, '{title}' || g, location,
                description, is_public, is_anonymous, '{status}', now() - interval '{ago}' + g * interval '1 minute'
         from complaint, generate_series(1, $2) g where tracking_no = $1",
    ))
    .bind(template)
    .bind(n)
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_queue_lists_open_work_and_pages_through_closed_complaints_newest_first() {
    let mut c = cast().await;
    let open = c.app.complaint().by(&mut c.student).file().await;
    let template = c.app.complaint().by(&mut c.student).file().await;
    // A page and five more resolved complaints, one a minute, newest last.
    let page = union_portal::complaints::queries::QUEUE_PAGE;
    let no = |g: i64| format!("QY-T-{g:03}");
    copies(&c.app, &template, page + 5, ("QY-T-", "已解决", "resolved", "1 day")).await;

    let queue = c.handler.get("/d/rights/complaints").await.body;
    assert!(queue.contains(&open) && !queue.contains("QY-T-"), "the default view is the open work");
    assert!(queue.contains("(2)"), "two complaints wait for acceptance");

    let first = c.handler.get("/d/rights/complaints?status=resolved").await.body;
    assert!(first.contains(&no(page + 5)) && first.contains(&no(6)) && !first.contains(&no(5)), "the newest page");
    assert!(!first.contains(&open));
    let doc = scraper::Html::parse_document(&first);
    let more = scraper::Selector::parse("a[href*='from=']").unwrap();
    let href = doc.select(&more).next().expect("a link to the next page").value().attr("href").unwrap().to_string();
    let second = c.handler.get(&href).await.body;
    assert!(second.contains(&no(5)) && second.contains(&no(1)) && !second.contains(&no(6)), "the rest");
    assert!(second.find(&no(5)) < second.find(&no(1)), "the last page is newest first too");
    assert!(scraper::Html::parse_document(&second).select(&more).next().is_none(), "no page after the last");
}

#[tokio::test]
async fn the_open_queue_pages_through_the_longest_waiting_first() {
    let mut c = cast().await;
    let newest = c.app.complaint().by(&mut c.student).file().await;
    // A page and five more open complaints, filed one a minute over the last hours, oldest first.
    let page = union_portal::complaints::queries::QUEUE_PAGE;
    let no = |g: i64| format!("QY-O-{g:03}");
    copies(&c.app, &newest, page + 5, ("QY-O-", "待受理", "accepted", "2 hours")).await;
    let first = c.handler.get("/d/rights/complaints").await.body;
    assert!(first.contains(&no(1)) && first.contains(&no(page)) && !first.contains(&no(page + 1)), "the oldest page");
    assert!(first.find(&no(1)) < first.find(&no(page)), "oldest first");
    let doc = scraper::Html::parse_document(&first);
    let more = scraper::Selector::parse("a[href*='from=']").unwrap();
    let href = doc.select(&more).next().expect("a link to the next page").value().attr("href").unwrap().to_string();
    let second = c.handler.get(&href).await.body;
    assert!(second.contains(&no(page + 1)) && second.contains(&no(page + 5)) && second.contains(&newest));
    assert!(!second.contains(&no(page)), "each row once");
    assert!(second.find(&no(page + 5)) < second.find(newest.as_str()), "the newest last");
}

#[tokio::test]
async fn categories_route_complaints_to_their_departments() {
    let mut c = cast().await;
    let no = c.app.complaint().category("dorm").title("24栋白蚁").by(&mut c.student).file().await;

    let dept = c.app.department_of(&no).await;
    assert_eq!(dept, "life");
    assert_eq!(c.handler.get(&format!("/d/rights/complaints/{no}")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn notifications_can_be_read_and_marked() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let page = c.student.get("/me/notifications").await;
    assert!(page.body.contains(&format!("投诉 {no} 有了新进展")));
    assert_eq!(c.student.post_form("/me/notifications/read", &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(unread(&c.app, "2026200001").await, 0);
    assert_eq!(c.app.browser().get("/me/notifications").await.status, StatusCode::SEE_OTHER, "login required");
}

#[tokio::test]
async fn the_queue_names_categories_and_assignees_even_after_they_left_the_department() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let leaver = c.app.create_user("2026200009", "已离任部员").await;
    c.app.grant("2026200009", "rights", "member").await;
    let r = c
        .handler
        .post_form(&format!("/d/rights/complaints/{no}/assign"), &[("assignee_id", &leaver.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let row = |body: &str| {
        let doc = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse("tbody tr").unwrap();
        doc.select(&sel).next().map(|e| e.text().collect::<String>()).unwrap_or_default()
    };
    let queue = c.handler.get("/d/rights/complaints").await.body;
    assert!(row(&queue).contains("已离任部员") && row(&queue).contains("教学设施"), "{}", row(&queue));
    sqlx::query("delete from membership where user_id = $1").bind(leaver).execute(&c.app.db).await.unwrap();
    c.app.state.cached.members.clear();
    let queue = c.handler.get("/d/rights/complaints").await.body;
    assert!(row(&queue).contains("已离任部员"), "a former member's name is still shown");
    assert!(c.handler.get("/d/rights/complaints?category=teaching").await.body.contains(&no));
    assert!(!c.handler.get("/d/rights/complaints?category=nosuch").await.body.contains(&no), "unknown: nothing");
}

#[tokio::test]
async fn the_bell_counts_unread_notifications_up_to_99_plus() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    let bell = |body: &str| {
        let doc = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse(".bell .count").unwrap();
        doc.select(&sel).next().map(|e| e.text().collect::<String>())
    };
    assert_eq!(bell(&c.handler.get("/me").await.body).as_deref(), Some("1"), "the new complaint");
    sqlx::query(
        "insert into notification (user_id, message_key, param, link)
         select user_id, 'notify.complaint.new', $1, '/' from app_user, generate_series(1, 150)
         where student_no = '2026200002'",
    )
    .bind(&no)
    .execute(&c.app.db)
    .await
    .unwrap();
    assert_eq!(bell(&c.handler.get("/me").await.body).as_deref(), Some("99+"));
}

#[tokio::test]
async fn the_board_finds_two_character_chinese_words_and_ranks_title_matches_first() {
    let mut c = cast().await;
    let cases = [
        ("北区24栋宿舍发现白蚁", "书桌被蛀坏了", "public"),
        ("教室设备问题", "天花板上的风扇摇晃，也看到过白蚁翅膀", "public"),
        ("饭卡丢失后补办太慢", "iPhone 上的校园卡也不能用", "public"),
        ("私下反映：白蚁", "不公开", "private"),
    ];
    for (title, description, visibility) in cases {
        let fields = [
            ("category", "other"),
            ("title", title),
            ("location", "北区"),
            ("description", description),
            ("visibility", visibility),
        ];
        assert_eq!(c.student.post_multipart("/complaints/new", &fields, &[]).await.status, StatusCode::SEE_OTHER);
    }
    let mut visitor = c.app.browser();
    let titles = |body: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse(".board h2 a").unwrap();
        doc.select(&sel).map(|a| a.text().collect()).collect()
    };
    let found = titles(&visitor.get("/complaints?q=%E7%99%BD%E8%9A%81").await.body); // 白蚁
    assert_eq!(found, ["北区24栋宿舍发现白蚁", "教室设备问题"], "title match first; the private one never");
    assert_eq!(titles(&visitor.get("/complaints?q=%E9%A3%8E%E6%89%87").await.body), ["教室设备问题"]); // 风扇
    assert_eq!(titles(&visitor.get("/complaints?q=%E9%A5%AD%E5%8D%A1").await.body), ["饭卡丢失后补办太慢"]); // 饭卡
    assert_eq!(
        titles(&visitor.get("/complaints?q=IPHONE%20%E6%A0%A1%E5%9B%AD%E5%8D%A1").await.body),
        ["饭卡丢失后补办太慢"]
    );
    assert!(titles(&visitor.get("/complaints?q=%E9%9B%A8%E4%BC%9E").await.body).is_empty(), "雨伞 matches nothing");
    assert_eq!(
        titles(&visitor.get("/complaints?q=%27%22%3B--").await.body).len(),
        3,
        "punctuation alone filters nothing"
    );
}

/// Search ranks only the newest matches (`search::MAX_CANDIDATES`), but among those a
/// title match still leads the first page, ahead of a page of newer description matches.
#[tokio::test]
async fn a_title_match_leads_the_first_page_of_many_newer_description_matches() {
    let mut c = cast().await;
    let seed = c.app.complaint().category("dorm");
    seed.title("北区白蚁成灾").by(&mut c.student).file().await;
    let mut reporters = vec![];
    for n in 0..3 {
        let no = format!("20262001{n:02}");
        let id = c.app.create_user(&no, "描述里提到的同学").await;
        reporters.push(c.app.browser_signed_in(id).await);
    }
    // 32 newer complaints (more than a page) that mention the word only in their description.
    for i in 0..32 {
        let mut fields = c.app.complaint().title(&format!("宿舍问题{i}")).fields();
        fields.retain(|(k, _)| k != "description");
        fields.push(("description".into(), "墙角发现了白蚁的痕迹".into()));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = reporters[i % 3].post_multipart("/complaints/new", &fields, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let page = c.app.browser().get("/complaints?q=%E7%99%BD%E8%9A%81").await.body; // 白蚁
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse(".board h2 a").unwrap();
    let titles: Vec<String> = doc.select(&sel).map(|a| a.text().collect()).collect();
    assert_eq!(titles.len(), 30, "one page of the 33 matches");
    assert_eq!(titles[0], "北区白蚁成灾", "the oldest match, but the only one with the word in its title");
}

#[tokio::test]
async fn a_complaint_can_be_transferred_escalated_and_put_on_the_agenda() {
    let mut c = cast().await;
    let life_head = c.app.create_user("2026200007", "生活部长").await;
    c.app.grant("2026200007", "life", "head").await;
    let presidium = c.app.create_user("2026200008", "主席").await;
    c.app.grant_union("2026200008", "presidium").await;
    let no = c.app.complaint().by(&mut c.student).file().await;

    let case = format!("/d/rights/complaints/{no}");
    let r = c.handler.post_form(&format!("{case}/escalate"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(unread(&c.app, "2026200008").await, 1, "the presidium hears of it");
    assert_eq!(c.handler.post_form(&format!("{case}/escalate"), &[]).await.status, StatusCode::CONFLICT, "once");
    let mut reader = c.app.browser_signed_in(presidium).await;
    assert!(reader.get(&case).await.body.contains("上报主席团"), "the presidium opens the case");
    assert_eq!(c.handler.post_form(&format!("{case}/agenda"), &[]).await.status, StatusCode::SEE_OTHER);
    let on_agenda: bool = sqlx::query_scalar("select on_reception_agenda from complaint where tracking_no = $1")
        .bind(&no)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert!(on_agenda);

    let r = c.handler.post_form(&format!("{case}/transfer"), &[("dept", "publicity")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "only to a department that handles complaints");
    assert_eq!(r.field_error("dept").as_deref(), Some("请选择另一个处理投诉的部门。"));
    let r = c.handler.post_form(&format!("{case}/transfer"), &[("dept", "life")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.handler.get(&case).await.status, StatusCode::NOT_FOUND, "it left this department");
    let mut head = c.app.browser_signed_in(life_head).await;
    assert_eq!(head.get(&format!("/d/life/complaints/{no}")).await.status, StatusCode::OK);
    assert_eq!(unread(&c.app, "2026200007").await, 1, "the new department is told");
    let page = c.student.get(&format!("/complaints/{no}")).await.body;
    for text in ["转交给", "生活卫生部", "已上报主席团", "已列入下次校领导接待日议程"] {
        assert!(page.contains(text), "{text} on the public timeline");
    }
}

/// A small JPEG carrying EXIF with a GPS block, as phones write them.
pub(crate) fn jpeg_with_gps() -> Vec<u8> {
    let mut plain = vec![];
    image::DynamicImage::new_rgb8(64, 48)
        .write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .expect("encode");
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0: one entry pointing at the GPS IFD (tag 0x8825) at offset 26.
    for part in [
        &1u16.to_le_bytes()[..],
        &0x8825u16.to_le_bytes(),
        &4u16.to_le_bytes(),
        &1u32.to_le_bytes(),
        &26u32.to_le_bytes(),
        &0u32.to_le_bytes(),
    ] {
        tiff.extend_from_slice(part);
    }
    // GPS IFD: GPSLatitudeRef = "N".
    for part in [
        &1u16.to_le_bytes()[..],
        &1u16.to_le_bytes(),
        &2u16.to_le_bytes(),
        &2u32.to_le_bytes(),
        b"N\0\0\0",
        &0u32.to_le_bytes(),
    ] {
        tiff.extend_from_slice(part);
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

pub(crate) fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0")
}

fn complaint_fields(visibility: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("category", "other"),
        ("title", "宿舍墙面开裂"),
        ("location", "北区57栋"),
        ("description", "见照片"),
        ("visibility", visibility),
    ]
}

#[tokio::test]
async fn a_photo_loses_its_gps_data_and_is_served_safely() {
    let mut c = cast().await;
    let photo = jpeg_with_gps();
    assert!(has_exif(&photo), "the upload really carries EXIF");
    let r = c
        .student
        .post_multipart("/complaints/new", &complaint_fields("public"), &[("photos", "IMG_0001.JPG", &photo)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();

    let (file_name, thumb_name): (String, String) =
        sqlx::query_as("select file_name, thumb_name from complaint_photo").fetch_one(&c.app.db).await.unwrap();
    for name in [&file_name, &thumb_name] {
        let path = union_portal::uploads::path_of(c.app.data_dir.path(), name).expect("path");
        let stored = std::fs::read(path).expect("stored file");
        assert_eq!(&stored[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
        assert!(!has_exif(&stored), "no EXIF survives");
    }
    assert!(!file_name.contains("IMG_0001"), "a server-chosen name");

    let page = c.app.browser().get(&format!("/complaints/{no}")).await;
    let photo_id = c.app.scalar("select photo_id from complaint_photo").await;
    let url = format!("/complaints/{no}/photos/{photo_id}");
    assert!(page.body.contains(&format!("{url}?size=thumb")));
    let mut visitor = c.app.browser();
    for u in [url.clone(), format!("{url}?size=thumb")] {
        let r = visitor.get(&u).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type"), Some("image/jpeg"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("content-security-policy"), Some("sandbox"));
    }
    assert_eq!(visitor.get(&format!("/complaints/{no}/photos/{}", photo_id + 1)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_private_complaints_photo_is_404_to_everyone_who_cannot_see_it() {
    let mut c = cast().await;
    let r = c
        .student
        .post_multipart("/complaints/new", &complaint_fields("private"), &[("photos", "a.jpg", &jpeg_with_gps())])
        .await;
    let no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();
    let photo_id = c.app.scalar("select photo_id from complaint_photo").await;
    let url = format!("/complaints/{no}/photos/{photo_id}");
    assert_eq!(c.app.browser().get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.other_student.get(&url).await.status, StatusCode::NOT_FOUND);
    let r = c.handler.get(&url).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    assert_eq!(c.student.get(&url).await.status, StatusCode::OK);
}

/// A few hundred bytes of PNG whose header claims `w` × `h` pixels: a decompression bomb.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().expect("header");
        let mut stream = writer.stream_writer().expect("stream");
        std::io::Write::write_all(&mut stream, &vec![0u8; w as usize * 4]).expect("rows");
        std::io::Write::flush(&mut stream).expect("a data chunk");
        // Unfinished on purpose: the rows that would follow are what a bomb inflates.
        std::mem::forget(stream);
        std::mem::forget(writer);
    }
    out
}

#[tokio::test]
async fn a_rejected_file_gets_a_message_beside_the_field_and_the_rest_is_kept() {
    let mut c = cast().await;
    let fields = complaint_fields("public");
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("report.jpg", b"%PDF-1.7 a document pretending to be a photo".to_vec(), "只能上传 JPEG、PNG 或 WebP"),
        ("huge.jpg", vec![0xFF; union_portal::uploads::MAX_BYTES + 1], "不能超过 5 MB"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), "只能上传 JPEG、PNG 或 WebP"),
        ("bomb.png", png_claiming(11_000, 11_000), "照片像素太多"),
    ];
    for (name, bytes, message) in cases {
        let r = c.student.post_multipart("/complaints/new", &fields, &[("photos", name, &bytes)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(r.field_error("photos").is_some_and(|e| e.contains(message)), "{name}: {:?}", r.field_error("photos"));
        assert_eq!(r.field_value("title").as_deref(), Some("宿舍墙面开裂"), "the typed title is kept");
    }
    let photo = jpeg_with_gps();
    let six: Vec<(&str, &str, &[u8])> = (0..6).map(|_| ("photos", "p.jpg", photo.as_slice())).collect();
    let r = c.student.post_multipart("/complaints/new", &fields, &six).await;
    assert_eq!(r.field_error("photos").as_deref().map(|e| e.starts_with("最多上传 5 张")), Some(true));
    let n = c.app.scalar("select count(*) from complaint").await;
    assert_eq!(n, 0, "nothing half-saved");
    assert!(!c.app.data_dir.path().join("uploads").exists(), "no file written for a refused form");
}

#[tokio::test]
async fn a_multipart_form_without_its_csrf_token_is_refused() {
    let mut c = cast().await;
    let body = "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--b--\r\n".to_string();
    let r = c.student.post_raw("/complaints/new", body, &[("content-type", "multipart/form-data; boundary=b")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_daily_check_tells_heads_and_escalates_long_overdue_complaints() {
    use union_portal::complaints::deadlines;
    let mut c = cast().await;
    c.app.create_user("2026200010", "权益部长").await;
    c.app.grant("2026200010", "rights", "head").await;
    c.app.create_user("2026200011", "主席").await;
    c.app.grant_union("2026200011", "presidium").await;
    let old = c.app.complaint().by(&mut c.student).file().await;
    let fresh = c.app.complaint().by(&mut c.student).file().await;
    let now = chrono::Utc::now();

    // The clock is a parameter: today nothing is overdue.
    assert_eq!(deadlines::run_daily(&c.app.state, now).await.expect("run"), (0, 0));
    // Three weeks on, both are long overdue.
    let later = now + chrono::Duration::days(21);
    assert_eq!(deadlines::run_daily(&c.app.state, later).await.expect("run"), (2, 2));
    assert_eq!(c.app.notified("2026200010", "notify.complaint.overdue_digest").await, 1, "one digest for the head");
    assert_eq!(
        c.app.notified("2026200011", "notify.complaint.escalated").await,
        2,
        "each escalation reaches the presidium"
    );
    let digest: String = sqlx::query_scalar(
        "select param from notification n join app_user u using (user_id)
         where u.student_no = '2026200010' and n.message_key = 'notify.complaint.overdue_digest'",
    )
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(digest, "2");
    assert!(c.app.browser().get(&format!("/complaints/{old}")).await.body.contains("已上报主席团"));
    assert_eq!(deadlines::run_daily(&c.app.state, later).await.expect("run").1, 0, "escalated once");

    sqlx::query("update complaint set escalated_at = null where tracking_no = $1")
        .bind(&fresh)
        .execute(&c.app.db)
        .await
        .unwrap();
    step(&mut c.handler, &fresh, &[("to", "accepted")]).await;
    c.handler.post_form(&format!("/d/rights/complaints/{fresh}/reply"), &[("body", "已回复")]).await;
    assert_eq!(deadlines::run_daily(&c.app.state, later).await.expect("run"), (1, 0), "a replied complaint is on time");

    assert!(deadlines::claim_daily_run(&c.app.db, "test_job", now).await.unwrap());
    assert!(!deadlines::claim_daily_run(&c.app.db, "test_job", now).await.unwrap(), "once a day, across processes");
    assert!(deadlines::claim_daily_run(&c.app.db, "test_job", now + chrono::Duration::days(1)).await.unwrap());
}

#[tokio::test]
async fn the_queue_filters_overdue_items_and_searches() {
    let mut c = cast().await;
    let late = c.app.complaint().by(&mut c.student).file().await;
    let on_time = c.app.complaint().by(&mut c.student).file().await;
    c.app.complaint_filed_at(&late, chrono::Utc::now() - chrono::Duration::days(5)).await;
    let page = c.handler.get("/d/rights/complaints?overdue=1").await.body;
    assert!(page.contains(&late) && !page.contains(&on_time));
    let page = c.handler.get("/d/rights/complaints?q=%E5%90%8A%E6%89%87").await.body; // 吊扇
    assert!(page.contains(&late) && page.contains(&on_time));
    let page = c.handler.get("/d/rights/complaints?q=%E7%99%BD%E8%9A%81").await.body; // 白蚁
    assert!(!page.contains(&late));
}

#[tokio::test]
async fn notifications_are_mailed_unless_the_student_switches_mail_off() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let mails = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            sqlx::query_as::<_, (String, String, String)>(
                "select to_address, subject, link from mail_outbox where to_address like '2026200001%'",
            )
            .fetch_all(&db)
            .await
            .unwrap()
        }
    };
    let sent = mails(&c.app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].1, format!("投诉 {no} 有了新进展"));
    assert_eq!(sent[0].2, format!("/complaints/{no}"));

    let r = c.student.post_form("/me/notifications/email", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    step(&mut c.handler, &no, &[("to", "responded"), ("body", "已处理")]).await;
    assert_eq!(mails(&c.app).await.len(), 1, "no more mail once switched off");
    assert_eq!(unread(&c.app, "2026200001").await, 2, "the portal still tells");

    let delivered =
        union_portal::mail::deliver(&c.app.db, &union_portal::mail::Transport::Log, "https://portal.example.edu")
            .await
            .unwrap();
    assert!(delivered >= 1);
    assert_eq!(
        union_portal::mail::deliver(&c.app.db, &union_portal::mail::Transport::Log, "https://portal.example.edu")
            .await
            .unwrap(),
        0,
        "sent once"
    );
}

#[tokio::test]
async fn a_duplicate_is_merged_with_its_reporter_and_supporters_carried_over() {
    let mut c = cast().await;
    let kept = c.app.complaint().by(&mut c.student).file().await;
    let duplicate = c.app.complaint().anonymous(true).by(&mut c.other_student).file().await;
    let third = c.app.create_user("2026200012", "第三位同学").await;
    let mut supporter = c.app.browser_signed_in(third).await;
    supporter.post_form(&format!("/complaints/{duplicate}/support"), &[]).await;

    let path = format!("/d/rights/complaints/{duplicate}/merge");
    let r = c.handler.post_form(&path, &[("into", &duplicate)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not into itself");
    assert_eq!(r.field_error("into").as_deref(), Some("请填写本部门另一件投诉的跟踪编号。"));
    let r = c.handler.post_form(&path, &[("into", &kept)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let supporters: Vec<String> = sqlx::query_scalar(
        "select u.student_no from complaint_support s join complaint c using (complaint_id) join app_user u on u.user_id = s.user_id
         where c.tracking_no = $1 order by u.student_no",
    )
    .bind(&kept)
    .fetch_all(&c.app.db)
    .await
    .unwrap();
    assert_eq!(supporters, ["2026200003", "2026200012"], "the duplicate's reporter and supporter");
    assert_eq!(
        c.app.notified("2026200001", "notify.complaint.update").await,
        1,
        "the kept complaint's reporter is told"
    );
    assert_eq!(
        c.app.notified("2026200003", "notify.complaint.update").await,
        2,
        "the duplicate's reporter: both timelines"
    );

    let page = c.app.browser().get(&format!("/complaints/{duplicate}")).await.body;
    assert!(page.contains("已作为重复投诉合并") && page.contains(&kept));
    let kept_page = c.app.browser().get(&format!("/complaints/{kept}")).await.body;
    assert!(
        kept_page.contains(&duplicate) && !kept_page.contains("隔壁同学"),
        "the anonymous duplicate's reporter stays hidden"
    );
    assert!(!c.handler.get("/d/rights/complaints").await.body.contains(&format!(">{duplicate}<")), "out of the queue");
    // Off the public board and its search too; the kept complaint stays on both.
    for board in ["/complaints", "/complaints?q=%E5%90%8A%E6%89%87"] {
        let body = c.student.get(board).await.body;
        assert!(body.contains(&format!("/complaints/{kept}\"")), "{board} lists the kept complaint");
        assert!(!body.contains(&format!("/complaints/{duplicate}\"")), "{board} leaves the duplicate out");
    }
    let r = step(&mut c.handler, &duplicate, &[("to", "accepted")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "a merged complaint takes no more steps");
}

#[tokio::test]
async fn admins_edit_categories_and_offices_and_routing_follows() {
    let mut c = cast().await;
    c.app.create_user("2026200020", "管理员").await;
    c.app.grant_union("2026200020", "admin").await;
    let admin_id: i64 = sqlx::query_scalar("select user_id from app_user where student_no = '2026200020'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let mut admin = c.app.browser_signed_in(admin_id).await;
    let r = admin
        .post_form(
            "/admin/complaint-setup/categories/add",
            &[("slug", "net"), ("name_zh", "校园网"), ("name_en", "Campus network"), ("dept", "safety")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = admin
        .post_form(
            "/admin/complaint-setup/categories/add",
            &[("slug", "net"), ("name_zh", "重复"), ("name_en", "Dup"), ("dept", "rights")],
        )
        .await;
    assert_eq!(r.field_error("slug").as_deref(), Some("这个网址标识已被使用。"));
    assert_eq!(r.value_by_id("f-name_zh").as_deref(), Some("重复"), "typed values kept");
    let r = admin
        .post_form("/admin/complaint-setup/offices/add", &[("name_zh", "网络中心"), ("name_en", "Network Centre")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r =
        admin.post_form("/admin/complaint-setup/offices/add", &[("name_zh", "网络中心"), ("name_en", "Again")]).await;
    assert_eq!(r.field_error("office_name_zh").as_deref(), Some("这个名称已被使用。"));

    let fields = [
        ("category", "net"),
        ("title", "宿舍断网"),
        ("location", "北区"),
        ("description", "三天没网"),
        ("visibility", "public"),
    ];
    let r = c.student.post_multipart("/complaints/new", &fields, &[]).await;
    let no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();
    let dept = c.app.department_of(&no).await;
    assert_eq!(dept, "safety", "the new category routes where the admin said");
}

#[tokio::test]
async fn heads_and_the_presidium_read_a_complaints_audit_trail_members_do_not() {
    let mut c = cast().await;
    let head = c.app.create_user("2026200021", "权益部长").await;
    c.app.grant("2026200021", "rights", "head").await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let page = c.app.browser_signed_in(head).await.get(&format!("/d/rights/complaints/{no}")).await.body;
    assert!(page.contains("操作记录") && page.contains("投诉状态变更") && page.contains("权益部员"));
    let doc = scraper::Html::parse_document(&page);
    let title: String = doc.select(&scraper::Selector::parse("title").unwrap()).flat_map(|t| t.text()).collect();
    assert_eq!(title, format!("{no} · 投诉处理 · 学生会门户"), "the audit trail stays out of the page title");
    let page = c.handler.get(&format!("/d/rights/complaints/{no}")).await.body;
    assert!(!page.contains("操作记录"), "a member sees no audit trail");
}

/// The text of a mail as a mail client shows it (base64 or quoted-printable bodies decoded).
fn mail_body(raw: &str) -> String {
    use base64::Engine;
    let (headers, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    if headers.to_ascii_lowercase().contains("content-transfer-encoding: base64") {
        let joined: String = body.lines().collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(joined.trim()).expect("base64 body");
        String::from_utf8(bytes).expect("utf-8 body")
    } else if headers.to_ascii_lowercase().contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\n", "");
        let mut bytes = vec![];
        let mut rest = joined.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            match (b, tail.get(..2).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())) {
                (b'=', Some(decoded)) => {
                    bytes.push(decoded);
                    rest = &tail[2..];
                }
                _ => {
                    bytes.push(b);
                    rest = tail;
                }
            }
        }
        String::from_utf8(bytes).expect("utf-8 body")
    } else {
        body.to_string()
    }
}

/// A minimal SMTP server on loopback that records the DATA of each mail it accepts.
async fn fake_smtp() -> (u16, std::sync::Arc<tokio::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let received = std::sync::Arc::new(tokio::sync::Mutex::new(vec![]));
    let store = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(d) = data.as_mut() {
                        if line == "." {
                            store.lock().await.push(data.take().unwrap_or_default());
                            let _ = write.write_all(b"250 queued\r\n").await;
                        } else {
                            d.push_str(&line);
                            d.push('\n');
                        }
                        continue;
                    }
                    let reply: &[u8] = match line.split(' ').next().unwrap_or("").to_uppercase().as_str() {
                        "EHLO" | "HELO" => b"250 fake\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => b"221 bye\r\n",
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn mail_is_delivered_over_smtp_when_a_server_is_configured() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let (port, received) = fake_smtp().await;
    let transport = union_portal::mail::Transport::from_settings(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "学生会 <union@example.edu>",
    )
    .expect("transport");
    let delivered =
        union_portal::mail::deliver(&c.app.db, &transport, "https://portal.example.edu").await.expect("deliver");
    assert!(delivered >= 1);
    let mails = received.lock().await.clone();
    let to_student =
        mails.iter().find(|m| m.contains("2026200001@stu.example.edu.cn")).expect("a mail to the reporter");
    let body = mail_body(to_student);
    assert!(body.contains(&format!("投诉 {no} 有了新进展")), "{body}");
    assert!(body.contains(&format!("https://portal.example.edu/complaints/{no}")), "{body}");
    let transports: Vec<String> = sqlx::query_scalar("select transport from mail_outbox where sent_at is not null")
        .fetch_all(&c.app.db)
        .await
        .unwrap();
    assert!(!transports.is_empty() && transports.iter().all(|t| t == "smtp"));
}

#[tokio::test]
async fn the_student_sees_the_deadline_and_unread_updates_and_handlers_filter_the_queue() {
    let mut c = cast().await;
    let no = c.app.complaint().by(&mut c.student).file().await;
    assert!(c.student.get(&format!("/complaints/{no}")).await.body.contains("受理期限"));
    step(&mut c.handler, &no, &[("to", "accepted")]).await;
    let page = c.student.get(&format!("/complaints/{no}")).await.body;
    assert!(page.contains("首次答复期限") && !page.contains("受理期限"));
    assert!(c.student.get("/me").await.body.contains("1 条新进展"));

    let fields = [
        ("category", "canteen"),
        ("title", "食堂价格上涨"),
        ("location", "西区一食堂"),
        ("description", "涨价没有公示"),
        ("visibility", "public"),
    ];
    let other = c
        .student
        .post_multipart("/complaints/new", &fields, &[])
        .await
        .location()
        .expect("filed")
        .trim_start_matches("/complaints/")
        .to_string();
    let page = c.handler.get("/d/rights/complaints?category=canteen").await.body;
    assert!(page.contains(&other) && !page.contains(&format!(">{no}<")));
    let handler_id: i64 = sqlx::query_scalar("select user_id from app_user where student_no = '2026200002'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    c.handler
        .post_form(&format!("/d/rights/complaints/{no}/assign"), &[("assignee_id", &handler_id.to_string())])
        .await;
    let page = c.handler.get(&format!("/d/rights/complaints?assignee={handler_id}")).await.body;
    assert!(page.contains(&format!(">{no}<")) && !page.contains(&other));
}
