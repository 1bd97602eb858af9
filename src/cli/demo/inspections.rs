//! The demo's dorm inspections (生活卫生部): 北区24栋 and 西区12栋, four floors of eight
//! rooms each with their residents (张同学 lives in 北区24栋 305), rubric version 1, the
//! last eight Wednesdays' rounds scored and published (a 拒查, a 违禁电器 veto), one appeal
//! decided in the residents' favour, the rankings and the term's 文明寝室 that follow, and this
//! week's round under way (five rooms scored, for the inspectors' pages).

use chrono::{Days, NaiveDate, Utc};

use super::queries::inspections::{self as q, NewResult, NewRoom};
use crate::{
    app::AppState,
    departments::queries::{fetch_department_id, fetch_user_id},
    inspections::{
        model::{wednesday_of, Boundaries, Term},
        rankings,
    },
};

const COLLEGES: &[&str] = &["计算机学院", "经济管理学院", "法学院", "外国语学院", "机械工程学院", "理学院"];

/// Rubric version 1: items, full marks, veto, preset reasons ("points reason").
const ITEMS: &[(&str, i32, bool, &[&str])] = &[
    ("门窗", 10, false, &["2 窗台积灰", "3 玻璃不洁"]),
    ("床铺", 20, false, &["3 被子未叠", "2 床上杂物多"]),
    ("桌面", 15, false, &["3 桌面杂乱", "2 书籍未摆放整齐"]),
    ("地面", 20, false, &["4 地面有垃圾", "3 鞋子摆放杂乱"]),
    ("阳台与卫生间", 20, false, &["5 卫生间有异味", "3 阳台堆放杂物"]),
    ("垃圾处理", 15, false, &["5 垃圾未倒", "3 垃圾桶无袋"]),
    ("违禁电器", 0, true, &["0 使用大功率电器"]),
    ("私拉电线", 0, true, &["0 私拉电线"]),
];

/// A room's steady habits (55–100) and this week's luck (−8…+7), from its place and the week.
fn score_of(room: usize, week: usize) -> i32 {
    let habit = 55 + ((room * 37 + 11) % 46) as i32;
    let luck = ((room * 13 + week * 29) % 16) as i32 - 8;
    (habit + luck).clamp(40, 100)
}

/// The preset reasons adding up to `lost` points, item by item (the last one trimmed to fit).
fn deductions_for(lost: i32, items: &[(i64, &[&str])]) -> Vec<(i64, i32, String)> {
    let mut out = vec![];
    let mut left = lost;
    for (item_id, reasons) in items.iter().cycle().take(12) {
        if left <= 0 {
            break;
        }
        if let Some((points, text)) = reasons.first().and_then(|r| crate::inspections::model::parse_reason(r)) {
            if points > 0 {
                let take = points.min(left);
                out.push((*item_id, take, text.to_string()));
                left -= take;
            }
        }
    }
    out
}

async fn user(state: &AppState, student_no: &str) -> anyhow::Result<i64> {
    fetch_user_id(&state.db, student_no).await?.ok_or_else(|| anyhow::anyhow!("no demo account {student_no}"))
}

