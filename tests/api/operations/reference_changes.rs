//! Reference data changed anywhere reaches another process's cache at once (LISTEN/NOTIFY,
//! app::reference_changes), not after the few seconds it is kept for.

use std::time::{Duration, Instant};

use union_portal::{
    app::{reference_changes, AppState},
    complaints::queries,
    config::Config,
};

use crate::helpers::TestApp;

/// Another process's state on the test's database, listening as `serve` does.
async fn second_process(app: &TestApp) -> (AppState, tempfile::TempDir) {
    let data_dir = tempfile::tempdir().expect("data dir");
    let pool = union_portal::db::app_pool(&app.db_url, 4).expect("pool");
    let state = AppState::new(pool, Config::for_tests(data_dir.path().to_path_buf()));
    tokio::spawn(reference_changes::listen_forever(state.clone(), app.db_url.clone()));
    (state, data_dir)
}

/// Poll `read` until it says true, for at most two seconds: how long it took.
async fn within_two_seconds<F, Fut>(read: F) -> Option<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        if read().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_category_renamed_by_anyone_is_seen_by_another_process_at_once() {
    let app = TestApp::spawn().await;
    let (other, _dir) = second_process(&app).await;
    // Give the listener its moment to start, then let the other process keep the list.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let kept = queries::categories(&other).await.expect("categories");
    assert!(kept.iter().any(|c| c.slug == "dorm"));
    // Changed by hand, as psql or another process would: the trigger announces it.
    sqlx::query("update complaint_category set name_zh = '宿舍与后勤' where slug = 'dorm'")
        .execute(&app.db)
        .await
        .expect("rename");
    let seen = within_two_seconds(|| async {
        let now = queries::categories(&other).await.expect("categories");
        now.iter().any(|c| c.slug == "dorm" && c.name_zh == "宿舍与后勤")
    })
    .await;
    // Kept for five seconds otherwise: two would not be enough without the notification.
    assert!(seen.is_some(), "the other process still shows the old name after 2 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_member_appears_in_another_processs_member_list_at_once() {
    let app = TestApp::spawn().await;
    let (other, _dir) = second_process(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rights: i64 = app.scalar("select department_id from department where slug = 'rights'").await;
    let before = union_portal::departments::queries::members(&other, rights).await.expect("members").len();
    app.create_user("2026600001", "新部员").await;
    app.grant("2026600001", "rights", "member").await;
    let seen = within_two_seconds(|| async {
        union_portal::departments::queries::members(&other, rights).await.expect("members").len() == before + 1
    })
    .await;
    assert!(seen.is_some(), "the new member is missing on the other process after 2 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_published_anywhere_is_the_latest_on_another_processs_rankings_at_once() {
    use union_portal::inspections::published;
    let app = TestApp::spawn().await;
    let (other, _dir) = second_process(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(published::latest_published_day(&other).await.expect("latest"), None, "nothing published yet");
    assert!(published::buildings(&other).await.expect("buildings").is_empty());
    // Published by hand, as another process's publish button or psql would.
    app.execute(
        "insert into dorm_building (name) values ('西区12栋');
         insert into inspection_rubric (version, excellent_min, good_min, pass_min) values (1, 90, 80, 60);
         insert into inspection_round (department_id, kind, held_on, rubric_id, published_at)
         select department_id, 'weekly', date '2026-12-02', (select max(rubric_id) from inspection_rubric), now()
         from department where slug = 'life'",
    )
    .await;
    let seen = within_two_seconds(|| async {
        let day = published::latest_published_day(&other).await.expect("latest");
        let buildings = published::buildings(&other).await.expect("buildings");
        day.map(|d| d.to_string()).as_deref() == Some("2026-12-02") && buildings.iter().any(|b| b.name == "西区12栋")
    })
    .await;
    assert!(seen.is_some(), "the other process still shows no published round or building after 2 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_point_and_a_bulletin_written_anywhere_are_on_another_processs_lost_and_found_at_once() {
    use union_portal::lost_found::queries as lost_found;
    let app = TestApp::spawn().await;
    let (other, _dir) = second_process(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let points_before = lost_found::all_points(&other).await.expect("points").len();
    assert_eq!(*lost_found::latest_bulletin(&other).await.expect("latest"), None, "nothing published yet");
    // Written by hand, as another process's points page and publish button or psql would.
    app.execute(
        "insert into collection_point (department_id, name_zh, name_en, address, opening_hours)
         select department_id, '南区生活服务点', 'South', '南区食堂一楼', '每天 8:00–20:00' from department where slug = 'rights';
         insert into bulletin (number, department_id, published_by, item_count)
         select 57, department_id, null, 0 from department where slug = 'rights'",
    )
    .await;
    let seen = within_two_seconds(|| async {
        let points = lost_found::all_points(&other).await.expect("points");
        let latest = *lost_found::latest_bulletin(&other).await.expect("latest");
        points.len() == points_before + 1 && points.iter().any(|p| p.name_zh == "南区生活服务点") && latest == Some(57)
    })
    .await;
    assert!(seen.is_some(), "the other process still shows the old points or no bulletin after 2 s");
}
