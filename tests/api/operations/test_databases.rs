//! The test suite's own footprint: each test's database goes when the test ends. A whole run
//! made some 400 databases of 12 MB each in one throwaway cluster and kept them all to the end,
//! and a CI host with little disk left failed the run on "No space left on device".

use crate::helpers::TestApp;

#[tokio::test]
async fn a_tests_database_is_dropped_when_its_app_goes() {
    let app = TestApp::spawn().await;
    let url = app.db_url.clone();
    assert!(sqlx::PgPool::connect(&url).await.is_ok(), "the test's database is there while the test runs");

    drop(app);

    let gone = sqlx::PgPool::connect(&url).await.expect_err("the database was dropped with the app");
    assert!(gone.to_string().contains("does not exist"), "{gone}");
}
