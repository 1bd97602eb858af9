//! The roles a session carries are kept on the user by triggers (migration 0056): whoever
//! writes a role (a handler, a command, psql) or hands the union over, the next request
//! sees it, exactly as when they were read from the role tables on every request.

use axum::http::StatusCode;

use crate::helpers::*;

/// The column is what the role tables say, for every user.
async fn assert_grants_agree(app: &TestApp) {
    let disagreeing =
        app.scalar("select count(*) from app_user where grants is distinct from user_grants(user_id)").await;
    assert_eq!(disagreeing, 0, "app_user.grants agrees with the role tables");
}

async fn grants_of(app: &TestApp, user_id: i64) -> i64 {
    app.scalar(&format!("select cardinality(grants)::int8 from app_user where user_id = {user_id}")).await
}

#[tokio::test]
async fn a_role_written_anywhere_and_the_handover_are_on_the_next_request() {
    let app = TestApp::spawn().await;
    let member = app.create_user("2026310001", "部员").await;
    let mut m = app.browser_signed_in(member).await;
    assert_eq!(m.get("/d/rights").await.status, StatusCode::FORBIDDEN, "no role yet");

    // Granted through the portal's own code, then revoked by hand.
    app.grant("2026310001", "rights", "member").await;
    assert_eq!(m.get("/d/rights").await.status, StatusCode::OK, "the granted role, on the next request");
    app.execute(&format!("delete from membership where user_id = {member}")).await;
    assert_eq!(m.get("/d/rights").await.status, StatusCode::FORBIDDEN, "the revoked role is gone at once");

    // A role of this term granted by hand; the presidium likewise.
    app.execute(&format!(
        "insert into membership (user_id, department_id, term_id, role)
         select {member}, department_id, (select term_id from term where is_current), 'head'
         from department where slug = 'rights'"
    ))
    .await;
    let chair = app.create_user("2026310002", "主席").await;
    app.execute(&format!(
        "insert into union_role (user_id, role, term_id) select {chair}, 'presidium', term_id from term where is_current"
    ))
    .await;
    let mut c = app.browser_signed_in(chair).await;
    assert_eq!(m.get("/d/rights/members").await.status, StatusCode::OK, "a head's page");
    assert_eq!(c.get("/presidium/plans").await.status, StatusCode::OK, "the presidium's page");
    assert_grants_agree(&app).await;

    // The handover: this term's roles end with it, for everyone at once.
    app.execute("insert into term (name) values ('2099-2100')").await;
    app.execute("update term set is_current = false where is_current").await;
    app.execute("update term set is_current = true where name = '2099-2100'").await;
    assert_eq!(m.get("/d/rights/members").await.status, StatusCode::FORBIDDEN, "last term's head");
    assert_eq!(c.get("/presidium/plans").await.status, StatusCode::FORBIDDEN, "last term's presidium");
    assert_grants_agree(&app).await;

    // An office's liaison, and a user's roles moved to another user.
    app.execute(&format!(
        "insert into office_liaison (office_id, user_id) select office_id, {member} from school_office limit 1"
    ))
    .await;
    assert_eq!(grants_of(&app, member).await, 1);
    app.execute(&format!("update office_liaison set user_id = {chair} where user_id = {member}")).await;
    assert_eq!(grants_of(&app, member).await, 0);
    assert_eq!(grants_of(&app, chair).await, 1);
    assert_grants_agree(&app).await;
}
