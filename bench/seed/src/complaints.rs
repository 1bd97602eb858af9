//! Complaints over three years, more of them lately: a realistic mix of categories,
//! statuses by age (the old ones mostly answered, some overdue and escalated),
//! offices, anonymous and private ones; the timeline each status implies plus
//! notes and replies; supports (同问), a few complaints drawing most of them.
//! Tracking numbers count per year as filing does, and the counters continue them.

use std::time::Instant;

use sqlx::PgConnection;

use super::{put_back, set_aside, words, Progress, Seed, SPAN_DAYS};

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let mut restore = vec![];
    for table in ["complaint", "complaint_event", "complaint_support"] {
        restore.extend(set_aside(tx, table).await?);
    }
    insert_complaints(tx, seed, progress).await?;
    insert_events(tx, seed, progress).await?;
    insert_supports(tx, seed, progress).await?;
    put_back(tx, restore, progress).await
}

async fn insert_complaints(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    // Only categories and offices the database has (an administrator may have changed them).
    let categories = union_portal::complaints::queries::list_categories(&mut *tx).await?;
    let offices = union_portal::complaints::queries::list_offices(&mut *tx).await?;
    let deck: Vec<_> =
        words::complaint_deck(1000).into_iter().filter(|c| categories.iter().any(|cat| cat.slug == c.slug)).collect();
    anyhow::ensure!(!deck.is_empty() && !offices.is_empty(), "no complaint categories or school offices");
    let office_of = |names: &[&str], i: usize| {
        let wanted: Vec<i64> =
            offices.iter().filter(|o| names.contains(&o.name_zh.as_str())).map(|o| o.office_id).collect();
        if wanted.is_empty() {
            offices[i % offices.len()].office_id
        } else {
            wanted[i % wanted.len()]
        }
    };
    let slugs: Vec<String> = deck.iter().map(|c| c.slug.to_string()).collect();
    let titles: Vec<String> = deck.iter().map(|c| c.title.clone()).collect();
    let places: Vec<String> = deck.iter().map(|c| c.place.clone()).collect();
    let bodies: Vec<String> = deck.iter().map(|c| c.body.clone()).collect();
    let docs: Vec<String> = deck.iter().map(|c| c.doc.clone()).collect();
    let office_ids: Vec<i64> = deck.iter().enumerate().map(|(i, c)| office_of(c.offices, i)).collect();
    let (details, detail_docs) =
        words::columns(&words::LOCATION_DETAILS.iter().map(|d| words::Piece::plain(d)).collect::<Vec<_>>());
    let (follows, follow_docs) =
        words::columns(&words::FOLLOW_UPS.iter().map(|d| words::Piece::plain(d)).collect::<Vec<_>>());
    let done = sqlx::query!(
        r#"with deck as (
               select d.i, d.slug, d.title, d.place, d.body, d.doc, d.office_id
               from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int8[])
                    with ordinality as d(slug, title, place, body, doc, office_id, i)
           ),
           staff as (
               select m.department_id, array_agg(m.user_id order by m.user_id) as ids
               from membership m join term t using (term_id) where t.is_current group by m.department_id
           ),
           g as (
               -- Filed ever more often towards today; g orders them in time.
               select g, now() - make_interval(secs => $13::float8 * 86400 * power(1 - (g - 0.5) / $1::float8, 1.3)) as created_at,
                      1 + floor(random() * cardinality($2::text[]))::int8 as card,
                      1 + floor(random() * cardinality($8::text[]))::int as detail,
                      1 + floor(random() * cardinality($10::text[]))::int as follow,
                      1 + floor(random() * cardinality($12::int8[]))::int as reporter,
                      random() as r_status, random() as r_late, random() as r_accept, random() as r_reply,
                      random() as r_resolve, random() as r_confirm, random() as r_rating, random() as r_public,
                      random() as r_anonymous, random() as r_assign, random() as r_office
               from generate_series(1, $1::int8) g
               offset 0
           ),
           s as (
               select g.*, extract(epoch from now() - g.created_at) / 86400 as age,
                      extract(year from g.created_at at time zone 'Asia/Shanghai')::int as year
               from g
           ),
           st as (
               select s.*,
                      case
                        when age < 3 then case when r_status < 0.55 then 'submitted' when r_status < 0.80 then 'accepted'
                            when r_status < 0.85 then 'rejected' when r_status < 0.95 then 'forwarded' else 'responded' end
                        when age < 14 then case when r_status < 0.08 then 'submitted' when r_status < 0.30 then 'accepted'
                            when r_status < 0.38 then 'rejected' when r_status < 0.63 then 'forwarded'
                            when r_status < 0.88 then 'responded' else 'resolved' end
                        when age < 60 then case when r_status < 0.02 then 'submitted' when r_status < 0.08 then 'accepted'
                            when r_status < 0.18 then 'rejected' when r_status < 0.30 then 'forwarded'
                            when r_status < 0.55 then 'responded' else 'resolved' end
                        else case when r_status < 0.005 then 'submitted' when r_status < 0.025 then 'accepted'
                            when r_status < 0.135 then 'rejected' when r_status < 0.18 then 'forwarded'
                            when r_status < 0.35 then 'responded' else 'resolved' end
                      end as status,
                      row_number() over (partition by year order by g) as n
               from s
           ),
           a as (
               -- Most are accepted within the two working days, some late. Each step takes its usual
               -- time, or a share of the time left before now for recent complaints.
               select st.*,
                      case when status not in ('submitted', 'rejected') then created_at + least((now() - created_at) * 0.3,
                          make_interval(secs => 86400 * case when r_late < 0.9 then 0.1 + 1.9 * r_accept else 2 + 5 * r_accept end))
                      end as accepted_at,
                      case when status = 'rejected' then created_at
                          + least((now() - created_at) * 0.5, make_interval(secs => 86400 * (0.2 + 2.8 * r_accept)))
                      end as rejected_at
               from st
           ),
           r as (
               select a.*,
                      case when status in ('responded', 'resolved')
                          then accepted_at + least((now() - accepted_at) * 0.6, make_interval(secs => 86400 * (0.3 + 12 * r_reply * r_reply)))
                      end as replied_at
               from a
           ),
           v as (
               select r.*,
                      case when status = 'resolved'
                          then replied_at + least((now() - replied_at) * 0.7, make_interval(secs => 86400 * (0.5 + 14 * r_resolve)))
                      end as resolved_at
               from r
           ),
           w as (
               select v.*,
                      case when resolved_at is not null and r_confirm < 0.45
                          then resolved_at + least((now() - resolved_at) * 0.8, make_interval(secs => 86400 * 3 * r_confirm / 0.45))
                      end as confirmed_at,
                      -- Past both deadlines by more than a week: the daily job escalated it long ago.
                      case when status in ('submitted', 'accepted', 'forwarded') and created_at < now() - interval '15 days'
                          then created_at + interval '15 days' end as escalated_at,
                      n + coalesce((select s.last_value from pg_sequences s
                                    where s.schemaname = 'public' and s.sequencename = 'tracking_no_' || v.year), 0) as no
               from v
           )
           insert into complaint (tracking_no, reporter_id, category_id, department_id, office_id, assignee_id, title,
                                  location, description, is_public, is_anonymous, status, rating, created_at, updated_at,
                                  accepted_at, first_public_reply_at, resolved_at, confirmed_at, escalated_at, search_doc)
           select 'QY-' || w.year || '-' || lpad(w.no::text, greatest(6, length(w.no::text)), '0'),
                  ($12::int8[])[w.reporter], cat.category_id, cat.department_id,
                  case when w.status = 'forwarded' or (w.status in ('responded', 'resolved') and w.r_office < 0.5)
                      then deck.office_id end,
                  case when w.status not in ('submitted', 'rejected') and w.r_assign < 0.75
                      then staff.ids[1 + floor(w.r_assign / 0.75 * cardinality(staff.ids))::int] end,
                  deck.title, deck.place || ' ' || ($8::text[])[w.detail], deck.body || ($10::text[])[w.follow],
                  w.r_public < 0.8, w.r_anonymous < 0.25, w.status,
                  case when w.confirmed_at is not null then case when w.r_rating < 0.4 then 5 when w.r_rating < 0.7 then 4
                      when w.r_rating < 0.85 then 3 when w.r_rating < 0.93 then 2 else 1 end end,
                  w.created_at,
                  greatest(w.created_at, w.accepted_at, w.rejected_at, w.replied_at, w.resolved_at, w.confirmed_at, w.escalated_at),
                  w.accepted_at, w.replied_at, w.resolved_at, w.confirmed_at, w.escalated_at,
                  deck.doc::tsvector || ($9::text[])[w.detail]::tsvector || ($11::text[])[w.follow]::tsvector
                      || array_to_tsvector(array['qy', w.year::text, lpad(w.no::text, greatest(6, length(w.no::text)), '0')])
           from w
           join deck on deck.i = w.card
           join complaint_category cat on cat.slug = deck.slug
           left join staff on staff.department_id = cat.department_id
           order by w.g"#,
        seed.counts.complaints,
        &slugs,
        &titles,
        &places,
        &bodies,
        &docs,
        &office_ids,
        &details,
        &detail_docs,
        &follows,
        &follow_docs,
        &seed.people.students,
        SPAN_DAYS
    )
    .execute(&mut *tx)
    .await?;
    anyhow::ensure!(done.rows_affected() as i64 == seed.counts.complaints, "complaints: {} rows", done.rows_affected());
    // Filing continues each year's numbers: a new complaint never takes a generated one.
    sqlx::query!("select continue_tracking_numbers()").execute(&mut *tx).await?;
    progress.done("complaint", done.rows_affected(), began);
    Ok(())
}

