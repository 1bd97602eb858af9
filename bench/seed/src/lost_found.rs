//! Lost and found: the intake of the five points over three years (campus cards
//! with their owners, umbrellas, earphones, books…), most fetched within days, the
//! rest announced on numbered bulletins (a few hundred items each: what was registered
//! since the one before and still held then) and disposed of after the retention
//! period; students' lost reports.

use std::time::Instant;

use anyhow::Context;
use chrono::Duration;
use sqlx::PgConnection;

use super::{put_back, set_aside, words, Progress, Seed, SPAN_DAYS};

/// Found items are inserted in slices of this many rows.
const SLICE: i64 = 250_000;

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let rights: i64 = union_portal::departments::queries::fetch_department_id(&mut *tx, "rights")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    let points: Vec<_> = union_portal::lost_found::queries::list_points(&mut *tx, Some(rights))
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .collect();
    anyhow::ensure!(!points.is_empty(), "the rights department has no collection point");
    let (bulletin_ids, first_at, step) = insert_bulletins(tx, seed, rights, progress).await?;
    let restore = set_aside(tx, "found_item").await?;
    let began = Instant::now();

    // Decks of a hundred: drawing uniformly gives each category and each point its share.
    let kinds =
        words::weighted(&words::ITEM_KINDS.iter().map(|(c, w, d)| ((*c, d.as_slice()), *w)).collect::<Vec<_>>());
    let mut categories = vec![];
    let mut descriptions = vec![];
    for (i, (category, items)) in kinds.iter().enumerate() {
        categories.push(category.to_string());
        descriptions.push(words::Piece::title(items[i % items.len()]));
    }
    let (descriptions, description_docs) = words::columns(&descriptions);
    let sites =
        words::weighted(&words::POINTS.iter().map(|(p, w, places)| ((*p, places.as_slice()), *w)).collect::<Vec<_>>());
    let mut point_ids = vec![];
    let mut places = vec![];
    for (i, (name, near)) in sites.iter().enumerate() {
        // A point renamed since the migration: its share goes to the first point.
        let point = points.iter().find(|p| p.name_zh == *name).unwrap_or(&points[0]);
        point_ids.push(point.point_id);
        places.push(words::Piece::plain(near[i % near.len()]));
    }
    let (places, place_docs) = words::columns(&places);
    let (colours, colour_docs) =
        words::columns(&words::COLOURS.iter().map(|c| words::Piece::title(c)).collect::<Vec<_>>());
    let surnames: Vec<String> = words::SURNAMES.iter().map(|s| s.to_string()).collect();
    let given: Vec<String> = words::GIVEN_NAMES.iter().map(|s| s.to_string()).collect();

    let total = seed.counts.found_items;
    let mut from = 1;
    while from <= total {
        let to = (from + SLICE - 1).min(total);
        sqlx::query!(
            r#"with g as (
                   select g, now() - make_interval(secs => $4::float8 * 86400 * power(1 - (g - 0.5) / $3::float8, 1.1)) as registered_at,
                          1 + floor(random() * cardinality($5::text[]))::int as kind,
                          1 + floor(random() * cardinality($8::int8[]))::int as site,
                          1 + floor(random() * cardinality($11::text[]))::int as colour,
                          1 + floor(random() * cardinality($13::int8[]))::int as student,
                          1 + floor(random() * cardinality($13::int8[]))::int as claimant,
                          1 + floor(random() * cardinality($14::int8[]))::int as officer,
                          1 + floor(random() * cardinality($14::int8[]))::int as closer,
                          random() as r_status, random() as r_close, random() as r_owner, random() as r_found
                   from generate_series($1::int8, $2::int8) g
                   offset 0
               ),
               i as (
                   select g.*, ($5::text[])[kind] as category, extract(epoch from now() - registered_at) / 86400 as age,
                          case when ($5::text[])[kind] = 'card' and r_owner < 0.8 then ($13::int8[])[student] end as owner_id,
                          -- The bulletin published next after registration (a slot past the last: none yet).
                          greatest(0, ceil(extract(epoch from registered_at - $16::timestamptz) / $17::float8))::int as slot,
                          -- Most things are fetched within days; about one in thirty waits long enough
                          -- to be announced, so a bulletin lists a few hundred items, as on paper.
                          g % 30 = 0 as waits
                   from g
               ),
               s as (
                   select i.*,
                          case
                            -- Past the retention period nothing is still held: fetched, or disposed of.
                            when age > 90 then case when r_status < 0.55 then 'claimed'
                                when r_status < 0.75 then 'returned' else 'disposed' end
                            -- Fetched before any bulletin announced it.
                            when not waits and slot < cardinality($15::int8[]) then case when r_status < 0.75 then 'claimed'
                                else 'returned' end
                            -- A card whose owner has an account: the owner is told and often fetches it.
                            when owner_id is not null then case when r_status < 0.45 then 'returned'
                                when r_status < 0.6 then 'claimed' else 'held' end
                            else case when r_status < 0.78 then 'held' when r_status < 0.94 then 'claimed'
                                else 'returned' end
                          end as status
                   from i
               ),
               c as (
                   select s.*,
                          case when status in ('claimed', 'returned')
                                   then least(now(), registered_at + make_interval(secs => 86400 * 30 * r_close * r_close))
                               when status = 'disposed'
                                   then least(now(), registered_at + make_interval(secs => 86400 * (90 + 30 * r_close)))
                          end as closed_at
                   from s
               )
               insert into found_item (department_id, point_id, category, description, colour, found_place, found_on,
                                       card_student_no, card_name, owner_id, status, registered_by, registered_at,
                                       claimant_student_no, claimant_name, closed_by, closed_at, close_note, bulletin_id,
                                       search_doc)
               select $18::int8, ($8::int8[])[c.site], c.category, ($6::text[])[c.kind],
                      case when c.category = 'card' then '' else ($11::text[])[c.colour] end,
                      ($9::text[])[c.site],
                      (c.registered_at at time zone 'Asia/Shanghai')::date - floor(c.r_found * c.r_found * 4)::int,
                      case when c.category = 'card'
                          then coalesce(o.student_no, '2020' || lpad((c.g % 100000000)::text, 8, '0')) end,
                      case when c.category = 'card'
                          then coalesce(o.name, ($19::text[])[1 + (c.g % cardinality($19::text[]))::int]
                                                || ($20::text[])[1 + (c.g / 7 % cardinality($20::text[]))::int])
                          else '' end,
                      c.owner_id, c.status, ($14::int8[])[c.officer], c.registered_at,
                      case when c.status = 'claimed' then coalesce(o.student_no, cl.student_no) end,
                      case when c.status = 'claimed' then coalesce(o.name, cl.name) end,
                      case when c.status <> 'held' then ($14::int8[])[c.closer] end,
                      c.closed_at,
                      case c.status when 'claimed' then '凭学生证认领' when 'returned' then '已送还本人'
                                    when 'disposed' then '超过保管期限，统一处理' else '' end,
                      -- Announced if it was still held when that bulletin came out.
                      case when c.slot < cardinality($15::int8[]) and c.waits
                                and (c.closed_at is null or c.closed_at > $16::timestamptz + make_interval(secs => c.slot * $17::float8))
                          then ($15::int8[])[c.slot + 1] end,
                      case when c.category = 'card' then ''::tsvector else ($12::text[])[c.colour]::tsvector end
                          || ($7::text[])[c.kind]::tsvector || ($10::text[])[c.site]::tsvector
               from c
               left join app_user o on o.user_id = c.owner_id
               left join app_user cl on cl.user_id = ($13::int8[])[c.claimant]
               order by c.g"#,
            from,
            to,
            total as f64,
            SPAN_DAYS,
            &categories,
            &descriptions,
            &description_docs,
            &point_ids,
            &places,
            &place_docs,
            &colours,
            &colour_docs,
            &seed.people.students,
            &seed.people.officers,
            &bulletin_ids,
            first_at,
            step,
            rights,
            &surnames,
            &given
        )
        .execute(&mut *tx)
        .await?;
        from = to + 1;
    }
    let counted = sqlx::query!(
        "update bulletin b set item_count = x.n
         from (select bulletin_id, count(*)::int as n from found_item where bulletin_id = any($1) group by bulletin_id) x
         where b.bulletin_id = x.bulletin_id",
        &bulletin_ids
    )
    .execute(&mut *tx)
    .await?;
    anyhow::ensure!(counted.rows_affected() as usize == bulletin_ids.len(), "a bulletin announced no item");
    progress.done("found_item", total as u64, began);
    put_back(tx, restore, progress).await?;
    insert_reports(tx, seed, progress).await
}

