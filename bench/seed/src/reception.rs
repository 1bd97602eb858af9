//! Reception days over three years (every fifth an academic-affairs meeting), the
//! next two still to come; their leaders, seats and sign-ups; students' questions,
//! the minutes of those on the agenda, and the commitments made there — some kept,
//! some late, some overdue — with their updates.

use std::time::Instant;

use sqlx::PgConnection;

use super::{words, Progress, Seed, SPAN_DAYS};

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let rights: i64 = union_portal::departments::queries::fetch_department_id(&mut *tx, "rights")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    let n = seed.counts.sessions;
    let upcoming = (n - 1).min(2);
    let text = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let sessions = sqlx::query_scalar!(
        r#"with s as (
               select k, case when k % 5 = 4 then 'academic' else 'leaders' end as kind,
                      case when k < $1 - $2
                          then now() - make_interval(secs => 86400 * ($3::float8 - k * ($3::float8 - 7) / greatest($1 - $2 - 1, 1)))
                          else now() + make_interval(days => (7 * (k - ($1 - $2) + 1))::int) end as day
               from generate_series(0, $1::int8 - 1) k
           ),
           t as (
               select s.*, ((date_trunc('day', day at time zone 'Asia/Shanghai') + interval '14 hours') at time zone 'Asia/Shanghai') as starts_at,
                      row_number() over (partition by kind order by k) as rn
               from s
           )
           insert into reception_session (kind, number, department_id, starts_at, ends_at, time_confirmed, place, topic,
                                          open_seats, signup_opens_at, signup_closes_at, created_by, created_at, updated_at,
                                          minutes_updated_at)
           select t.kind, rk.last_number + t.rn, $4, t.starts_at, t.starts_at + interval '2 hours',
                  t.k < $1 - 1 or $2 = 0, ($5::text[])[1 + (t.k % cardinality($5::text[]))::int],
                  ($6::text[])[1 + (t.k % cardinality($6::text[]))::int], 30,
                  t.starts_at - interval '14 days', t.starts_at - interval '1 day', $7, t.starts_at - interval '21 days',
                  least(now(), t.starts_at - interval '20 days'),
                  case when t.starts_at < now() - interval '3 days' then t.starts_at + interval '2 days' end
           from t join reception_kind rk on rk.kind = t.kind
           order by t.k
           returning session_id"#,
        n,
        upcoming,
        SPAN_DAYS,
        rights,
        &text(&words::RECEPTION_PLACES),
        &text(&words::TOPICS),
        seed.people.officers.first().copied()
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "update reception_kind k set last_number = s.last
         from (select kind, max(number) as last from reception_session group by kind) s
         where s.kind = k.kind and s.last > k.last_number"
    )
    .execute(&mut *tx)
    .await?;
    let (leaders, titles): (Vec<String>, Vec<String>) =
        words::LEADERS.iter().map(|(n, t)| (n.to_string(), t.to_string())).unzip();
    sqlx::query!(
        "insert into reception_leader (session_id, position, name, title)
         select s.id, p, ($2::text[])[1 + ((s.i + p * 3) % cardinality($2::text[]))::int],
                ($3::text[])[1 + ((s.i + p * 3) % cardinality($3::text[]))::int]
         from unnest($1::int8[]) with ordinality as s(id, i), generate_series(0, 1) p",
        &sessions,
        &leaders,
        &titles
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into reception_quota (session_id, college, seats)
         select s.id, ($2::text[])[1 + ((s.i * 2 + p) % cardinality($2::text[]))::int], 3
         from unnest($1::int8[]) with ordinality as s(id, i), generate_series(0, 1) p",
        &sessions,
        &text(&words::COLLEGES)
    )
    .execute(&mut *tx)
    .await?;
    // Twenty students took an open seat at each.
    sqlx::query!(
        "insert into reception_signup (session_id, user_id, status, queued_at, updated_at)
         select rs.session_id, ($2::int8[])[1 + ((s.i * 7919 + r) % cardinality($2::int8[]))::int], 'seat',
                least(now(), rs.signup_opens_at + make_interval(hours => r::int)), least(now(), rs.signup_opens_at + make_interval(hours => r::int))
         from unnest($1::int8[]) with ordinality as s(id, i)
         join reception_session rs on rs.session_id = s.id
         cross join generate_series(0, least(19, cardinality($2::int8[]) - 1)) r
         where rs.signup_opens_at < now()",
        &sessions,
        &seed.people.students
    )
    .execute(&mut *tx)
    .await?;
    progress.done("reception_session", sessions.len() as u64, began);
    questions(tx, seed, &sessions, upcoming, progress).await?;
    commitments(tx, seed, &sessions, progress).await
}

