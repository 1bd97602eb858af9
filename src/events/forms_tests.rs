//! Tests of the event forms: a valid event, every bad field named, a witness's commitment.

use super::*;

fn valid() -> EventForm {
    EventForm {
        title: "第一届食堂开放日".into(),
        place: "西二食堂".into(),
        starts_at: "2030-05-20T11:00".into(),
        ends_at: "2030-05-20T13:00".into(),
        places: "20".into(),
        applications_open_at: "2030-05-01T08:00".into(),
        applications_close_at: "2030-05-10T20:00".into(),
        selection: "draw".into(),
        quota_rule: "one_per_college".into(),
        confirm_hours: "48".into(),
        grades: "2023级 2024".into(),
        ..EventForm::default()
    }
}

#[test]
fn a_valid_event_parses_and_the_reveal_deadline_defaults_to_a_day_after_the_close() {
    let v = match valid().parse() {
        Ok(v) => v,
        Err(e) => panic!("a valid event was refused: {:?}", e.fields().collect::<Vec<_>>()),
    };
    assert_eq!(v.grades, [2023, 2024]);
    assert_eq!(v.reveal_deadline - v.applications_close_at, Duration::days(1));
}

#[test]
fn each_bad_field_is_named() {
    let form = EventForm {
        places: "0".into(),
        applications_close_at: "2030-05-21T08:00".into(),
        questions: "1\n2\n3\n4\n5\n6".into(),
        quota_rule: "fixed".into(),
        ..valid()
    };
    let Err(errors) = form.parse() else { panic!("an event with four bad fields was accepted") };
    let fields: Vec<_> = errors.fields().collect();
    for f in ["places", "applications_close_at", "questions", "quotas"] {
        assert!(fields.contains(&f), "{f}: {fields:?}");
    }
}

#[test]
fn a_commitment_is_64_hex_digits() {
    assert!(CommitForm { commitment: "AB".repeat(32) }.parse().is_ok());
    assert!(CommitForm { commitment: "xy".repeat(32) }.parse().is_err());
}
