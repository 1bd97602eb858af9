use super::*;

fn items() -> Vec<Item> {
    vec![
        Item {
            item_id: 1,
            position: 1,
            name: "床铺".into(),
            max_points: 20,
            veto: false,
            reasons: vec!["2 床铺未整理".into(), "5 被子未叠".into()],
        },
        Item { item_id: 2, position: 2, name: "违禁电器".into(), max_points: 0, veto: true, reasons: vec![] },
        Item { item_id: 3, position: 3, name: "地面".into(), max_points: 80, veto: false, reasons: vec![] },
    ]
}

const B: Boundaries = Boundaries { excellent_min: 90, good_min: 80, pass_min: 60 };

fn sheet(fields: &[(&str, &str)]) -> Result<Sheet, SheetErrors> {
    let fields = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    ScoreForm::read(fields, &items()).parse(&items(), B)
}

/// A sheet that must be accepted (the test fails, naming it, when it is not).
fn valid(fields: &[(&str, &str)]) -> Sheet {
    match sheet(fields) {
        Ok(s) => s,
        Err(_) => panic!("a valid sheet was refused: {fields:?}"),
    }
}

#[test]
fn ticked_reasons_and_an_own_deduction_make_the_score_and_grade() {
    let s = valid(&[
        ("outcome", "scored"),
        ("revision", "0"),
        ("preset_1", "0"),
        ("preset_1", "1"),
        ("points_3", "5"),
        ("reason_3", "地面有垃圾"),
    ]);
    assert_eq!(s.findings.len(), 3);
    assert_eq!((s.score, s.grade, s.vetoed), (Some(88), Some(Grade::Good), false));
}

#[test]
fn a_veto_finding_fails_the_room_whatever_its_points() {
    let s = valid(&[("outcome", "scored"), ("revision", "2"), ("points_2", "0"), ("reason_2", "热得快")]);
    assert_eq!((s.score, s.grade, s.vetoed, s.revision), (Some(100), Some(Grade::Fail), true, 2));
}

#[test]
fn refused_fails_without_a_score_and_absent_has_no_grade() {
    let refused = valid(&[("outcome", "refused"), ("revision", "0"), ("preset_1", "0")]);
    assert_eq!((refused.score, refused.grade, refused.findings.len()), (None, Some(Grade::Fail), 0));
    let absent = valid(&[("outcome", "absent"), ("revision", "0")]);
    assert_eq!((absent.score, absent.grade), (None, None));
}

#[test]
fn bad_lines_are_reported_beside_their_items() {
    let e = sheet(&[
        ("outcome", "scored"),
        ("revision", "0"),
        ("points_1", "21"),
        ("reason_1", "太乱"),
        ("points_3", "3"),
        ("reason_2", "插线板"),
    ])
    .expect_err("invalid");
    assert_eq!(e.item(1), Some("inspections.scoring.error.points_range"));
    assert_eq!(e.item(2), Some("inspections.scoring.error.points_missing"));
    assert_eq!(e.item(3), Some("inspections.scoring.error.reason_missing"));
}

#[test]
fn an_item_outside_the_rubric_or_an_unknown_outcome_is_refused() {
    let e = sheet(&[("outcome", "scored"), ("revision", "0"), ("points_99", "1"), ("reason_99", "x")])
        .expect_err("invalid");
    assert_eq!(e.form.get(FORM), Some("inspections.scoring.error.unknown_item"));
    let e = sheet(&[("outcome", "asleep"), ("revision", "0"), ("preset_1", "7")]).expect_err("invalid");
    assert_eq!(e.form.get("outcome"), Some("inspections.scoring.error.outcome"));
    assert_eq!(e.form.get(FORM), Some("inspections.scoring.error.unknown_item"));
}

#[test]
fn a_saved_result_ticks_its_presets_again() {
    let saved = [
        SavedDeduction { deduction_id: 1, item_id: 1, points: 5, reason: "被子未叠".into(), has_photo: false },
        SavedDeduction { deduction_id: 2, item_id: 3, points: 4, reason: "地面有水".into(), has_photo: true },
    ];
    let f = ScoreForm::from_saved("scored", "", 3, &saved, &items());
    assert_eq!(f.items[0].presets, vec![1]);
    assert_eq!((f.items[2].custom_points.as_str(), f.items[2].custom_reason.as_str()), ("4", "地面有水"));
    assert_eq!(f.revision, "3");
}
