//! TestApp: the real router over a fresh, migrated database of its own.

use axum::Router;
use sqlx::PgPool;
use union_portal::{
    app::{self, AppState},
    config::Config,
    web::session,
};

use super::*;

pub struct TestApp {
    pub router: Router,
    /// The tables' owner (the test's own access); the router uses `state.db`.
    pub db: PgPool,
    pub state: AppState,
    /// The database's URL, for a second "process" on the same database.
    pub db_url: String,
    /// Uploads of this test; removed with the app.
    pub data_dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop_database(&self.db_url);
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_env_filter("warn").try_init();
        }
        let (db, db_url) = fresh_database().await;
        let data_dir = tempfile::tempdir().expect("data dir");
        let mut config = Config::for_tests(data_dir.path().to_path_buf());
        adjust(&mut config);
        // As in the binary: requests run as the restricted `portal_app`; `db`, the
        // tables' owner, is for arranging and checking what a test needs.
        let app_db = union_portal::db::app_pool(&db_url, 8).expect("app pool");
        let state = AppState::new(app_db, config);
        let mut conn = db.acquire().await.expect("conn");
        union_portal::departments::roles::ensure_current_term(&mut conn).await.expect("term");
        drop(conn);
        TestApp { router: app::router(state.clone()), db, state, db_url, data_dir }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.router.clone())
    }

    /// An account with the test password; returns its id.
    pub async fn create_user(&self, student_no: &str, name: &str) -> i64 {
        union_portal::accounts::create_account(
            &self.state,
            student_no,
            name,
            PASSWORD,
            &format!("{student_no}@stu.example.edu.cn"),
            "计算机学院",
            false,
        )
        .await
        .expect("create account")
        .expect("student number unused")
    }

    pub async fn grant(&self, student_no: &str, dept: &str, role: &str) -> i64 {
        let role = union_portal::web::DeptRole::parse(role).expect("role");
        union_portal::departments::roles::grant_dept_role(&self.db, None, student_no, dept, role)
            .await
            .expect("grant")
            .expect("granted")
    }

    pub async fn grant_union(&self, student_no: &str, role: &str) {
        union_portal::departments::roles::grant_union_role(&self.db, None, student_no, role)
            .await
            .expect("grant")
            .expect("granted");
    }

    /// The id of the account with this student number.
    pub async fn user_id(&self, student_no: &str) -> i64 {
        sqlx::query_scalar("select user_id from app_user where student_no = $1")
            .bind(student_no)
            .fetch_one(&self.db)
            .await
            .expect("an account with this student number")
    }

    /// The slug of the department complaint `no` is with now.
    pub async fn department_of(&self, no: &str) -> String {
        sqlx::query_scalar(
            "select d.slug from complaint c join department d using (department_id) where c.tracking_no = $1",
        )
        .bind(no)
        .fetch_one(&self.db)
        .await
        .expect("a complaint with this tracking number")
    }

    /// A photo checked, re-encoded and stored the way the upload forms store one.
    pub async fn stored_photo(&self) -> union_portal::uploads::StoredPhoto {
        let processed = union_portal::uploads::process(&png()).expect("a valid photo");
        let mut stored =
            union_portal::uploads::store_all(&self.state.config.storage, &[processed]).await.expect("stored");
        stored.remove(0)
    }

    /// A browser logged in as `user_id` without going through the login form (fast).
    pub async fn browser_signed_in(&self, user_id: i64) -> Browser {
        let new = session::insert_session(&self.db, user_id).await.expect("session");
        let mut b = self.browser();
        b.jar.insert("portal_session".into(), new.token);
        b
    }
}
