//! The demo's events: the first 食堂开放日 at 西二食堂 (about a hundred applications from
//! every college for twenty places, one per college first, drawn in public with two
//! witnesses and a lottery number, a waiting list); the second one taking applications;
//! and a first-come visit of the 寝室文化节.

use chrono::{Duration, Utc};

use super::{queries as demo_queries, DEMO_PASSWORD};
use crate::{
    accounts::queries as accounts,
    app::AppState,
    departments::queries::{fetch_department_id, fetch_user_id},
    events::{model::new_check_code, places, queries as events, queries::EventRow},
};

const COLLEGES: &[(&str, usize)] = &[
    ("计算机学院", 14),
    ("经济管理学院", 12),
    ("法学院", 10),
    ("外国语学院", 9),
    ("土木工程学院", 9),
    ("机械工程学院", 8),
    ("理学院", 8),
    ("文学院", 7),
    ("信息工程学院", 7),
    ("新闻传播学院", 5),
    ("建筑学院", 4),
    ("公共管理学院", 4),
    ("化学化工学院", 2),
];
/// The demo's applicants beyond its own accounts (the student 张同学 applies too).
pub fn applicant_count() -> usize {
    COLLEGES.iter().map(|(_, n)| n).sum()
}

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN: &[&str] =
    &["子涵", "欣怡", "浩宇", "雨萱", "梓轩", "诗琪", "俊熙", "思彤", "宇航", "佳琪", "明轩", "雅婷"];

/// `days` from today at `hour` o'clock, Shanghai time.
fn day(days: i64, hour: u32) -> chrono::DateTime<Utc> {
    let now = Utc::now();
    let date = (now + Duration::days(days)).with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    crate::reception::forms::local_time(&format!("{date}T{hour:02}:00")).unwrap_or(now)
}

async fn id_of(state: &AppState, student_no: &str) -> anyhow::Result<i64> {
    fetch_user_id(&state.db, student_no).await?.ok_or_else(|| anyhow::anyhow!("no demo account {student_no}"))
}

/// The applicants: verified accounts (the demo vouches for them), one password hash for all.
async fn applicants(state: &AppState) -> anyhow::Result<Vec<(i64, &'static str)>> {
    let hash = state.hasher.hash(DEMO_PASSWORD.to_string()).await?;
    let mut out = vec![];
    let mut i = 0;
    for (college, n) in COLLEGES {
        for _ in 0..*n {
            let no = format!("{}88{:04}", 2022 + i % 4, i + 1);
            let name = format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i * 7) % GIVEN.len()]);
            let email = format!("{no}@stu.example.edu.cn");
            let id = match accounts::insert_user(&state.db, &no, &name, college, &email, &hash, false).await? {
                Some(id) => id,
                None => id_of(state, &no).await?,
            };
            accounts::mark_verified(&state.db, id, "cli").await?;
            out.push((id, *college));
            i += 1;
        }
    }
    Ok(out)
}

