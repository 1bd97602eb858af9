//! The department heads' own plans (seeds/plans.txt).

use super::queries as demo_queries;
use crate::app::AppState;

/// The department heads' six plans (seeds/plans.txt, copied from shared/seeds), as structured plans.
const SEED_PLANS: &str = include_str!("../../../seeds/plans.txt");

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
    let any = demo_queries::any_plan(&state.db).await?;
    if any {
        return Ok(0);
    }
    let imported = crate::plans::text::import(SEED_PLANS);
    let mut created = 0;
    for (plan, (dept, period)) in imported.iter().zip(SEED_PLAN_HOMES) {
        let mut tx = state.db.begin().await?;
        let plan_id =
            demo_queries::insert_seed_plan(&mut tx, (dept, period), &plan.title, &plan.review, created == 0).await?;
        for (i, (title, description)) in plan.goals.iter().enumerate() {
            crate::plans::queries::insert_goal_at(&mut tx, plan_id, i as i32, title, description).await?;
        }
        crate::plans::queries::save_version(&mut tx, plan_id, None, "plan.version.created").await?;
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}