/// Bulletins at even intervals, the last three days ago. Returns their ids (in number
/// order), when the first came out and the seconds between two.
async fn insert_bulletins(
    tx: &mut PgConnection,
    seed: &Seed,
    rights: i64,
    progress: &Progress,
) -> anyhow::Result<(Vec<i64>, chrono::DateTime<chrono::Utc>, f64)> {
    let began = Instant::now();
    let n = seed.counts.bulletins;
    let step = (SPAN_DAYS - 3.0) * 86400.0 / n as f64;
    let first_at = seed.now - Duration::days(3) - Duration::milliseconds((step * 1000.0) as i64 * (n - 1));
    let first_number =
        sqlx::query_scalar!(r#"select coalesce(max(number) + 1, $1) as "n!" from bulletin"#, seed.first_bulletin)
            .fetch_one(&mut *tx)
            .await?;
    let ids = sqlx::query_scalar!(
        "insert into bulletin (number, department_id, published_by, published_at, item_count)
         select $1 + k, $2, ($3::int8[])[1 + k % cardinality($3::int8[])], $4::timestamptz + make_interval(secs => k * $5::float8), 0
         from generate_series(0, $6::int - 1) k order by k
         returning bulletin_id",
        first_number,
        rights,
        &seed.people.officers,
        first_at,
        step,
        n as i32
    )
    .fetch_all(&mut *tx)
    .await?;
    progress.done("bulletin", ids.len() as u64, began);
    Ok((ids, first_at, step))
}

async fn insert_reports(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let restore = set_aside(tx, "lost_report").await?;
    let began = Instant::now();
    let kinds = words::weighted(&words::ITEM_KINDS.iter().map(|(c, w, _)| (*c, *w)).collect::<Vec<_>>());
    let mut categories = vec![];
    let mut whats = vec![];
    for (i, category) in kinds.iter().enumerate() {
        let (_, said) = words::LOST_WHAT
            .iter()
            .find(|(c, _)| c == category)
            .with_context(|| format!("no words for lost {category} in words::LOST_WHAT"))?;
        categories.push(category.to_string());
        whats.push(words::Piece::title(said[i % said.len()]));
    }
    let (whats, what_docs) = words::columns(&whats);
    let (places, place_docs) =
        words::columns(&words::LOST_PLACES.iter().map(|p| words::Piece::plain(p)).collect::<Vec<_>>());
    let (descriptions, description_docs) =
        words::columns(&words::LOST_DESCRIPTIONS.iter().map(|p| words::Piece::plain(p)).collect::<Vec<_>>());
    let contacts: Vec<String> = words::LOST_CONTACTS.iter().map(|s| s.to_string()).collect();
    let done = sqlx::query!(
        r#"with g as (
               select g, now() - make_interval(secs => $2::float8 * 86400 * power(1 - (g - 0.5) / $1::float8, 1.1)) as created_at,
                      1 + floor(random() * cardinality($3::text[]))::int as kind,
                      1 + floor(random() * cardinality($6::text[]))::int as place,
                      1 + floor(random() * cardinality($8::text[]))::int as description,
                      1 + floor(random() * cardinality($10::text[]))::int as contact,
                      1 + floor(random() * cardinality($11::int8[]))::int as owner,
                      random() as r_status, random() as r_close, random() as r_lost
               from generate_series(1, $1::int8) g
               offset 0
           ),
           s as (
               select g.*,
                      case when now() - created_at < interval '30 days' then r_status < 0.8
                           when now() - created_at < interval '120 days' then r_status < 0.4
                           else r_status < 0.1 end as open
               from g
           )
           insert into lost_report (owner_id, category, what, place, lost_on, description, contact, status, created_at,
                                    closed_at, search_doc)
           select ($11::int8[])[owner], ($3::text[])[kind], ($4::text[])[kind], ($6::text[])[place],
                  (created_at at time zone 'Asia/Shanghai')::date - floor(r_lost * 3)::int,
                  ($8::text[])[description], ($10::text[])[contact],
                  case when open then 'open' else 'closed' end, created_at,
                  case when not open then least(now(), created_at + make_interval(secs => 86400 * (1 + 29 * r_close))) end,
                  ($5::text[])[kind]::tsvector || ($9::text[])[description]::tsvector || ($7::text[])[place]::tsvector
           from s order by g"#,
        seed.counts.lost_reports,
        SPAN_DAYS,
        &categories,
        &whats,
        &what_docs,
        &places,
        &place_docs,
        &descriptions,
        &description_docs,
        &contacts,
        &seed.people.students
    )
    .execute(&mut *tx)
    .await?;
    progress.done("lost_report", done.rows_affected(), began);
    put_back(tx, restore, progress).await
}
