//! `seed-demo`: realistic demo content for the portal, drawn from the department
//! heads' own plans in shared/seeds. Safe to run twice: everything is keyed by
//! student number and inserted only when missing. The found items come with
//! pictures drawn here (`photos`), and the older ones are announced in a bulletin.

mod photos;

use crate::{accounts, app::AppState, departments::roles, web::DeptRole};

/// Every demo account has this password (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "demo-xuesheng-2026";

pub struct DemoAccount {
    pub student_no: &'static str,
    pub name: &'static str,
    pub college: &'static str,
    /// A department role, or a union role (`presidium`) when `dept` is `None`.
    pub dept: Option<&'static str>,
    pub role: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        student_no: "2023000001", name: "王思远", college: "经济管理学院", dept: None, role: "presidium"
    },
    DemoAccount {
        student_no: "2023010001", name: "李明哲", college: "法学院", dept: Some("rights"), role: "head"
    },
    DemoAccount {
        student_no: "2024010002",
        name: "陈雨桐",
        college: "外国语学院",
        dept: Some("rights"),
        role: "vice_head",
    },
    DemoAccount {
        student_no: "2025010003",
        name: "赵子涵",
        college: "计算机学院",
        dept: Some("rights"),
        role: "member",
    },
    DemoAccount {
        student_no: "2025010004",
        name: "刘佳怡",
        college: "土木工程学院",
        dept: Some("rights"),
        role: "member",
    },
    DemoAccount { student_no: "2023020001", name: "周晓婷", college: "理学院", dept: Some("life"), role: "head" },
    DemoAccount {
        student_no: "2025020002",
        name: "吴浩然",
        college: "机械工程学院",
        dept: Some("life"),
        role: "member",
    },
    DemoAccount {
        student_no: "2023030001", name: "郑欣怡", college: "文学院", dept: Some("girls"), role: "head"
    },
    DemoAccount {
        student_no: "2023040001",
        name: "孙博文",
        college: "信息工程学院",
        dept: Some("safety"),
        role: "head",
    },
    DemoAccount {
        student_no: "2023050001", name: "马俊杰", college: "建筑学院", dept: Some("infra"), role: "head"
    },
    DemoAccount {
        student_no: "2023060001",
        name: "黄诗涵",
        college: "新闻传播学院",
        dept: Some("publicity"),
        role: "head",
    },
    DemoAccount {
        student_no: "2023070001", name: "林子轩", college: "计算机学院", dept: Some("news"), role: "head"
    },
    DemoAccount {
        student_no: "2023080001",
        name: "何雅琪",
        college: "公共管理学院",
        dept: Some("office"),
        role: "head",
    },
    DemoAccount {
        student_no: "2025990001", name: "张同学", college: "计算机学院", dept: None, role: "student"
    },
    DemoAccount {
        student_no: "2025990002", name: "杨同学", college: "化学化工学院", dept: None, role: "student"
    },
];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let mut created = 0;
    for a in ACCOUNTS {
        let email = format!("{}@stu.example.edu.cn", a.student_no);
        if accounts::create_account(state, a.student_no, a.name, DEMO_PASSWORD, &email, a.college, false)
            .await?
            .is_some()
        {
            created += 1;
        }
        match (a.dept, a.role) {
            (Some(slug), role) => {
                let role = DeptRole::parse(role).ok_or_else(|| anyhow::anyhow!("bad demo role {role}"))?;
                roles::grant_dept_role(&state.db, None, a.student_no, slug, role)
                    .await?
                    .map_err(|e| anyhow::anyhow!(e))?;
            }
            (None, "presidium") => roles::grant_union_role(&state.db, None, a.student_no, "presidium")
                .await?
                .map_err(|e| anyhow::anyhow!(e))?,
            (None, _) => {}
        }
    }
    let complaints = seed_complaints(state).await?;
    let (items, bulletins) = seed_lost_found(state).await?;
    let sessions = seed_reception(state).await?;
    let plans = seed_plans(state).await?;
    println!(
        "demo content ready: {created} new accounts ({} in all), {complaints} new complaints, {items} new found items, {bulletins} new bulletins, {sessions} new reception days, {plans} new plans; every demo password is {DEMO_PASSWORD}",
        ACCOUNTS.len()
    );
    Ok(())
}

/// A demo complaint and the steps its handlers took.
struct DemoComplaint {
    reporter: &'static str,
    category: &'static str,
    title: &'static str,
    location: &'static str,
    description: &'static str,
    public: bool,
    anonymous: bool,
    /// (status, public text, school office) in order.
    steps: &'static [(&'static str, &'static str, Option<&'static str>)],
}