pub async fn seed_events(state: &AppState) -> anyhow::Result<usize> {
    if demo_queries::any_event(&state.db).await? {
        return Ok(0);
    }
    let rights =
        fetch_department_id(&state.db, "rights").await?.ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    let life = fetch_department_id(&state.db, "life").await?.ok_or_else(|| anyhow::anyhow!("no life department"))?;
    let head = id_of(state, "2023010001").await?;
    let witnesses = [
        (id_of(state, "2024010002").await?, "权益服务部副部长 陈雨桐"),
        (id_of(state, "2025990002").await?, "学生代表 杨同学"),
    ];
    let student = id_of(state, "2025990001").await?;
    let mut pool = applicants(state).await?;
    pool.insert(37, (student, "计算机学院"));
    let now = Utc::now();
    let questions = vec!["你最想了解食堂的哪个环节？".to_string()];
    let first = EventRow {
        title: "第一届食堂开放日",
        description: "走进**西二食堂**后厨：食材进货、加工流程、卫生检查，与食堂经理面对面交流。\n\n名额 20 个，先保证每个有报名的学院至少一人，报名截止后公开抽签。",
        place: "西二食堂",
        starts_at: day(5, 10),
        ends_at: day(5, 12),
        places: 20,
        applications_open_at: now - Duration::days(12),
        applications_close_at: now - Duration::days(2),
        colleges: &[],
        grades: &[],
        questions: &questions,
        selection: "draw",
        quota_rule: "one_per_college",
        public_value_source: "福彩3D 开奖号码（报名截止次日）",
        reveal_deadline: now - Duration::days(1),
        confirm_hours: 72,
    };
    let mut tx = state.db.begin().await?;
    let drawn_id = events::insert_event(&mut tx, &first, rights, head).await?;
    for ((user, label), secret) in witnesses.iter().zip(["西二食堂-第一届-陈", "开放日见证-杨-7419"]) {
        events::insert_witness(&mut tx, drawn_id, *user, label).await?;
        demo_queries::set_witness_secret(&mut tx, drawn_id, *user, secret, (-5.0, Some(-1.5))).await?;
    }
    for (i, (user, college)) in pool.iter().enumerate() {
        let days_ago = 12.0 - 10.0 * (i as f64) / (pool.len() as f64);
        demo_queries::insert_past_application(
            &mut tx,
            drawn_id,
            (*user, college),
            i as i32 + 1,
            days_ago,
            &new_check_code(),
        )
        .await?;
    }
    tx.commit().await?;
    places::freeze(&state.db, drawn_id).await?;
    places::run_draw(&state.db, drawn_id, Some("517"), (head, rights)).await?;
    seed_open_events(state, (rights, life), head, &witnesses, &pool).await?;
    Ok(3)
}

/// The second open day, taking applications (one witness committed so far), and the
/// 寝室文化节's first-come visit.
async fn seed_open_events(
    state: &AppState,
    (rights, life): (i64, i64),
    head: i64,
    witnesses: &[(i64, &str); 2],
    pool: &[(i64, &'static str)],
) -> anyhow::Result<()> {
    let now = Utc::now();
    let questions = vec!["对东一食堂有什么建议？".to_string()];
    let second = EventRow {
        title: "第二届食堂开放日",
        description: "这次走进**东一食堂**。名额按各学院报名人数比例分配（最大余额法），报名截止后公开抽签。",
        place: "东一食堂",
        starts_at: day(14, 10),
        ends_at: day(14, 12),
        places: 20,
        applications_open_at: now - Duration::days(1),
        applications_close_at: now + Duration::days(6),
        colleges: &[],
        grades: &[],
        questions: &questions,
        selection: "draw",
        quota_rule: "proportional",
        public_value_source: "",
        reveal_deadline: now + Duration::days(7),
        confirm_hours: 48,
    };
    let visit = EventRow {
        title: "寝室文化节 · 文明寝室开放参观",
        description: "参观本学期评出的文明寝室，先到先得，额满候补。",
        place: "北区24栋",
        starts_at: day(7, 14),
        ends_at: day(7, 16),
        places: 30,
        applications_open_at: now - Duration::days(1),
        applications_close_at: now + Duration::days(4),
        colleges: &[],
        grades: &[],
        questions: &[],
        selection: "first_come",
        quota_rule: "none",
        public_value_source: "",
        reveal_deadline: now + Duration::days(5),
        confirm_hours: 48,
    };
    let mut tx = state.db.begin().await?;
    let open_id = events::insert_event(&mut tx, &second, rights, head).await?;
    let visit_id = events::insert_event(&mut tx, &visit, life, head).await?;
    for (user, label) in witnesses {
        events::insert_witness(&mut tx, open_id, *user, label).await?;
    }
    demo_queries::set_witness_secret(&mut tx, open_id, witnesses[0].0, "东一-第二届-陈", (-0.5, None)).await?;
    tx.commit().await?;
    for (user, college) in pool.iter().skip(50).take(12) {
        let answers = ["希望增加夜宵窗口".to_string()];
        let applicant = places::Applicant { user_id: *user, college, answers: &answers };
        places::apply(&state.db, open_id, &applicant, now).await?;
        let visitor = places::Applicant { user_id: *user, college, answers: &[] };
        places::apply(&state.db, visit_id, &visitor, now).await?;
    }
    Ok(())
}