/// The events each complaint's status implies, then notes and replies up to the wanted total,
/// inserted in time order so the timeline (ordered by id) reads as it happened.
async fn insert_events(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let implied: i64 = sqlx::query_scalar!(
        r#"select (count(*) + count(accepted_at) + count(*) filter (where status = 'rejected') + count(office_id)
                  + count(first_public_reply_at) + count(resolved_at) + count(confirmed_at) + count(escalated_at))::int8 as "n!"
           from complaint"#
    )
    .fetch_one(&mut *tx)
    .await?;
    let extra = (seed.counts.events - implied).max(0);
    let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let done = sqlx::query!(
        r#"with staff as (
               select m.department_id, array_agg(m.user_id order by m.user_id) as ids
               from membership m join term t using (term_id) where t.is_current group by m.department_id
           ),
           c as (
               select c.complaint_id, c.reporter_id, c.department_id, c.status, c.created_at, c.accepted_at,
                      c.first_public_reply_at, c.resolved_at, c.confirmed_at, c.escalated_at, c.updated_at, c.rating,
                      c.office_id, coalesce(c.assignee_id, s.ids[1]) as handler, o.name_zh as office
               from complaint c left join staff s using (department_id) left join school_office o using (office_id)
           ),
           implied as (
               select c.complaint_id, e.at, e.ord, e.kind, e.from_status, e.to_status, e.actor_id, e.department_id,
                      e.body, true as is_public
               from c cross join lateral (values
                   (1, c.created_at, 'submitted', null, 'submitted', c.reporter_id, null::int8, ''),
                   (2, c.accepted_at, 'status', 'submitted', 'accepted', c.handler, c.department_id, ''),
                   (2, case when c.status = 'rejected' then c.updated_at end, 'status', 'submitted', 'rejected', c.handler,
                       c.department_id, ($2::text[])[1 + (c.complaint_id % cardinality($2::text[]))::int]),
                   (3, case when c.office_id is not null
                           then c.accepted_at + (coalesce(c.first_public_reply_at, now()) - c.accepted_at) * 0.3 end,
                       'status', 'accepted', 'forwarded', c.handler, c.department_id, '已转交' || c.office || '跟进处理。'),
                   (4, c.first_public_reply_at, 'status', case when c.office_id is null then 'accepted' else 'forwarded' end,
                       'responded', c.handler, c.department_id, ($3::text[])[1 + (c.complaint_id % cardinality($3::text[]))::int]),
                   (5, c.resolved_at, 'status', 'responded', 'resolved', c.handler, c.department_id, ''),
                   (6, c.confirmed_at, 'confirmed', null, null, c.reporter_id, null, c.rating || '/5'),
                   (7, c.escalated_at, 'escalated', null, null, null, c.department_id, '')
               ) as e(ord, at, kind, from_status, to_status, actor_id, department_id, body)
               where e.at is not null
           ),
           handled as (select complaint_id, row_number() over (order by complaint_id) as k from complaint where status <> 'submitted'),
           hn as (select count(*) as n from handled),
           x as (
               select 1 + floor(random() * hn.n)::int8 as k, random() as r_at, random() as r_kind, random() as r_body
               from generate_series(1, $1::int8), hn
               offset 0
           ),
           extra as (
               select c.complaint_id, t.at, 8 as ord, k.kind, null::text as from_status, null::text as to_status,
                      case when k.kind = 'reporter_reply' then c.reporter_id else c.handler end as actor_id,
                      case when k.kind = 'reporter_reply' then null else c.department_id end as department_id,
                      case k.kind when 'public_reply' then ($4::text[])[1 + floor(x.r_body * cardinality($4::text[]))::int]
                                  when 'internal_note' then ($5::text[])[1 + floor(x.r_body * cardinality($5::text[]))::int]
                                  else ($6::text[])[1 + floor(x.r_body * cardinality($6::text[]))::int] end as body,
                      k.kind <> 'internal_note' as is_public
               from x join handled h using (k) join c using (complaint_id)
               cross join lateral (
                   select coalesce(c.accepted_at, c.created_at)
                          + (coalesce(c.resolved_at, case when c.status = 'rejected' then c.updated_at end, now())
                             - coalesce(c.accepted_at, c.created_at)) * x.r_at as at
               ) t
               cross join lateral (
                   -- A public reply only after the first one the complaint records.
                   select case when x.r_kind < 0.3 then case when c.first_public_reply_at <= t.at then 'public_reply'
                                                             else 'reporter_reply' end
                               when x.r_kind < 0.55 then 'reporter_reply' else 'internal_note' end as kind
               ) k
           )
           insert into complaint_event (complaint_id, actor_id, department_id, kind, from_status, to_status, body, is_public, created_at)
           select complaint_id, actor_id, department_id, kind, from_status, to_status, body, is_public, at
           from (select complaint_id, at, ord, kind, from_status, to_status, actor_id, department_id, body, is_public from implied
                 union all
                 select complaint_id, at, ord, kind, from_status, to_status, actor_id, department_id, body, is_public from extra) e
           order by complaint_id, at, ord"#,
        extra,
        &list(&words::REJECTIONS),
        &list(&words::RESPONSES),
        &list(&words::PUBLIC_REPLIES),
        &list(&words::INTERNAL_NOTES),
        &list(&words::REPORTER_REPLIES)
    )
    .execute(&mut *tx)
    .await?;
    progress.done("complaint_event", done.rows_affected(), began);
    Ok(())
}