/// Rounds created (0 when the demo's buildings are there already).
pub async fn seed_inspections(state: &AppState) -> anyhow::Result<usize> {
    if q::any_dorm_building(&state.db).await? {
        return Ok(0);
    }
    let life = fetch_department_id(&state.db, "life").await?.ok_or_else(|| anyhow::anyhow!("no life department"))?;
    let (head, member, girls_head) =
        (user(state, "2023020001").await?, user(state, "2025020002").await?, user(state, "2023030001").await?);
    let student = user(state, "2025990001").await?;
    let mut tx = state.db.begin().await?;
    let mut rooms: Vec<(i64, i64, String)> = vec![];
    let mut buildings = vec![];
    for (name, gender) in [("北区24栋", "m"), ("西区12栋", "f")] {
        let building_id = q::insert_building(&mut tx, name).await?;
        buildings.push(building_id);
        for floor in 2..=5 {
            for n in 1..=8 {
                let college = COLLEGES[(rooms.len() / 3) % COLLEGES.len()];
                let room = NewRoom { number: format!("{floor}{n:02}"), floor, walk_order: n, college, gender };
                let room_id = q::insert_room(&mut tx, building_id, &room).await?;
                for bed in 1..=4 {
                    q::insert_resident(&mut tx, &format!("20257{}{}{bed}", building_id % 10, room.number), room_id)
                        .await?;
                }
                rooms.push((building_id, room_id, room.number));
            }
        }
    }
    let room_of = |b: usize, number: &str| rooms.iter().find(|r| r.0 == buildings[b] && r.2 == number).map(|r| r.1);
    let home = room_of(0, "305").ok_or_else(|| anyhow::anyhow!("no room 305"))?;
    q::insert_resident(&mut tx, "2025990001", home).await?;
    // 杨同学 lives in 西区12栋 203, one of the rooms the browser journey scores this week.
    q::insert_resident(&mut tx, "2025990002", room_of(1, "203").unwrap_or(home)).await?;
    let rubric_id = q::insert_rubric(&mut tx, head).await?;
    let mut items = vec![];
    for (i, item) in ITEMS.iter().enumerate() {
        items.push((q::insert_item(&mut tx, rubric_id, i as i32 + 1, *item).await?, item.3));
    }
    let bounds = Boundaries { excellent_min: 90, good_min: 80, pass_min: 60 };
    let this_wednesday = wednesday_of(Utc::now().date_naive());
    let mut days: Vec<NaiveDate> = (1..=8).filter_map(|k| this_wednesday.checked_sub_days(Days::new(7 * k))).collect();
    days.reverse();
    let mut latest_home_result = None;
    for (week, held_on) in days.iter().enumerate() {
        let round_id = q::insert_round(&mut tx, life, (*held_on, true), rubric_id, head).await?;
        q::add_round_building(&mut tx, round_id, buildings[0], member).await?;
        q::add_round_building(&mut tx, round_id, buildings[1], girls_head).await?;
        for (i, (building_id, room_id, number)) in rooms.iter().enumerate() {
            let inspector = if *building_id == buildings[0] { member } else { girls_head };
            let refused = number == "508" && week == 2;
            let vetoed = number == "407" && week == 4;
            let score = score_of(i, week);
            let result = NewResult {
                outcome: if refused { "refused" } else { "scored" },
                score: (!refused).then_some(score),
                grade: Some(if refused { "fail" } else { bounds.grade(score, vetoed).key() }),
                vetoed,
                inspector,
            };
            let result_id = q::insert_result(&mut tx, round_id, *room_id, &result).await?;
            if !refused {
                for (item_id, points, reason) in deductions_for(100 - score, &items) {
                    q::insert_deduction(&mut tx, result_id, item_id, points, &reason).await?;
                }
            }
            if vetoed {
                q::insert_deduction(&mut tx, result_id, items[6].0, 0, "使用大功率电器（电热锅）").await?;
            }
            if *room_id == home {
                latest_home_result = Some((result_id, score, *held_on));
            }
        }
    }
    if let Some((result_id, score, held_on)) = latest_home_result {
        let new_score = (score + 6).min(100);
        let body = "检查时阳台杂物是隔壁寝室暂放的，当天下午已搬走，附照片为证。";
        let reason = "核实属实，阳台一项不扣分。";
        let term = Term::of(held_on).key();
        let grade = bounds.grade(new_score, false).key();
        q::insert_decided_appeal(&mut tx, result_id, (student, head), (body, reason, &term), (new_score, grade))
            .await?;
    }
    for held_on in &days {
        rankings::refresh(&mut tx, *held_on).await?;
    }
    // This week's round, under way: 吴浩然 has scored the first five rooms of 北区24栋.
    let draft = q::insert_round(&mut tx, life, (this_wednesday, false), rubric_id, head).await?;
    q::add_round_building(&mut tx, draft, buildings[0], member).await?;
    q::add_round_building(&mut tx, draft, buildings[1], girls_head).await?;
    for (i, (_, room_id, _)) in rooms.iter().take(5).enumerate() {
        let score = score_of(i, days.len());
        let result = NewResult {
            outcome: "scored",
            score: Some(score),
            grade: Some(bounds.grade(score, false).key()),
            vetoed: false,
            inspector: member,
        };
        q::insert_result(&mut tx, draft, *room_id, &result).await?;
    }
    tx.commit().await?;
    Ok(days.len())
}