/// Questions, spread over the sessions; the first few of each held session were on the
/// agenda and are in its minutes, with the answer given.
async fn questions(
    tx: &mut PgConnection,
    seed: &Seed,
    sessions: &[i64],
    upcoming: i64,
    progress: &Progress,
) -> anyhow::Result<()> {
    let began = Instant::now();
    let held = (sessions.len() as i64 - upcoming).max(1);
    // Enough minutes for the commitments, with some answered without one.
    let on_agenda = (seed.counts.commitments * 3 + 2 * held - 1) / (2 * held);
    let (asked, answers): (Vec<String>, Vec<String>) =
        words::QUESTIONS.iter().map(|(q, a, _, _)| (q.to_string(), a.to_string())).unzip();
    let done = sqlx::query!(
        r#"with s as (select s.id, s.i - 1 as idx from unnest($1::int8[]) with ordinality as s(id, i)),
           n as (select count(*) as n from s),
           pub as (select array_agg(complaint_id) as ids from complaint where is_public and status <> 'submitted'),
           q as (
               select j, j % n.n as idx, j / n.n as rank,
                      1 + floor(random() * cardinality($3::int8[]))::int as author, random() as r_anon,
                      random() as r_link, random() as r_at
               from generate_series(0, $2::int8 - 1) j, n
               offset 0
           )
           insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, on_agenda, created_at)
           select s.id, ($3::int8[])[q.author], ($4::text[])[1 + ((q.j * 7 + q.rank) % cardinality($4::text[]))::int],
                  q.r_anon < 0.1,
                  case when q.r_link < 0.05 then pub.ids[1 + floor(q.r_link / 0.05 * cardinality(pub.ids))::int] end,
                  q.rank < $5 and rs.starts_at < now(),
                  least(now(), rs.starts_at - make_interval(secs => 86400 * (1 + 13 * q.r_at)))
           from q join s using (idx) join reception_session rs on rs.session_id = s.id, pub
           order by s.idx, q.rank"#,
        sessions,
        seed.counts.questions,
        &seed.people.students,
        &asked,
        on_agenda
    )
    .execute(&mut *tx)
    .await?;
    progress.done("reception_question", done.rows_affected(), began);
    let began = Instant::now();
    // Support for the questions: those put on the agenda drew the most.
    let done = sqlx::query!(
        "insert into reception_question_vote (question_id, user_id, created_at)
         select v.question_id, v.user_id, v.created_at
         from (select q.question_id, q.author_id,
                      ($2::int8[])[1 + ((q.question_id * 7919 + r) % cardinality($2::int8[]))::int] as user_id,
                      q.created_at + (least(now(), rs.starts_at) - q.created_at) * random() as created_at
               from reception_question q
               join reception_session rs using (session_id)
               cross join lateral generate_series(1, least(cardinality($2::int8[]) - 1,
                   case when q.on_agenda then 5 + floor(random() * 35)::int else floor(random() * random() * 6)::int end)) r
               where q.session_id = any($1)) v
         where v.user_id <> v.author_id
         on conflict do nothing",
        sessions,
        &seed.people.students
    )
    .execute(&mut *tx)
    .await?;
    progress.done("reception_question_vote", done.rows_affected(), began);
    let began = Instant::now();
    let (names, titles): (Vec<String>, Vec<String>) =
        words::LEADERS.iter().map(|(n, t)| (n.to_string(), t.to_string())).unzip();
    let done = sqlx::query!(
        "insert into reception_minute (session_id, question_id, asked_by, question, answered_by, answer, recorded_by, created_at)
         select q.session_id, q.question_id, case when q.is_anonymous then '' else u.name end, q.body,
                coalesce(l.name || ' ' || l.title, ($4::text[])[1] || ' ' || ($5::text[])[1]), qa.answer, $6, rs.ends_at
         from reception_question q
         join reception_session rs on rs.session_id = q.session_id
         join app_user u on u.user_id = q.author_id
         join unnest($2::text[], $3::text[]) as qa(question, answer) on qa.question = q.body
         left join reception_leader l on l.session_id = q.session_id and l.position = q.question_id % 2
         where q.on_agenda and q.session_id = any($1)
         order by q.session_id, q.question_id",
        sessions,
        &asked,
        &answers,
        &names,
        &titles,
        seed.people.officers.first().copied()
    )
    .execute(&mut *tx)
    .await?;
    progress.done("reception_minute", done.rows_affected(), began);
    Ok(())
}