/// 同问 on public complaints: two thirds spread evenly, a third on a few popular ones.
/// A supporter is never the reporter and never supports twice.
async fn insert_supports(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let public: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from complaint where is_public"#).fetch_one(&mut *tx).await?;
    if public == 0 {
        return Ok(());
    }
    let popular_part = seed.counts.supports / 3;
    let even_part = seed.counts.supports - popular_part;
    let popular = (public / 50).max(1);
    let done = sqlx::query!(
        r#"with st as (select s.user_id, s.i - 1 as idx from unnest($4::int8[]) with ordinality as s(user_id, i)),
           pc as (
               select c.complaint_id, c.created_at, st.idx as ridx, row_number() over (order by c.complaint_id) - 1 as k
               from complaint c join st on st.user_id = c.reporter_id where c.is_public
           ),
           p as (select count(*) as n from pc),
           j as (
               select j % p.n as k, j / p.n as rank from generate_series(0, $1::int8 - 1) j, p
               union all
               select (j % $3::int8) * (p.n / $3::int8), $1::int8 / p.n + 1 + j / $3::int8
               from generate_series(0, $2::int8 - 1) j, p
           )
           insert into complaint_support (complaint_id, user_id, created_at)
           select pc.complaint_id,
                  ($4::int8[])[(1 + (pc.ridx + 1 + (pc.k * 7919 + j.rank) % (cardinality($4::int8[]) - 1))
                                    % cardinality($4::int8[]))::int],
                  pc.created_at + (least(now(), pc.created_at + interval '30 days') - pc.created_at) * random()
           from j join pc using (k)
           on conflict do nothing"#,
        even_part,
        popular_part,
        popular,
        &seed.people.students
    )
    .execute(&mut *tx)
    .await?;
    progress.done("complaint_support", done.rows_affected(), began);
    Ok(())
}
