use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

const B: Boundaries = Boundaries { excellent_min: 90, good_min: 80, pass_min: 60 };

#[test]
fn grades_follow_the_boundaries_and_a_veto_fails_outright() {
    assert_eq!(B.grade(100, false), Grade::Excellent);
    assert_eq!(B.grade(90, false), Grade::Excellent);
    assert_eq!(B.grade(89, false), Grade::Good);
    assert_eq!(B.grade(80, false), Grade::Good);
    assert_eq!(B.grade(79, false), Grade::Pass);
    assert_eq!(B.grade(60, false), Grade::Pass);
    assert_eq!(B.grade(59, false), Grade::Fail);
    assert_eq!(B.grade(100, true), Grade::Fail);
}

#[test]
fn an_item_loses_at_most_its_maximum_and_unknown_items_are_refused() {
    let items = [
        ItemRule { item_id: 1, max_points: 10, veto: false },
        ItemRule { item_id: 2, max_points: 20, veto: false },
        ItemRule { item_id: 3, max_points: 0, veto: true },
    ];
    let d = |item_id, points| Deduction { item_id, points };
    assert_eq!(tally(&items, &[]), Some((30, false)));
    assert_eq!(tally(&items, &[d(1, 6), d(1, 8), d(2, 3)]), Some((17, false)));
    assert_eq!(tally(&items, &[d(3, 0)]), Some((30, true)));
    assert_eq!(tally(&items, &[d(9, 1)]), None);
}

#[test]
fn preset_reasons_read_their_points() {
    assert_eq!(parse_reason("2 床铺未整理"), Some((2, "床铺未整理")));
    assert_eq!(parse_reason(" 10  地面有垃圾 "), Some((10, "地面有垃圾")));
    assert_eq!(parse_reason("床铺未整理"), None);
    assert_eq!(parse_reason("200 太多"), None);
    assert_eq!(parse_reason("3 "), None);
}

#[test]
fn terms_run_august_to_january_and_february_to_july() {
    assert_eq!(Term::of(day(2026, 9, 1)).key(), "2026-autumn");
    assert_eq!(Term::of(day(2027, 1, 20)).key(), "2026-autumn");
    assert_eq!(Term::of(day(2027, 3, 1)).key(), "2027-spring");
    assert_eq!(Term::from_key("2026-autumn").map(|t| t.days()), Some((day(2026, 8, 1), day(2027, 1, 31))));
    assert_eq!(Term::from_key("2027-spring").map(|t| t.days()), Some((day(2027, 2, 1), day(2027, 7, 31))));
    assert_eq!(Term::from_key("2027-summer"), None);
    assert_eq!(Term::from_key("x-autumn"), None);
}

#[test]
fn periods_are_monday_to_sunday_whole_months_and_terms() {
    // 2026-12-02 is a Wednesday.
    assert_eq!(Period::Week.days(day(2026, 12, 2)), (day(2026, 11, 30), day(2026, 12, 6)));
    assert_eq!(Period::Week.days(day(2026, 12, 6)), (day(2026, 11, 30), day(2026, 12, 6)));
    assert_eq!(Period::Month.days(day(2027, 2, 14)), (day(2027, 2, 1), day(2027, 2, 28)));
    assert_eq!(Period::Term.days(day(2026, 12, 2)), (day(2026, 8, 1), day(2027, 1, 31)));
    assert_eq!(wednesday_of(day(2026, 12, 6)), day(2026, 12, 2));
}

#[test]
fn a_fail_stands_until_three_excellent_in_a_row_follow_it() {
    use Grade::*;
    assert!(!fail_standing(&[Excellent, Good]));
    assert!(fail_standing(&[Excellent, Fail, Excellent, Excellent]));
    assert!(fail_standing(&[Fail, Excellent, Good, Excellent, Excellent]));
    assert!(!fail_standing(&[Fail, Excellent, Excellent, Excellent]));
    assert!(civilised(&[Fail, Excellent, Excellent, Excellent]));
    assert!(!civilised(&[Excellent, Excellent]));
    assert!(!civilised(&[Excellent, Good, Good, Good]));
    assert!(civilised(&[Excellent, Good, Excellent, Good]));
}
