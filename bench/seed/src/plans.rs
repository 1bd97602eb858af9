//! Department work plans, one per department and semester going back from this
//! one: the review in the heads' own words, goals and actions from their plans,
//! this semester's in every workflow state, older ones reviewed (their unfinished
//! actions overdue), most made public; each with its first saved version.

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use sqlx::PgConnection;

use super::{words, Progress, Seed};

/// The semester `back` semesters before the one of `today`: its label and first day.
fn semester(today: NaiveDate, back: i64) -> (String, NaiveDate) {
    let (year, half) = match today.month() {
        9..=12 => (today.year(), 0),
        1 => (today.year() - 1, 0),
        _ => (today.year() - 1, 1),
    };
    let index = i64::from(year) * 2 + half - back;
    let (year, half) = (index.div_euclid(2) as i32, index.rem_euclid(2));
    let (name, start) = if half == 0 {
        ("第一学期", NaiveDate::from_ymd_opt(year, 9, 1))
    } else {
        ("第二学期", NaiveDate::from_ymd_opt(year + 1, 3, 1))
    };
    (format!("{year}–{}学年{name}", year + 1), start.unwrap_or(today))
}

/// This semester's plans in every state; the last semester's partly still running.
fn status_of(back: i64, department: usize) -> &'static str {
    const NOW: [&str; 8] =
        ["in_progress", "approved", "submitted", "draft", "returned", "in_progress", "approved", "in_progress"];
    match back {
        0 => NOW[department % NOW.len()],
        1 if department % 3 == 0 => "in_progress",
        _ => "reviewed",
    }
}

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let departments = sqlx::query!(
        "select department_id, name_zh,
                (select min(m.user_id) from membership m join term t using (term_id)
                 where t.is_current and m.department_id = d.department_id and m.role = 'head') as head
         from department d where archived_at is null and slug <> 'presidium' order by sort_order, department_id"
    )
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(!departments.is_empty(), "no department to plan for");
    let today = union_portal::web::forms::today();
    let (mut ids, mut starts, mut backs, mut owners) = (vec![], vec![], vec![], vec![]);
    for p in 0..seed.counts.plans as usize {
        let (d, back) = (&departments[p % departments.len()], (p / departments.len()) as i64);
        let (period, start) = semester(today, back);
        let status = status_of(back, p % departments.len());
        let public = matches!(status, "approved" | "in_progress" | "reviewed") && p % 4 != 3;
        let id = sqlx::query_scalar!(
            "insert into plan (department_id, period, title, review_achievements, review_shortcomings, status,
                               return_comment, is_public, created_by, created_at, updated_at)
             values ($1, $2, $10, $3, $4, $5, $6, $7, $8,
                     ($9::date - 10)::timestamp at time zone 'Asia/Shanghai' + interval '10 hours',
                     least(now(), ($9::date + 30)::timestamp at time zone 'Asia/Shanghai'))
             on conflict (department_id, period) do nothing
             returning plan_id",
            d.department_id,
            period,
            words::ACHIEVEMENTS[p % words::ACHIEVEMENTS.len()],
            words::SHORTCOMINGS[p % words::SHORTCOMINGS.len()],
            status,
            if status == "returned" { "请补充每项工作的完成时间和负责人。" } else { "" },
            public,
            d.head,
            start,
            format!("{}{period}工作计划", d.name_zh)
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { continue };
        ids.push(id);
        starts.push(start);
        backs.push(back as i32);
        owners.push(d.head);
    }
    progress.done("plan", ids.len() as u64, began);
    let began = Instant::now();
    let per_plan = (seed.counts.actions + ids.len().max(1) as i64 - 1) / ids.len().max(1) as i64;
    let goals_per_plan = ((per_plan + 5) / 6).clamp(1, 5);
    let (titles, descriptions): (Vec<String>, Vec<String>) =
        words::GOALS.iter().map(|(t, d)| (t.to_string(), d.to_string())).unzip();
    let done = sqlx::query!(
        "insert into plan_goal (plan_id, position, title, description)
         select p.id, g, ($3::text[])[1 + ((p.i + g * 4) % cardinality($3::text[]))::int],
                ($4::text[])[1 + ((p.i + g * 4) % cardinality($4::text[]))::int]
         from unnest($1::int8[]) with ordinality as p(id, i), generate_series(0, $2::int - 1) g
         order by p.i, g",
        &ids,
        goals_per_plan as i32,
        &titles,
        &descriptions
    )
    .execute(&mut *tx)
    .await?;
    progress.done("plan_goal", done.rows_affected(), began);
    let began = Instant::now();
    let actions: Vec<String> = words::ACTIONS.iter().map(|s| s.to_string()).collect();
    let notes: Vec<String> = words::ACTION_NOTES.iter().map(|s| s.to_string()).collect();
    let done = sqlx::query!(
        r#"with p as (
               select p.id, p.i - 1 as idx, p.start, p.back, pl.department_id
               from unnest($1::int8[], $2::date[], $3::int4[]) with ordinality as p(id, start, back, i)
               join plan pl on pl.plan_id = p.id
           ),
           n as (select count(*) as n from p),
           staff as (
               select m.department_id, array_agg(m.user_id order by m.user_id) as ids
               from membership m join term t using (term_id) where t.is_current group by m.department_id
           ),
           a as (
               select j, j % n.n as idx, j / n.n as rank, random() as r_status, random() as r_due,
                      random() as r_progress, random() as r_owner, random() as r_note, random() as r_done
               from generate_series(0, $4::int8 - 1) j, n
               offset 0
           ),
           b as (
               select a.*, p.id as plan_id, p.back, p.department_id, g.goal_id, (a.rank / $5::int)::int as position,
                      p.start + 14 + floor(a.r_due * 130)::int as due_on,
                      (now() at time zone 'Asia/Shanghai')::date as today
               from a join p using (idx) join plan_goal g on g.plan_id = p.id and g.position = a.rank % $5::int
           ),
           c as (
               select b.*, case
                   when back = 0 and due_on < today then case when r_status < 0.6 then 'done' when r_status < 0.85 then 'in_progress'
                       when r_status < 0.95 then 'not_started' else 'dropped' end
                   when back = 0 then case when r_status < 0.15 then 'done' when r_status < 0.55 then 'in_progress'
                       when r_status < 0.95 then 'not_started' else 'dropped' end
                   else case when r_status < 0.78 then 'done' when r_status < 0.88 then 'dropped'
                       when r_status < 0.94 then 'in_progress' else 'not_started' end
                 end as status
               from b
           )
           insert into plan_action (plan_id, goal_id, position, title, owner_id, due_on, status, progress, notes, done_on)
           select c.plan_id, c.goal_id, c.position, ($6::text[])[1 + ((c.j * 7 + c.rank) % cardinality($6::text[]))::int],
                  staff.ids[1 + floor(c.r_owner * cardinality(staff.ids))::int], c.due_on, c.status,
                  case c.status when 'done' then 100 when 'in_progress' then 10 + floor(c.r_progress * 80)::int
                                when 'dropped' then floor(c.r_progress * 50)::int else 0 end,
                  ($7::text[])[1 + floor(c.r_note * cardinality($7::text[]))::int],
                  case when c.status = 'done' then least(c.today, c.due_on + floor(c.r_done * 30)::int - 20) end
           from c left join staff on staff.department_id = c.department_id
           order by c.plan_id, c.goal_id, c.position"#,
        &ids,
        &starts,
        &backs,
        seed.counts.actions,
        goals_per_plan as i32,
        &actions,
        &notes
    )
    .execute(&mut *tx)
    .await?;
    progress.done("plan_action", done.rows_affected(), began);
    let began = Instant::now();
    for (id, owner) in ids.iter().zip(&owners) {
        union_portal::plans::queries::save_version(&mut *tx, *id, *owner, "plan.version.created").await?;
    }
    // Saving stamped them now: back to when they were written.
    sqlx::query!(
        "update plan p set updated_at = least(now(), p.created_at + interval '40 days') where p.plan_id = any($1);",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update plan_version v set created_at = p.created_at from plan p where p.plan_id = v.plan_id and p.plan_id = any($1)",
        &ids
    )
    .execute(&mut *tx)
    .await?;
    progress.done("plan_version", ids.len() as u64, began);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semesters_count_back_from_this_one() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(semester(day("2026-11-24"), 0), ("2026–2027学年第一学期".into(), day("2026-09-01")));
        assert_eq!(semester(day("2026-11-24"), 1), ("2025–2026学年第二学期".into(), day("2026-03-01")));
        assert_eq!(semester(day("2027-01-10"), 2), ("2025–2026学年第一学期".into(), day("2025-09-01")));
        assert_eq!(semester(day("2027-04-01"), 0), ("2026–2027学年第二学期".into(), day("2027-03-01")));
    }
}
