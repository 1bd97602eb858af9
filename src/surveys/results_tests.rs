use serde_json::json;

use super::*;

fn row(college: &str, answers: Value) -> ResponseRow {
    ResponseRow {
        answered_on: chrono::NaiveDate::default(),
        college: college.into(),
        grade: Some(2024),
        answers,
        author_no: None,
        author_name: None,
    }
}

#[test]
fn an_anonymous_group_under_five_is_hidden_and_left_out_of_the_choices() {
    let mut rows: Vec<ResponseRow> = (0..5).map(|_| row("法学院", json!({}))).collect();
    rows.extend((0..4).map(|_| row("医学院", json!({}))));
    let small = Filter { college: Some("医学院".into()), grade: None };
    assert!(filtered(&rows, &small, true).is_none());
    assert_eq!(filtered(&rows, &small, false).map(|r| r.len()), Some(4), "named mode shows every group");
    let big = Filter { college: Some("法学院".into()), grade: None };
    assert_eq!(filtered(&rows, &big, true).map(|r| r.len()), Some(5));
    let (colleges, _) = groups(&rows, true);
    assert_eq!(colleges, vec![("法学院".to_string(), 5)]);
}

#[test]
fn choices_are_counted_and_free_text_never_goes_public() {
    let single = Question {
        question_id: 1,
        kind: "single".into(),
        options: vec!["好".into(), "差".into()],
        ..Question::default()
    };
    let text = Question { question_id: 2, kind: "long_text".into(), ..Question::default() };
    let rows = [row("", json!({"1": 0, "2": "很好"})), row("", json!({"1": 0})), row("", json!({"1": 1}))];
    let refs: Vec<&ResponseRow> = rows.iter().collect();
    let qs = [single, text];
    let staff = tallies(&qs, &refs, false);
    let shown: Vec<String> = staff[0].chart.iter().flat_map(|c| c.bars.iter().map(|b| b.shown.clone())).collect();
    assert_eq!(shown, ["2", "1"]);
    assert_eq!(staff[1].texts, ["很好"]);
    let public = tallies(&qs, &refs, true);
    assert_eq!(public.len(), 1, "the free-text question is not on the public page");
}
