//! Promises that chase themselves (issue 19): the owners of a commitment (the office's
//! liaison, the organising department's head) are reminded before its date, told with the
//! asker when it passes undone, and the weekly list goes out on Mondays.

use chrono::{Datelike, Duration, NaiveDate};

use crate::helpers::TestApp;

/// A commitment of 后勤处 made at a rights reception day, answering the asker's question, due on `due`.
async fn commitment(app: &TestApp, asker: i64, due: NaiveDate) -> i64 {
    sqlx::query_scalar(
        "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number),
              s as (insert into reception_session (kind, number, department_id, starts_at, ends_at, place, topic, open_seats,
                                                   signup_opens_at, signup_closes_at)
                    select 'leaders', (select last_number from n), department_id, now() - interval '10 days',
                           now() - interval '10 days' + interval '2 hours', '行政楼', '食堂', 20,
                           now() - interval '20 days', now() - interval '11 days'
                    from department where slug = 'rights' returning session_id),
              q as (insert into reception_question (session_id, author_id, body) select session_id, $1, '热水什么时候修？' from s
                    returning question_id, session_id),
              m as (insert into reception_minute (session_id, question_id, question, answered_by, answer)
                    select session_id, question_id, '热水什么时候修？', '后勤处', '月底前修好。' from q
                    returning minute_id, session_id)
         insert into commitment (minute_id, session_id, what, office_id, due_on)
         select m.minute_id, m.session_id, '修好北区热水', o.office_id, $2 from m, school_office o where o.name_zh = '后勤处'
         returning commitment_id",
    )
    .bind(asker)
    .bind(due)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn told(app: &TestApp, student_no: &str, key: &str) -> i64 {
    app.notified(student_no, key).await
}

#[tokio::test]
async fn owners_are_reminded_before_the_date_and_told_with_the_asker_when_it_passes() {
    let app = TestApp::spawn().await;
    let asker = app.create_user("2026194001", "提问同学").await;
    let liaison = app.create_user("T19940002", "后勤处联络人").await;
    app.create_user("2026194003", "权益部长").await;
    app.grant("2026194003", "rights", "head").await;
    sqlx::query("insert into office_liaison (office_id, user_id) select office_id, $1 from school_office where name_zh = '后勤处'")
        .bind(liaison)
        .execute(&app.db)
        .await
        .unwrap();
    // A Wednesday: no weekly list.
    let today = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
    assert_eq!(today.weekday(), chrono::Weekday::Wed);
    let soon = commitment(&app, asker, today + Duration::days(3)).await;
    commitment(&app, asker, today - Duration::days(1)).await;
    commitment(&app, asker, today + Duration::days(10)).await;
    let (due_soon, overdue, weekly) = union_portal::reception::reminders::remind(&app.state, today).await.unwrap();
    assert_eq!((due_soon, overdue, weekly), (1, 1, 0));
    assert_eq!(told(&app, "T19940002", "notify.commitment.due_soon").await, 1, "the office's liaison");
    assert_eq!(told(&app, "2026194003", "notify.commitment.due_soon").await, 1, "the organising department's head");
    assert_eq!(told(&app, "2026194001", "notify.commitment.due_soon").await, 0, "not the asker, before the date");
    assert_eq!(told(&app, "2026194001", "notify.commitment.overdue").await, 1, "the asker, when it passed undone");
    assert_eq!(told(&app, "T19940002", "notify.commitment.overdue").await, 1);
    // Done in time: no reminder.
    sqlx::query("update commitment set status = 'done', done_on = $2 where commitment_id = $1")
        .bind(soon)
        .bind(today)
        .execute(&app.db)
        .await
        .unwrap();
    let next_monday = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
    let (_, _, weekly) = union_portal::reception::reminders::remind(&app.state, next_monday).await.unwrap();
    assert_eq!(weekly, 1, "Monday: the rights department's list of what is overdue");
    assert_eq!(told(&app, "2026194003", "notify.commitment.weekly").await, 1);
}
