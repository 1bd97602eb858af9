//! The demo's questionnaires (权益服务部): the 毕业晚会问卷, closed with 260 answers and its
//! results published; a 食堂 satisfaction survey for the attendees of the first 食堂开放日
//! (its feedback form, linked from the event's page); and an anonymous survey on the dorms'
//! hot water open to every verified student, which the demo student has not answered.

use chrono::{Duration, Utc};

use super::queries::surveys as q;
use crate::{
    app::AppState,
    departments::queries::fetch_department_id,
    surveys::queries::{self as surveys, QuestionRow, SurveyRow},
};

fn options(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn question<'a>(kind: &'a str, prompt: &'a str, options: &'a [String]) -> QuestionRow<'a> {
    QuestionRow {
        section: "",
        kind,
        prompt,
        required: kind != "long_text",
        options,
        matrix_rows: &[],
        max_choices: (kind == "multiple").then_some(2),
        scale_max: (kind == "scale").then_some(5),
        show_if_question: None,
        show_if_option: None,
    }
}

fn survey<'a>(title: &'a str, intro: &'a str, days: (i64, i64), audience: (&'a str, Option<i64>)) -> SurveyRow<'a> {
    let now = Utc::now();
    SurveyRow {
        title,
        intro,
        opens_at: now + Duration::days(days.0),
        closes_at: now + Duration::days(days.1),
        audience: audience.0,
        colleges: &[],
        grades: &[],
        audience_ref: audience.1,
        identity: if audience.0 == "everyone" { "open" } else { "anonymous_once" },
        with_codes: false,
    }
}

/// How many questionnaires were made (none when there are some already).
pub async fn seed_surveys(state: &AppState) -> anyhow::Result<usize> {
    if q::any_survey(&state.db).await? {
        return Ok(0);
    }
    let rights =
        fetch_department_id(&state.db, "rights").await?.ok_or_else(|| anyhow::anyhow!("no rights department"))?;
    let mut tx = state.db.begin().await?;
    let intro = "今年的毕业晚会由权益服务部和宣传部共同筹备，想听听大家的想法。匿名填写，约两分钟。";
    let party =
        surveys::insert_survey(&mut *tx, rights, &survey("毕业晚会问卷", intro, (-20, -2), ("everyone", None))).await?;
    let kinds = options(&["歌舞", "小品相声", "乐队演出", "诗朗诵"]);
    let wishes = options(&["毕业生走红毯", "师生合影", "抽奖", "回顾视频", "校友寄语"]);
    let mut ids = [0i64; 4];
    let rows = [
        question("single", "你最想看的节目类型", &kinds),
        question("multiple", "你最希望有的环节（最多选两项）", &wishes),
        question("scale", "你对去年毕业晚会的满意度", &[]),
        question("long_text", "还有什么建议？", &[]),
    ];
    for (i, row) in rows.iter().enumerate() {
        ids[i] = surveys::insert_question(&mut *tx, party, rights, row).await?.unwrap_or_default();
    }
    q::insert_party_answers(&mut tx, party, &ids, 260).await?;
    q::update_published(&mut *tx, party).await?;

    let canteen_intro = "参加过第一届食堂开放日的同学，请告诉我们这次活动和西二食堂给你的印象。";
    let event = q::fetch_event_id(&mut *tx, "第一届食堂开放日").await?;
    let audience = ("event_attendees", event);
    let canteen =
        surveys::insert_survey(&mut *tx, rights, &survey("食堂满意度调查", canteen_intro, (-1, 20), audience)).await?;
    let yes_no = options(&["愿意", "不愿意"]);
    for row in [
        question("scale", "你对西二食堂的卫生状况满意吗", &[]),
        question("single", "你愿意推荐同学参加下一届开放日吗", &yes_no),
        question("long_text", "对食堂的建议", &[]),
    ] {
        surveys::insert_question(&mut *tx, canteen, rights, &row).await?;
    }

    let water_intro = "权益服务部调研各宿舍楼的热水供应，结果将带到下一次校领导接待日。匿名填写，每人一次。";
    let water = surveys::insert_survey(
        &mut *tx,
        rights,
        &survey("宿舍热水供应调研", water_intro, (-1, 14), ("students", None)),
    )
    .await?;
    let times = options(&["早上", "中午", "晚上", "深夜"]);
    for row in [
        question("single", "热水最不稳定的时段", &times),
        question("scale", "你对宿舍热水供应的满意度", &[]),
        question("long_text", "遇到过的问题", &[]),
    ] {
        surveys::insert_question(&mut *tx, water, rights, &row).await?;
    }
    tx.commit().await?;
    Ok(3)
}
