use serde_json::json;

use super::*;

fn q(id: i64, kind: &str, options: &[&str]) -> Question {
    Question {
        question_id: id,
        position: id as i32,
        kind: kind.into(),
        prompt: format!("问题{id}"),
        options: options.iter().map(|s| s.to_string()).collect(),
        scale_max: (kind == "scale").then_some(5),
        ..Question::default()
    }
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn errors_of(r: Result<Map<String, Value>, AnswerErrors>) -> AnswerErrors {
    match r {
        Ok(a) => panic!("expected errors, got {a:?}"),
        Err(e) => e,
    }
}

#[test]
fn a_required_question_left_empty_is_refused_beside_it() {
    let mut first = q(1, "single", &["是", "否"]);
    first.required = true;
    let e = errors_of(parse(&[first], &fields(&[])));
    assert_eq!(e.get(&1), Some("surveys.answer.required"));
}

#[test]
fn a_hidden_question_is_not_required_and_its_answer_is_dropped() {
    let first = q(1, "single", &["去过", "没去过"]);
    let mut second = q(2, "short_text", &[]);
    second.required = true;
    second.show_if_question = Some(1);
    second.show_if_option = Some(0);
    let qs = [first, second];
    let answers = match parse(&qs, &fields(&[("q1", "1"), ("q2", "不该留下")])) {
        Ok(a) => a,
        Err(e) => panic!("hidden question refused: {e:?}"),
    };
    assert_eq!(answers.get("2"), None);
    let e = errors_of(parse(&qs, &fields(&[("q1", "0")])));
    assert_eq!(e.get(&2), Some("surveys.answer.required"), "shown, it is required");
}

#[test]
fn a_multiple_choice_keeps_to_its_maximum() {
    let mut m = q(1, "multiple", &["甲", "乙", "丙"]);
    m.max_choices = Some(2);
    let e = errors_of(parse(std::slice::from_ref(&m), &fields(&[("q1", "0"), ("q1", "1"), ("q1", "2")])));
    assert_eq!(e.get(&1), Some("surveys.answer.too_many"));
    match parse(&[m], &fields(&[("q1", "2"), ("q1", "0")])) {
        Ok(a) => assert_eq!(a.get("1"), Some(&json!([0, 2]))),
        Err(e) => panic!("two of three refused: {e:?}"),
    }
}

#[test]
fn scales_numbers_and_dates_are_checked_by_kind() {
    let qs = [q(1, "scale", &[]), q(2, "number", &[]), q(3, "date", &[])];
    let e = errors_of(parse(&qs, &fields(&[("q1", "6"), ("q2", "十"), ("q3", "2026-13-01")])));
    assert_eq!(
        (e.get(&1), e.get(&2), e.get(&3)),
        (Some("surveys.answer.invalid_choice"), Some("surveys.answer.not_a_number"), Some("surveys.answer.not_a_date"))
    );
}

#[test]
fn a_ranking_uses_every_rank_once() {
    let r = q(1, "ranking", &["甲", "乙", "丙"]);
    let e = errors_of(parse(std::slice::from_ref(&r), &fields(&[("q1_0", "1"), ("q1_1", "1"), ("q1_2", "2")])));
    assert_eq!(e.get(&1), Some("surveys.answer.ranking"));
    match parse(&[r], &fields(&[("q1_0", "3"), ("q1_1", "1"), ("q1_2", "2")])) {
        Ok(a) => assert_eq!(a.get("1"), Some(&json!([1, 2, 0])), "options in rank order"),
        Err(e) => panic!("a full ranking refused: {e:?}"),
    }
}

#[test]
fn a_matrix_is_answered_on_every_row_or_none() {
    let mut m = q(1, "matrix", &["差", "好"]);
    m.matrix_rows = vec!["饭菜".into(), "服务".into()];
    let e = errors_of(parse(std::slice::from_ref(&m), &fields(&[("q1_0", "1")])));
    assert_eq!(e.get(&1), Some("surveys.answer.matrix_incomplete"));
    match parse(&[m], &fields(&[("q1_0", "1"), ("q1_1", "0")])) {
        Ok(a) => assert_eq!(a.get("1"), Some(&json!([1, 0]))),
        Err(e) => panic!("a full matrix refused: {e:?}"),
    }
}
