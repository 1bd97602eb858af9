//! Matching found items with lost reports. A score out of 100 from the category,
//! the words both describe the thing with (Chinese pairs such as 保温/雨伞 included),
//! the place and the days between losing and finding. A colour both name and
//! disagree on counts against. Likely matches are stored (officers see them on
//! the item) and the report's owner is told once per match.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::queries;
use crate::{notifications::notify, search::word_tokens};

/// What one side says about the thing.
pub struct Described<'a> {
    pub category: &'a str,
    /// What it is, its colour, its description.
    pub text: &'a str,
    pub place: &'a str,
    pub day: NaiveDate,
}

/// Scores at or above this are shown to officers and told to the owner.
pub const LIKELY: i32 = 60;
/// Found up to a day "before" it was lost (dates misremembered) and up to 30 days after.
pub const DAYS_BEFORE: i64 = 1;
pub const DAYS_AFTER: i64 = 30;

fn colours(text: &str) -> Vec<char> {
    const COLOURS: &str = "红黑白蓝绿黄灰紫粉橙棕银金咖青";
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<char> =
        chars.windows(2).filter(|w| w[1] == '色' && COLOURS.contains(w[0])).map(|w| w[0]).collect();
    found.sort();
    found.dedup();
    found
}

/// The words that say what a thing is. Colours are compared on their own (below),
/// so "黑色" shared by a black cup and black earphones does not make them alike.
fn thing_words(text: &str) -> Vec<String> {
    word_tokens(text).into_iter().filter(|t| !t.contains('色')).collect()
}

/// The score of a found item against a lost report, 0–100.
pub fn score(found: &Described, lost: &Described) -> i32 {
    let days = (found.day - lost.day).num_days();
    if !(-DAYS_BEFORE..=DAYS_AFTER).contains(&days) {
        return 0;
    }
    let (a, b) = (thing_words(found.text), thing_words(lost.text));
    let shared = a.iter().filter(|t| b.contains(t)).count();
    if shared == 0 {
        return 0;
    }
    let overlap = shared as f64 / a.len().min(b.len()) as f64;
    let mut score = (50.0 * overlap).round() as i32;
    if found.category == lost.category {
        score += 30;
    }
    let (pa, pb) = (word_tokens(found.place), word_tokens(lost.place));
    if pa.iter().any(|t| pb.contains(t)) {
        score += 10;
    }
    score += if days <= 2 {
        15
    } else if days <= 7 {
        10
    } else {
        5
    };
    let mut score = score.min(100);
    let (ca, cb) = (colours(found.text), colours(lost.text));
    if !ca.is_empty() && !cb.is_empty() && !ca.iter().any(|c| cb.contains(c)) {
        // Both name a colour and they differ: a red umbrella is not the black one, however alike the rest.
        score -= 50;
    }
    score.max(0)
}

/// A found item's own words: colour first, then the description.
pub fn item_text(colour: &str, description: &str) -> String {
    format!("{colour} {description}")
}

/// A lost report's own words.
pub fn report_text(what: &str, description: &str) -> String {
    format!("{what} {description}")
}

/// A found card is its owner's whatever the words: match the owner's open card reports by student number.
pub async fn card_reports(tx: &mut PgConnection, item_id: i64, card_student_no: &str) -> sqlx::Result<usize> {
    Ok(queries::match_card_to_reports(tx, item_id, card_student_no).await? as usize)
}

/// A card report finds the held cards that carry the reporter's own student number.
pub async fn reporters_cards(tx: &mut PgConnection, report_id: i64) -> sqlx::Result<usize> {
    Ok(queries::match_report_to_cards(tx, report_id).await? as usize)
}