/// The cases the department heads' plans mention, in every state of the workflow.
const COMPLAINTS: &[DemoComplaint] = &[
    DemoComplaint {
        reporter: "2025990001",
        category: "dorm",
        title: "北区24栋宿舍发现白蚁",
        location: "北区24栋 3楼",
        description: "宿舍墙角和书桌腿出现白蚁，已经蛀坏了两张书桌，请尽快安排除虫。",
        public: true,
        anonymous: false,
        steps: &[
            ("accepted", "", None),
            ("forwarded", "已转交后勤处安排专业除虫。", Some("后勤处")),
            ("responded", "后勤处已于本周完成24栋整栋白蚁防治，并更换了损坏的书桌。", None),
            ("resolved", "", None),
        ],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "safety",
        title: "隧道栏杆松动致同学受伤",
        location: "西区通往北区的地下通道",
        description: "通道中段的栏杆松动，昨晚有同学扶栏杆时摔倒受伤。",
        public: true,
        anonymous: true,
        steps: &[("accepted", "", None), ("forwarded", "已转交保卫处与基建处现场查看。", Some("保卫处"))],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "teaching",
        title: "教学楼3号楼吊扇掉落",
        location: "教学楼3号楼 301",
        description: "上课时吊扇突然掉落，幸好没有砸到人，其他教室的吊扇也需要检查。",
        public: true,
        anonymous: false,
        steps: &[("accepted", "", None), ("responded", "已请基建处检查全部教室吊扇，松动的已加固。", None)],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "transport",
        title: "施工车辆压坏停放的自行车",
        location: "北区食堂旁自行车棚",
        description: "施工车辆倒车时压坏了车棚里的三辆自行车，施工方不承认。",
        public: true,
        anonymous: false,
        steps: &[("accepted", "", None)],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "library",
        title: "图书馆超期罚款计算有误",
        location: "图书馆总馆",
        description: "系统维护期间无法还书，却仍然按天计算了超期罚款。",
        public: false,
        anonymous: false,
        steps: &[],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "teaching",
        title: "教室桌椅损坏无人维修",
        location: "教学楼5号楼 2楼",
        description: "多间教室的桌椅损坏已经一个多月，报修后没有回音。",
        public: true,
        anonymous: false,
        steps: &[("rejected", "与编号更早的同类投诉重复，已合并处理，请关注那一条的进展。", None)],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "dorm",
        title: "57栋装修噪音影响休息",
        location: "北区57栋",
        description: "57栋装修每天早上七点开始施工，影响休息和复习。",
        public: true,
        anonymous: true,
        steps: &[],
    },
];

