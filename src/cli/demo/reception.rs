//! The demo's reception days: one held, with minutes and commitments, and the next.

use super::queries as demo_queries;
use crate::app::AppState;

/// A reception day held two weeks ago, with its minutes and commitments, and the next one, time still 待定.
pub async fn seed_reception(state: &AppState) -> anyhow::Result<usize> {
    let any = demo_queries::any_reception_session(&state.db).await?;
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
        let id = demo_queries::insert_leaders_session(&mut tx, days, confirmed, topic).await?;
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
        let q = demo_queries::insert_agenda_question(&mut tx, past, student, question).await?;
        let m = demo_queries::insert_minute(&mut tx, (past, q), question, answered_by, answer).await?;
        demo_queries::insert_commitment(&mut tx, (past, m), commitment, office, due_days).await?;
    }
    demo_queries::set_minutes_updated(&mut tx, past).await?;
    demo_queries::insert_question(&mut tx, next, student, "图书馆考试周能否延长开放到24点？").await?;
    tx.commit().await?;
    Ok(2)
}