/// Score the open lost reports against a newly registered item; store and announce likely matches.
pub async fn for_new_item(tx: &mut PgConnection, item_id: i64, found: &Described<'_>) -> sqlx::Result<usize> {
    let any = crate::search::any_word_tsquery(found.text).unwrap_or_default();
    let days = (found.day - chrono::Duration::days(DAYS_AFTER), found.day + chrono::Duration::days(DAYS_BEFORE));
    let candidates = queries::list_candidate_reports(&mut *tx, days, found.category, &any).await?;
    let mut matched = 0;
    for r in candidates {
        let text = report_text(&r.what, &r.description);
        let lost = Described { category: &r.category, text: &text, place: &r.place, day: r.lost_on };
        let s = score(found, &lost);
        if s >= LIKELY && record(tx, item_id, r.report_id, s).await? {
            matched += 1;
            let link = format!("/lost-found/items/{item_id}");
            notify(&mut *tx, &[r.owner_id], None, "notify.lost.match", &r.what, &link).await?;
        }
    }
    Ok(matched)
}

/// Score the held items against a newly filed lost report; store likely matches (the
/// student sees them on their report at once). Returns how many.
pub async fn for_new_report(tx: &mut PgConnection, report_id: i64, lost: &Described<'_>) -> sqlx::Result<usize> {
    let any = crate::search::any_word_tsquery(lost.text).unwrap_or_default();
    let days = (lost.day - chrono::Duration::days(DAYS_BEFORE), lost.day + chrono::Duration::days(DAYS_AFTER));
    let candidates = queries::list_candidate_items(&mut *tx, days, lost.category, &any).await?;
    let mut matched = 0;
    for i in candidates {
        let text = item_text(&i.colour, &i.description);
        let found = Described { category: &i.category, text: &text, place: &i.found_place, day: i.found_on };
        let s = score(&found, lost);
        if s >= LIKELY && record(tx, i.item_id, report_id, s).await? {
            matched += 1;
        }
    }
    Ok(matched)
}

/// Store a match; false when it was known already.
async fn record(tx: &mut PgConnection, item_id: i64, report_id: i64, score: i32) -> sqlx::Result<bool> {
    queries::insert_match(tx, item_id, report_id, score).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().expect("date")
    }

    fn found<'a>(category: &'a str, text: &'a str, place: &'a str, d: &str) -> Described<'a> {
        Described { category, text, place, day: day(d) }
    }

    #[test]
    fn the_issues_examples_match() {
        let cup = item_text("蓝色", "保温杯");
        let s = score(
            &found("other", &cup, "北区图书馆", "2026-11-20"),
            &found("other", "丢了一个蓝色的保温杯", "图书馆附近", "2026-11-20"),
        );
        assert!(s >= LIKELY, "保温杯 scored {s}");
        let s = score(
            &found("umbrella", "黑色雨伞", "西区一教", "2026-11-20"),
            &found("umbrella", "雨伞 黑色 长柄", "", "2026-11-19"),
        );
        assert!(s >= LIKELY, "雨伞 scored {s}");
    }

    #[test]
    fn different_things_colours_and_times_do_not_match() {
        let umbrella = found("umbrella", "黑色雨伞", "北区图书馆", "2026-11-20");
        let cases = [
            ("umbrella", "红色雨伞", "北区图书馆", "2026-11-20", "another colour"),
            ("other", "蓝色保温杯", "北区图书馆", "2026-11-20", "another thing"),
            ("umbrella", "黑色雨伞", "北区图书馆", "2026-09-01", "lost long before"),
            ("umbrella", "黑色雨伞", "北区图书馆", "2026-11-25", "lost after it was found"),
            ("electronics", "白色耳机", "北区图书馆", "2026-11-20", "no shared word"),
        ];
        for (category, text, place, d, why) in cases {
            let s = score(&umbrella, &found(category, text, place, d));
            assert!(s < LIKELY, "{why}: scored {s}");
        }
    }

    #[test]
    fn a_shared_colour_alone_is_no_match() {
        let s = score(
            &found("other", "黑色 水杯", "西区", "2026-11-20"),
            &found("other", "黑色耳机盒", "西区", "2026-11-20"),
        );
        assert!(s < LIKELY, "scored {s}");
    }

    #[test]
    fn colours_are_read_from_colour_words_only() {
        assert_eq!(colours("黑色雨伞，银行卡"), ['黑']);
        assert_eq!(colours("蓝色的保温杯 白色盖子"), ['白', '蓝']);
    }
}
