//! The demo's recruitment: this term's 秋季招新, open for another week, with positions (干事)
//! in four departments (权益服务部's with its own questions), interview times, and applicants
//! from the events' pool at every stage — applied, booked, noted and scored, offered,
//! waiting, not offered, accepted (a member now), turned down, lapsed, withdrawn. The
//! demo student (张同学) has applied nowhere, so the browser journey may.

use chrono::{Duration, Utc};

use super::queries::surveys::{self as q, DemoApplication};
use crate::{
    app::AppState,
    departments::{
        queries::{fetch_department_id, fetch_user_id},
        roles,
    },
    recruitment::queries::{self as recruitment, NewPosition, NewRound, NewSlot},
    surveys::queries::{self as surveys, QuestionRow, SurveyRow},
    web::DeptRole,
};

async fn department(state: &AppState, slug: &str) -> anyhow::Result<i64> {
    fetch_department_id(&state.db, slug).await?.ok_or_else(|| anyhow::anyhow!("no {slug} department"))
}

/// The rights department's questions for its applicants (a named questionnaire).
async fn rights_questions(state: &AppState, rights: i64) -> anyhow::Result<i64> {
    let now = Utc::now();
    let row = SurveyRow {
        title: "权益服务部招新问题",
        intro: "",
        opens_at: now - Duration::days(3),
        closes_at: now + Duration::days(7),
        audience: "students",
        colleges: &[],
        grades: &[],
        audience_ref: None,
        identity: "named",
        with_codes: false,
    };
    let survey = surveys::insert_survey(&state.db, rights, &row).await?;
    let hours = ["2小时以内", "2–5小时", "5小时以上"].map(String::from);
    for (kind, prompt, options, required) in [
        ("single", "每周能为部门投入多少时间", &hours[..], true),
        ("long_text", "你遇到过哪些希望学生会帮忙解决的问题", &[][..], false),
    ] {
        let question = QuestionRow {
            section: "",
            kind,
            prompt,
            required,
            options,
            matrix_rows: &[],
            max_choices: None,
            scale_max: None,
            show_if_question: None,
            show_if_option: None,
        };
        surveys::insert_question(&state.db, survey, rights, &question).await?;
    }
    Ok(survey)
}

/// Stages of the demo's applicants (the events' pool, by index), per department slug.
const STAGES: &[(&str, usize, &str, &str)] = &[
    ("rights", 0, "applied", ""),
    ("rights", 1, "applied", ""),
    ("rights", 2, "offered", "面试表现很好，欢迎加入权益服务部！"),
    ("rights", 3, "waitlisted", "名额有限，你在候补名单第一位。"),
    ("rights", 4, "declined", "感谢报名，这次没有录取，欢迎下学期再来。"),
    ("rights", 5, "accepted", "欢迎加入！"),
    ("rights", 6, "withdrawn", ""),
    ("publicity", 7, "applied", ""),
    ("publicity", 8, "offered", "作品集很出色，欢迎加入宣传部。"),
    ("publicity", 9, "released", "欢迎加入！"),
    ("news", 10, "applied", ""),
    ("news", 11, "expired", "请在截止前答复。"),
    ("news", 12, "waitlisted", "你在候补名单上。"),
    ("life", 13, "applied", ""),
    ("life", 14, "applied", ""),
];

/// 1 when the round was made, 0 when there was one already.
pub async fn seed_recruitment(state: &AppState) -> anyhow::Result<usize> {
    if q::any_recruitment_round(&state.db).await? {
        return Ok(0);
    }
    let now = Utc::now();
    let presidium = fetch_user_id(&state.db, "2023000001").await?;
    let round = NewRound {
        title: "2026-2027学年秋季招新",
        opens_at: now - Duration::days(3),
        closes_at: now + Duration::days(7),
        answer_by: now + Duration::days(12),
        max_choices: 2,
        term_name: None,
    };
    let round_id = recruitment::insert_round(&state.db, &round, presidium.unwrap_or_default()).await?;
    let rights = department(state, "rights").await?;
    let questions = rights_questions(state, rights).await?;
    let mut positions = std::collections::HashMap::new();
    for (slug, title, places, description) in [
        ("rights", "权益干事", 4, "参与权益投诉的受理和跟进、食堂开放日和校领导接待日的组织。"),
        ("publicity", "宣传干事", 2, "海报设计、公众号推文和活动摄影。"),
        ("news", "采编干事", 3, "新闻网站和公众号的采编与运营。"),
        ("life", "卫生检查干事", 3, "宿舍卫生检查和寝室文化节。"),
    ] {
        let survey_id = (slug == "rights").then_some(questions);
        let position = NewPosition { round_id, title, description, places, survey_id };
        let department_id = department(state, slug).await?;
        let id = recruitment::insert_position(&state.db, department_id, &position).await?;
        positions.insert(slug, (id.ok_or_else(|| anyhow::anyhow!("position of {slug}"))?, department_id));
    }
    let mut slots = vec![];
    for (slug, days, place) in
        [("rights", 2, "学生活动中心201"), ("rights", 3, "学生活动中心201"), ("publicity", 2, "新闻中心")]
    {
        let slot = NewSlot { round_id, starts_at: now + Duration::days(days), minutes: 20, place, capacity: 6 };
        slots.push(recruitment::insert_slot(&state.db, positions[slug].1, &slot).await?);
    }
    seed_applications(state, &positions, slots[0]).await?;
    Ok(1)
}

async fn seed_applications(
    state: &AppState,
    positions: &std::collections::HashMap<&str, (i64, i64)>,
    rights_slot: Option<i64>,
) -> anyhow::Result<()> {
    let noter = fetch_user_id(&state.db, "2024010002").await?.unwrap_or_default();
    let mut tx = state.db.begin().await?;
    for (i, (slug, pool, status, message)) in STAGES.iter().enumerate() {
        let student_no = format!("{}88{:04}", 2022 + pool % 4, pool + 1);
        let Some(user_id) = fetch_user_id(&mut *tx, &student_no).await? else { continue };
        let booked = *slug == "rights" && *pool <= 2;
        let application = DemoApplication {
            position_id: positions[slug].0,
            user_id,
            preference: 1,
            statement: "我希望在学生会锻炼自己，也想为同学们做点实事。高中时做过班长和校刊编辑。",
            status,
            slot_id: if booked { rights_slot } else { None },
            message,
            days_ago: 3.0 - i as f64 * 0.15,
        };
        let id = q::insert_application(&mut tx, &application).await?;
        if booked && *pool > 0 {
            q::insert_note(&mut tx, id, noter, 7 + *pool as i32, "表达清楚，有学生工作经验，了解权益投诉的流程。")
                .await?;
        }
    }
    tx.commit().await?;
    // The accepted one is a member now, granted (and audited) like any other.
    roles::grant_dept_role(&state.db, None, "2023880006", "rights", DeptRole::Member)
        .await?
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(())
}
