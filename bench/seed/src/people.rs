//! The benchmark's accounts: the students (one password hash, hashed once, shared
//! by all) and the staff — the rights department's head, vice head and members, a
//! head for every other department, a presidium member.

use serde_json::json;
use sqlx::PgConnection;

use super::{words, BENCH_PASSWORD};
use union_portal::{accounts, app::AppState, audit, departments::roles};

/// (department slug, or `presidium` for the union role; role; name)
const STAFF: &[(&str, &str, &str)] = &[
    ("presidium", "presidium", "王思源"),
    ("rights", "head", "李明轩"),
    ("rights", "vice_head", "陈雨萱"),
    ("rights", "member", "赵子豪"),
    ("rights", "member", "刘佳琪"),
    ("rights", "member", "周晓雯"),
    ("rights", "member", "吴天翔"),
    ("rights", "member", "孙心怡"),
    ("rights", "member", "马家乐"),
    ("life", "head", "郑欣然"),
    ("girls", "head", "林思彤"),
    ("safety", "head", "黄宏伟"),
    ("infra", "head", "何建华"),
    ("publicity", "head", "罗诗涵"),
    ("news", "head", "梁子墨"),
    ("office", "head", "宋雅琪"),
];

/// Staff numbers: twelve digits from 202190000001, apart from the students' (2022…2025 + eight digits).
fn staff_no(i: usize) -> String {
    format!("2021{:08}", 90_000_001 + i)
}

pub struct People {
    /// Student user ids, in student-number order; generated rows pick from them by index.
    pub students: Vec<i64>,
    /// The rights department's officers: they register found items and publish bulletins.
    pub officers: Vec<i64>,
    /// Student numbers of a rights member and of the rights head.
    pub handler: String,
    pub head: String,
}

pub async fn create(tx: &mut PgConnection, state: &AppState, counts: &super::Counts) -> anyhow::Result<People> {
    if let Some(key) = accounts::password::weakness(BENCH_PASSWORD, &[]) {
        anyhow::bail!("the bench password is too weak: {key}");
    }
    let hash = state.hasher.hash(BENCH_PASSWORD.to_string()).await?;
    let surnames: Vec<String> = words::SURNAMES.iter().map(|s| s.to_string()).collect();
    let given: Vec<String> = words::GIVEN_NAMES.iter().map(|s| s.to_string()).collect();
    let colleges: Vec<String> = words::COLLEGES.iter().map(|s| s.to_string()).collect();
    // Student g: entry year 2022–2025 and g in eight digits. Already there (an earlier run) is fine.
    sqlx::query!(
        "insert into app_user (student_no, name, college, email, password_hash, created_at, password_changed_at,
                               verified_by, verified_at)
         select s.no, ($2::text[])[1 + s.g % cardinality($2::text[])]
                       || ($3::text[])[1 + (s.g / cardinality($2::text[]) + s.g * 7) % cardinality($3::text[])],
                ($4::text[])[1 + (s.g * 13) % cardinality($4::text[])], s.no || '@stu.example.edu.cn', $5, s.at, s.at,
                'cli', s.at
         from (select g, (2022 + g % 4)::text || lpad(g::text, 8, '0') as no, now() - random() * interval '1095 days' as at
               from generate_series(1, $1::int8) g offset 0) s
         on conflict (student_no) do nothing",
        counts.students,
        &surnames,
        &given,
        &colleges,
        hash
    )
    .execute(&mut *tx)
    .await?;
    let students = sqlx::query_scalar!(
        "select u.user_id from generate_series(1, $1::int8) g
         join app_user u on u.student_no = (2022 + g % 4)::text || lpad(g::text, 8, '0')
         order by g",
        counts.students
    )
    .fetch_all(&mut *tx)
    .await?;
    anyhow::ensure!(students.len() as i64 == counts.students, "not every bench student could be created");

    let term_id = roles::ensure_current_term(&mut *tx).await?;
    let (mut officers, mut handler, mut head) = (vec![], None, None);
    for (i, (slug, role, name)) in STAFF.iter().enumerate() {
        let no = staff_no(i);
        let email = format!("{no}@stu.example.edu.cn");
        let college = words::COLLEGES[i % words::COLLEGES.len()];
        accounts::queries::insert_user(&mut *tx, &no, name, college, &email, &hash, false).await?;
        let user_id = union_portal::departments::queries::fetch_user_id(&mut *tx, &no)
            .await?
            .ok_or_else(|| anyhow::anyhow!("staff account {no} missing"))?;
        // The benchmark's staff hold roles: their numbers are vouched for, as a CLI-made account's.
        accounts::queries::mark_verified(&mut *tx, user_id, "cli").await?;
        if *slug == "presidium" {
            if let Some(id) =
                union_portal::departments::queries::insert_union_role(&mut *tx, user_id, role, Some(term_id)).await?
            {
                let after = json!({ "user_id": user_id, "role": role });
                audit::record(
                    &mut *tx,
                    None,
                    None,
                    audit::Action::UnionRoleGrant,
                    "union_role",
                    &id.to_string(),
                    None,
                    Some(after),
                )
                .await?;
            }
            continue;
        }
        // A department an administrator archived gets no staff.
        let Some(department_id) = union_portal::departments::queries::fetch_department_id(&mut *tx, slug).await? else {
            continue;
        };
        let membership_id =
            union_portal::departments::queries::upsert_membership(&mut *tx, user_id, department_id, term_id, role)
                .await?;
        let after = json!({ "user_id": user_id, "role": role });
        audit::record(
            &mut *tx,
            None,
            Some(department_id),
            audit::Action::MembershipGrant,
            "membership",
            &membership_id.to_string(),
            None,
            Some(after),
        )
        .await?;
        if *slug == "rights" {
            officers.push(user_id);
            match *role {
                "head" => head = Some(no),
                "member" if handler.is_none() => handler = Some(no),
                _ => {}
            }
        }
    }
    let (Some(handler), Some(head)) = (handler, head) else {
        anyhow::bail!("the rights department is archived: the benchmark needs it");
    };
    Ok(People { students, officers, handler, head })
}
