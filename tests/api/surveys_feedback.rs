//! A questionnaire as an event's or a reception day's feedback form: its audience is the
//! people of that event or day, and their public page links to it (a reception day's once
//! it is past).

use crate::{
    events::event_form,
    helpers::{id_in, new_survey},
};

#[tokio::test]
async fn an_events_and_a_past_reception_days_page_link_their_feedback_questionnaires() {
    let app = crate::helpers::TestApp::spawn().await;
    let mut editor = app.survey_editor().await;
    let form = event_form("first_come", "20", "none");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let event_id = id_in(editor.post_form("/d/rights/events/new", &fields).await.location());
    let event = event_id.to_string();
    let survey =
        new_survey(&mut editor, "anonymous_once", &[("audience", "event_attendees"), ("audience_ref", &event)]).await;
    let mut visitor = app.browser();
    let page = visitor.get(&format!("/events/{event_id}")).await;
    assert!(
        page.body.contains(&format!("href=\"/surveys/{survey}\"")) && page.body.contains("活动反馈问卷"),
        "{}",
        page.body
    );

    let head = app.create_user("2026700901", "接待日组织者").await;
    app.grant("2026700901", "rights", "head").await;
    let mut organiser = app.browser_signed_in(head).await;
    let session_id = app.reception_session("rights").by(&mut organiser).create().await;
    let session = session_id.to_string();
    let fields = [("audience", "reception_participants"), ("audience_ref", session.as_str())];
    let survey = new_survey(&mut editor, "anonymous_once", &fields).await;
    let path = format!("/reception/{}", app.session_code(session_id).await);
    let link = format!("href=\"/surveys/{survey}\"");
    assert!(!visitor.get(&path).await.body.contains(&link), "not before the day");
    app.execute(&format!(
        "update reception_session set starts_at = now() - interval '3 days', ends_at = now() - interval '3 days' + interval '2 hours',
                signup_opens_at = now() - interval '9 days', signup_closes_at = now() - interval '4 days'
         where session_id = {session_id}"
    ))
    .await;
    let page = visitor.get(&path).await;
    assert!(page.body.contains(&link) && page.body.contains("接待日反馈问卷"), "{}", page.body);
}
