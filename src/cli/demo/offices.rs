//! The demo's school offices: liaison accounts for 后勤处 and 宿舍管理中心, and a term of
//! cases forwarded to them, answered by their liaisons in realistic times (most within
//! five working days, one late, one still waiting past its deadline), and two promises made on
//! those cases' pages: one by 后勤处 (its liaison answers for it), one by 权益服务部 itself.

use super::queries as demo_queries;
use crate::{
    app::AppState,
    complaints::queries::{self, NewEvent},
};

/// Staff numbers (工号) of the demo liaisons and the office each answers for.
pub const LIAISONS: &[(&str, &str, &str)] = &[("T20190001", "王建华", "后勤处"), ("T20190002", "刘芳", "宿舍管理中心")];

/// A case forwarded to an office: filed `days_ago`, forwarded a day later, answered after
/// `answer_after` days by the office's liaison (none: still waiting).
struct OfficeCase {
    office: &'static str,
    category: &'static str,
    title: &'static str,
    location: &'static str,
    days_ago: i32,
    answer_after: Option<i32>,
    answer: &'static str,
}

const CASES: &[OfficeCase] = &[
    OfficeCase {
        office: "后勤处",
        category: "canteen",
        title: "西二食堂晚餐窗口开放太少",
        location: "西二食堂",
        days_ago: 70,
        answer_after: Some(2),
        answer: "已增开两个晚餐窗口，高峰时段加派人手。",
    },
    OfficeCase {
        office: "后勤处",
        category: "logistics",
        title: "北区热水供应时间太短",
        location: "北区浴室",
        days_ago: 55,
        answer_after: Some(4),
        answer: "热水供应已延长到晚上十一点半。",
    },
    OfficeCase {
        office: "后勤处",
        category: "canteen",
        title: "食堂餐具清洗不干净",
        location: "东区一食堂",
        days_ago: 40,
        answer_after: Some(1),
        answer: "已约谈承包商，增加一台洗碗机并每日抽检。",
    },
    OfficeCase {
        office: "后勤处",
        category: "logistics",
        title: "快递点排队时间过长",
        location: "南门快递服务中心",
        days_ago: 30,
        answer_after: Some(9),
        answer: "已协调快递公司在晚间增设一个取件窗口。",
    },
    OfficeCase {
        office: "后勤处",
        category: "logistics",
        title: "教学区饮水机长期故障",
        location: "教学楼7号楼",
        days_ago: 20,
        answer_after: None,
        answer: "",
    },
    OfficeCase {
        office: "宿舍管理中心",
        category: "dorm",
        title: "宿舍门禁晚归登记太繁琐",
        location: "南区宿舍",
        days_ago: 50,
        answer_after: Some(3),
        answer: "晚归登记已改为刷卡自动记录。",
    },
    OfficeCase {
        office: "宿舍管理中心",
        category: "dorm",
        title: "宿舍楼道灯损坏多日",
        location: "北区18栋",
        days_ago: 12,
        answer_after: Some(2),
        answer: "楼道灯已全部更换为感应灯。",
    },
];

/// The liaisons, and their offices' cases (each only once).
pub async fn seed_offices(state: &AppState) -> anyhow::Result<usize> {
    for (number, name, office) in LIAISONS {
        let email = format!("{}@staff.example.edu.cn", number.to_lowercase());
        crate::accounts::create_account(state, number, name, super::DEMO_PASSWORD, &email, office, false).await?;
        let user = crate::departments::queries::fetch_user_id(&state.db, number).await?;
        let office_id = demo_queries::fetch_office_id(&state.db, office).await?;
        if let (Some(user), Some(office_id)) = (user, office_id) {
            crate::offices::queries::insert_liaison(&state.db, office_id, user, user).await?;
        }
    }
    // The figures are a term's: the demo's term began with the autumn semester.
    demo_queries::start_term_before(&state.db, 90).await?;
    let categories = queries::list_categories(&state.db).await?;
    let reporter = crate::departments::queries::fetch_user_id(&state.db, "2025990002").await?;
    let mut created = 0;
    for case in CASES {
        let (Some(reporter), Some(category)) = (reporter, categories.iter().find(|c| c.slug == case.category)) else {
            continue;
        };
        if demo_queries::complaint_titled(&state.db, case.title).await? {
            continue;
        }
        let values = crate::complaints::NewComplaintValues {
            category_id: category.category_id,
            department_id: category.department_id,
            title: case.title.to_string(),
            location: case.location.to_string(),
            description: format!("{}，希望学校尽快解决。", case.title),
            is_public: true,
            is_anonymous: false,
        };
        let (id, _) = crate::complaints::file_complaint(state, reporter, &values, &[])
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let office_id = demo_queries::fetch_office_id(&state.db, case.office).await?;
        let liaison = match LIAISONS.iter().find(|l| l.2 == case.office) {
            Some(l) => crate::departments::queries::fetch_user_id(&state.db, l.0).await?,
            None => None,
        };
        let mut tx = state.db.begin().await?;
        let dept = category.department_id;
        queries::update_status(&mut *tx, id, dept, "submitted", "accepted", None).await?;
        queries::update_status(&mut *tx, id, dept, "accepted", "forwarded", office_id).await?;
        let forwarded = NewEvent {
            department_id: Some(dept),
            from_status: Some("accepted"),
            to_status: Some("forwarded"),
            ..NewEvent::public(id, None, "status", "已转交学校相关部门处理。")
        };
        queries::insert_event(&mut *tx, &forwarded).await?;
        if case.answer_after.is_some() {
            let answer = NewEvent { office_id, ..NewEvent::public(id, liaison, "office_answer", case.answer) };
            queries::insert_event(&mut *tx, &answer).await?;
        }
        demo_queries::date_office_case(&mut tx, id, case.days_ago, case.answer_after).await?;
        promise(&mut tx, case.title, (id, dept, office_id), liaison).await?;
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}

/// The promises made on two cases' pages: (case title, what, by the office (else by the
/// department, its member 赵子涵 answering for it), due in days).
const PROMISES: &[(&str, &str, bool, i64)] = &[
    ("教学区饮水机长期故障", "两周内更换教学楼7号楼全部饮水机滤芯并恢复供水", true, 10),
    ("快递点排队时间过长", "权益服务部每周回访快递点晚间排队情况，连续一个月公布结果", false, 21),
];

async fn promise(
    tx: &mut sqlx::PgConnection,
    title: &str,
    (complaint_id, department_id, office_id): (i64, i64, Option<i64>),
    liaison: Option<i64>,
) -> anyhow::Result<()> {
    let Some((_, what, by_office, due_days)) = PROMISES.iter().find(|p| p.0 == title) else {
        return Ok(());
    };
    let (office_id, owner_id) = if *by_office {
        (office_id, liaison)
    } else {
        (None, crate::departments::queries::fetch_user_id(&mut *tx, "2025010003").await?)
    };
    let Some(actor) = crate::departments::queries::fetch_user_id(&mut *tx, "2023010001").await? else {
        return Ok(());
    };
    let c = crate::reception::queries::NewCommitment {
        minute: None,
        what,
        office_id,
        owner_id,
        due_on: crate::web::forms::today() + chrono::Duration::days(*due_days),
        complaint_id: Some(complaint_id),
        keeper_department_id: department_id,
    };
    let timeline = format!("{what}（{}）", c.due_on);
    crate::reception::commitments::make_commitment(tx, actor, &c, &timeline).await?;
    Ok(())
}