pub async fn seed_complaints(state: &AppState) -> anyhow::Result<usize> {
    use crate::complaints::queries::{self, NewEvent};
    let categories = queries::list_categories(&state.db).await?;
    let mut created = 0;
    for d in COMPLAINTS {
        let exists: bool =
            sqlx::query_scalar!(r#"select exists(select 1 from complaint where title = $1) as "e!""#, d.title)
                .fetch_one(&state.db)
                .await?;
        if exists {
            continue;
        }
        let category = categories
            .iter()
            .find(|c| c.slug == d.category)
            .ok_or_else(|| anyhow::anyhow!("no category {}", d.category))?;
        let reporter = crate::departments::queries::fetch_user_id(&state.db, d.reporter)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no reporter"))?;
        let values = crate::complaints::NewComplaintValues {
            category_id: category.category_id,
            department_id: category.department_id,
            title: d.title.to_string(),
            location: d.location.to_string(),
            description: d.description.to_string(),
            is_public: d.public,
            is_anonymous: d.anonymous,
        };
        let (id, _) = crate::complaints::file_complaint(state, reporter, &values, &[])
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut tx = state.db.begin().await?;
        let mut from = "submitted";
        for (to, body, office) in d.steps {
            let office_id = match office {
                Some(name) => {
                    sqlx::query_scalar!("select office_id from school_office where name_zh = $1", name)
                        .fetch_optional(&mut *tx)
                        .await?
                }
                None => None,
            };
            queries::update_status(&mut *tx, id, category.department_id, from, to, office_id).await?;
            let event = NewEvent {
                complaint_id: id,
                actor_id: None,
                department_id: Some(category.department_id),
                kind: "status",
                from_status: Some(from),
                to_status: Some(to),
                body,
                is_public: true,
            };
            queries::insert_event(&mut *tx, &event).await?;
            from = to;
        }
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}

/// (point, category, colour, description, where found, days ago, card number)
type DemoItem = (&'static str, &'static str, &'static str, &'static str, &'static str, i64, Option<&'static str>);

/// A morning's intake at the five points, a student's own card among it.
const FOUND_ITEMS: &[DemoItem] = &[
    ("北区图书馆", "other", "蓝色", "保温杯", "北区图书馆三楼自习室", 0, None),
    ("北区图书馆", "umbrella", "黑色", "长柄雨伞", "北区图书馆门口伞架", 1, None),
    ("西区第一教学楼", "electronics", "白色", "蓝牙耳机（充电盒）", "西区一教 204 教室", 0, None),
    ("西区第一食堂", "card", "", "", "西区第一食堂二楼", 0, Some("2025990002")),
    ("西区第一食堂", "wallet", "棕色", "皮质钱包，内有少量现金", "西区第一食堂一楼", 2, None),
    ("西区学生活动中心", "keys", "", "钥匙串（3把钥匙，挂小熊挂件）", "学生活动中心门口", 3, None),
    ("北区24栋", "books", "", "《高等数学》（下册）", "北区24栋楼下长椅", 4, None),
    ("北区24栋", "clothing", "灰色", "连帽卫衣", "北区篮球场", 5, None),
];

/// The demo's found items, each with a picture, and a bulletin announcing the older
/// ones (today's wait for the next): every lost-and-found page has something to show.
/// Items are added to a portal without any; the bulletin when none was published yet.
pub async fn seed_lost_found(state: &AppState) -> anyhow::Result<(usize, usize)> {
    let any: bool =
        sqlx::query_scalar!(r#"select exists(select 1 from found_item) as "e!""#).fetch_one(&state.db).await?;
    let officer = crate::departments::queries::fetch_user_id(&state.db, "2024010002")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo officer"))?;
    let rights: i64 =
        sqlx::query_scalar!("select department_id from department where slug = 'rights'").fetch_one(&state.db).await?;
    let (earlier, today): (Vec<&DemoItem>, Vec<&DemoItem>) = FOUND_ITEMS.iter().partition(|i| i.5 > 0);
    if !any {
        // A student's report first, so the cup registered after it is matched and announced.
        let student = crate::departments::queries::fetch_user_id(&state.db, "2025990001")
            .await?
            .ok_or_else(|| anyhow::anyhow!("no demo student"))?;
        let report = crate::lost_found::queries::NewReport {
            owner_id: student,
            category: "other",
            what: "丢了一个蓝色的保温杯",
            place: "图书馆附近",
            lost_on: crate::web::forms::today(),
            description: "杯盖上贴着一张小熊贴纸。",
            contact: "",
        };
        crate::lost_found::queries::insert_report(&state.db, &report).await?;
        register_items(state, rights, officer, &earlier).await?;
    }
    let published: bool =
        sqlx::query_scalar!(r#"select exists(select 1 from bulletin) as "e!""#).fetch_one(&state.db).await?;
    let bulletins = if published {
        0
    } else {
        crate::lost_found::bulletins::publish_next(&state.db, rights, officer, state.config.first_bulletin)
            .await?
            .map_or(0, |_| 1)
    };
    if !any {
        register_items(state, rights, officer, &today).await?;
    }
    Ok((if any { 0 } else { FOUND_ITEMS.len() }, bulletins))
}

/// Register items as the intake form does, each with its picture stored like an upload.
async fn register_items(state: &AppState, rights: i64, officer: i64, items: &[&DemoItem]) -> anyhow::Result<()> {
    use crate::uploads;
    let points = crate::lost_found::queries::list_points(&state.db, Some(rights)).await?;
    let today = crate::web::forms::today();
    for (point, category, colour, description, place, days_ago, card) in items.iter().copied() {
        let point = points.iter().find(|p| p.name_zh == *point).ok_or_else(|| anyhow::anyhow!("no point {point}"))?;
        let values = crate::lost_found::forms::ItemValues {
            point_id: point.point_id,
            category: category.to_string(),
            description: description.to_string(),
            colour: colour.to_string(),
            found_place: place.to_string(),
            found_on: today - chrono::Duration::days(*days_ago),
            card_student_no: card.map(str::to_string),
            card_name: String::new(),
        };
        let picture = photos::picture(category, colour)?;
        let processed = uploads::process_all(vec![picture.into()], 1)
            .await?
            .map_err(|key| anyhow::anyhow!("the demo picture was refused: {key}"))?;
        let data_dir = &state.config.data_dir;
        let stored = uploads::store_all(data_dir, &processed).await?;
        let result = crate::lost_found::register_item(state, rights, officer, &values, stored.first()).await;
        if result.is_err() {
            uploads::remove_all(data_dir, &stored).await;
        }
        result.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// A reception day held two weeks ago, with its minutes and commitments, and the next one, time still 待定.
pub async fn seed_reception(state: &AppState) -> anyhow::Result<usize> {
    let any: bool =
        sqlx::query_scalar!(r#"select exists(select 1 from reception_session) as "e!""#).fetch_one(&state.db).await?;
    if any {
        return Ok(0);
    }
    let student = crate::departments::queries::fetch_user_id(&state.db, "2025990001")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo student"))?;
    let mut tx = state.db.begin().await?;
    let mut ids = vec![];
    for (days, confirmed, topic) in
        [(-14, true, "宿舍白蚁防治、教学楼设施安全、食堂价格"), (10, false, "图书馆开放时间、校园交通与施工安全")]
    {
        let id = sqlx::query_scalar!(
            "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number)
             insert into reception_session (kind, number, department_id, starts_at, ends_at, time_confirmed, place, topic,
                                            open_seats, signup_opens_at, signup_closes_at)
             select 'leaders', n.last_number, d.department_id,
                    date_trunc('day', now()) + make_interval(days => $1) + interval '6 hours',
                    date_trunc('day', now()) + make_interval(days => $1) + interval '8 hours',
                    $2, '行政楼一楼报告厅', $3, 30,
                    now() - interval '30 days', date_trunc('day', now()) + make_interval(days => $1 - 1)
             from n, department d where d.slug = 'rights' returning session_id",
            days,
            confirmed,
            topic
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into reception_leader (session_id, position, name, title) values ($1, 0, '王建国', '副校长'), ($1, 1, '李明', '后勤处处长')",
            id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into reception_quota (session_id, college, seats) values ($1, '法学院', 3), ($1, '计算机学院', 3)",
            id
        )
        .execute(&mut *tx)
        .await?;
        ids.push(id);
    }
    let (past, next) = (ids[0], ids[1]);
    for (question, answered_by, answer, commitment, office, due_days) in [
        (
            "北区24栋白蚁反复出现，能否彻底治理？",
            "李明 后勤处处长",
            "本学期内完成北区宿舍全面白蚁防治。",
            "完成北区全部宿舍楼白蚁防治",
            "后勤处",
            30,
        ),
        (
            "教学楼3号楼吊扇掉落后，其他教室的吊扇检查了吗？",
            "王建国 副校长",
            "已安排基建处逐间检查。",
            "全校教室吊扇逐间检查加固",
            "基建处",
            -3,
        ),
    ] {
        let q = sqlx::query_scalar!(
            "insert into reception_question (session_id, author_id, body, on_agenda) values ($1, $2, $3, true) returning question_id",
            past,
            student,
            question
        )
        .fetch_one(&mut *tx)
        .await?;
        let m = sqlx::query_scalar!(
            "insert into reception_minute (session_id, question_id, asked_by, question, answered_by, answer)
             values ($1, $2, '张同学', $3, $4, $5) returning minute_id",
            past,
            q,
            question,
            answered_by,
            answer
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into commitment (minute_id, session_id, what, office_id, due_on)
             select $1, $2, $3, office_id, current_date + $5::int from school_office where name_zh = $4",
            m,
            past,
            commitment,
            office,
            due_days
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!("update reception_session set minutes_updated_at = now() where session_id = $1", past)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into reception_question (session_id, author_id, body) values ($1, $2, '图书馆考试周能否延长开放到24点？')",
        next,
        student
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(2)
}

/// The department heads' six plans (seeds/plans.txt, copied from shared/seeds), as structured plans.
const SEED_PLANS: &str = include_str!("../../seeds/plans.txt");

/// Which department and period each of the six seed plans belongs to.
const SEED_PLAN_HOMES: [(&str, &str); 6] = [
    ("rights", "2026–2027学年"),
    ("life", "2026–2027学年"),
    ("infra", "2026–2027学年"),
    ("rights", "2025–2026学年"),
    ("office", "2026–2027学年"),
    ("rights", "2024–2025学年"),
];

pub async fn seed_plans(state: &AppState) -> anyhow::Result<usize> {
    let any: bool = sqlx::query_scalar!(r#"select exists(select 1 from plan) as "e!""#).fetch_one(&state.db).await?;
    if any {
        return Ok(0);
    }
    let imported = crate::plans::model::import(SEED_PLANS);
    let mut created = 0;
    for (plan, (dept, period)) in imported.iter().zip(SEED_PLAN_HOMES) {
        let mut tx = state.db.begin().await?;
        let plan_id = sqlx::query_scalar!(
            "insert into plan (department_id, period, title, review_achievements, is_public, status)
             select department_id, $2, $3, $4, $5, case when $5 then 'approved' else 'draft' end
             from department where slug = $1 returning plan_id",
            dept,
            period,
            plan.title,
            plan.review,
            created == 0
        )
        .fetch_one(&mut *tx)
        .await?;
        for (i, (title, description)) in plan.goals.iter().enumerate() {
            sqlx::query!(
                "insert into plan_goal (plan_id, position, title, description) values ($1, $2, $3, $4)",
                plan_id,
                i as i32,
                title,
                description
            )
            .execute(&mut *tx)
            .await?;
        }
        crate::plans::queries::save_version(&mut tx, plan_id, None, "plan.version.created").await?;
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}
