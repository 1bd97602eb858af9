//! The demo's found items with their pictures, a lost report, and a bulletin.

use super::{photos, queries as demo_queries};
use crate::app::AppState;

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
    let any = demo_queries::any_found_item(&state.db).await?;
    let officer = crate::departments::queries::fetch_user_id(&state.db, "2024010002")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo officer"))?;
    let rights = crate::departments::queries::fetch_department_id(&state.db, "rights")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no rights department"))?;
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
        report_found_things(state, student).await?;
    }
    let published = demo_queries::any_bulletin(&state.db).await?;
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
        let storage = &state.config.storage;
        let stored = uploads::store_all(storage, &processed).await?;
        let result = crate::lost_found::register_item(state, rights, officer, &values, stored.first()).await;
        if result.is_err() {
            uploads::remove_all(storage, &stored).await;
        }
        result.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// Two things the demo student found and reported, waiting for the desk: one handed in at the
/// first point, one kept by the finder.
async fn report_found_things(state: &AppState, student: i64) -> anyhow::Result<()> {
    let points = crate::lost_found::queries::list_points(&state.db, None).await?;
    let first = points.iter().find(|p| !p.archived).map(|p| p.point_id);
    for (category, description, place, point, contact) in [
        ("electronics", "白色无线耳机充电盒", "西区第一教学楼 302 教室", first, ""),
        ("books", "《高等数学》上册，扉页写着“机械 2301”", "东区操场看台", None, "微信 demo-finder"),
    ] {
        let offer = crate::lost_found::queries::NewOffer {
            reporter_id: student,
            category,
            description,
            colour: "",
            found_place: place,
            found_on: crate::web::forms::today(),
            point_id: point,
            keeper_contact: contact,
            photo: None,
        };
        crate::lost_found::queries::insert_offer(&state.db, &offer).await?;
    }
    Ok(())
}