/// Commitments, from minutes spread evenly over the held sessions, with their fate.
async fn commitments(tx: &mut PgConnection, seed: &Seed, sessions: &[i64], progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let (asked, (promised, offices)): (Vec<String>, (Vec<String>, Vec<String>)) =
        words::QUESTIONS.iter().map(|(q, _, c, o)| (q.to_string(), (c.to_string(), o.to_string()))).unzip();
    let done = sqlx::query!(
        r#"with m as (
               select m.minute_id, m.session_id, m.question_id, m.question, row_number() over (order by m.minute_id) - 1 as i,
                      count(*) over () as total
               from reception_minute m where m.session_id = any($1)
           ),
           f as (
               select m.*, qa.what, coalesce(o.office_id, (select min(office_id) from school_office)) as office_id,
                      (rs.starts_at at time zone 'Asia/Shanghai')::date + 30 + floor(random() * 90)::int as due_on,
                      (rs.starts_at at time zone 'Asia/Shanghai')::date as held_on, q.complaint_id,
                      random() as r_status, random() as r_done
               from m
               join reception_session rs on rs.session_id = m.session_id
               join unnest($3::text[], $4::text[], $5::text[]) as qa(question, what, office) on qa.question = m.question
               left join school_office o on o.name_zh = qa.office
               left join reception_question q on q.question_id = m.question_id
               where floor((m.i + 1) * $2::int8 / m.total) > floor(m.i * $2::int8 / m.total)
           ),
           s as (
               select f.*, case
                   when due_on >= (now() at time zone 'Asia/Shanghai')::date then case when r_status < 0.5 then 'pending' when r_status < 0.9 then 'in_progress' else 'done' end
                   else case when r_status < 0.65 then 'done' when r_status < 0.8 then 'in_progress' else 'pending' end
                 end as status
               from f
           )
           insert into commitment (minute_id, session_id, what, office_id, due_on, status, done_on, complaint_id, created_at, updated_at)
           select minute_id, session_id, what, office_id, due_on, status,
                  case when status = 'done' then least((now() at time zone 'Asia/Shanghai')::date, greatest(held_on + 1,
                      case when r_done < 0.75 then due_on - floor(r_done * 40)::int else due_on + 1 + floor((r_done - 0.75) * 80)::int end)) end,
                  complaint_id, (held_on + 1)::timestamp at time zone 'Asia/Shanghai', (held_on + 1)::timestamp at time zone 'Asia/Shanghai'
           from s order by minute_id"#,
        sessions,
        seed.counts.commitments,
        &asked,
        &promised,
        &offices
    )
    .execute(&mut *tx)
    .await?;
    progress.done("commitment", done.rows_affected(), began);
    let began = Instant::now();
    let updates: Vec<String> = words::COMMITMENT_UPDATES.iter().map(|s| s.to_string()).collect();
    let done = sqlx::query!(
        "with u as (
             insert into commitment_update (commitment_id, author_id, body, status_after, created_at)
             select c.commitment_id, $2, ($1::text[])[1 + (c.commitment_id % cardinality($1::text[]))::int], c.status,
                    least(now(), coalesce(c.done_on::timestamp at time zone 'Asia/Shanghai' + interval '10 hours',
                                          c.created_at + (now() - c.created_at) * 0.5))
             from commitment c where c.status <> 'pending' and c.session_id = any($3)
             returning commitment_id, created_at
         )
         update commitment c set updated_at = u.created_at from u where u.commitment_id = c.commitment_id",
        &updates,
        seed.people.officers.first().copied(),
        sessions
    )
    .execute(&mut *tx)
    .await?;
    progress.done("commitment_update", done.rows_affected(), began);
    Ok(())
}
