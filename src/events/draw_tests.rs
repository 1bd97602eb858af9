//! Tests of the draw: fixed vectors computed independently with Python's hashlib, the
//! largest-remainder quotas by hand, and properties over random pools (docs/verify-draw.py
//! against real results is `draw_verify_tests.rs`).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

pub(super) const PHYSICS: &str = "物理学院";
const COMPUTING: &str = "计算机学院";
const CHEMISTRY: &str = "化学学院";
const PUBLIC_VALUE: &str = "福彩3D 2026350 期 517";

pub(super) fn entry(n: i32, college: &str) -> PoolEntry {
    PoolEntry { app_no: app_no(n), college: college.to_owned() }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// 8 applications over 3 colleges, given out of order, numbers on both sides of A999/A1000.
pub(super) fn example_entries() -> Vec<PoolEntry> {
    vec![
        entry(13, PHYSICS),
        entry(1, COMPUTING),
        entry(1000, COMPUTING),
        entry(5, CHEMISTRY),
        entry(2, COMPUTING),
        entry(999, PHYSICS),
        entry(3, COMPUTING),
        entry(8, PHYSICS),
    ]
}

fn revealed(witness: &str, secret: &str) -> Commitment {
    Commitment { witness: witness.to_owned(), commitment: sha256_hex(secret), secret: Some(secret.to_owned()) }
}

pub(super) fn example_draw(rule: QuotaRule, entries: &[PoolEntry]) -> Draw {
    run(DrawInput {
        event_id: 7,
        places: 3,
        quota_rule: rule,
        quotas: quotas(rule, &BTreeMap::new(), entries, 3),
        entries,
        commitments: vec![revealed("学生会主席", "alpha-7f3e"), revealed("校团委老师", "bravo-91c2")],
        public_value: Some(PUBLIC_VALUE.to_owned()),
    })
}

#[test]
fn app_numbers_round_trip_in_their_one_spelling() {
    assert_eq!(app_no(1), "A001");
    assert_eq!(app_no(999), "A999");
    assert_eq!(app_no(1000), "A1000");
    assert_eq!(app_number("A001"), Some(1));
    assert_eq!(app_number("A1000"), Some(1000));
    for bad in ["A01", "A0001", "B001", "A", "", "a001", "A+01", "A-01", "A１２３", "A99999999999"] {
        assert_eq!(app_number(bad), None, "{bad}");
    }
}

#[test]
fn quota_rule_names_round_trip() {
    for rule in [QuotaRule::None, QuotaRule::Fixed, QuotaRule::Proportional, QuotaRule::OnePerCollege] {
        assert_eq!(QuotaRule::parse(rule.as_str()), Some(rule));
    }
    assert_eq!(QuotaRule::parse("One_Per_College"), None);
}

#[test]
fn pool_file_sorts_by_number_not_text() {
    let pool = pool_file(&[entry(1000, "b"), entry(999, "a,b"), entry(2, "c")]);
    assert_eq!(pool, "A002,c\nA999,a,b\nA1000,b\n");
    assert_eq!(pool_file(&[]), "");
}

#[test]
fn beacon_leaves_out_a_witness_who_never_revealed() {
    let silent = Commitment { witness: "w2".into(), commitment: sha256_hex("never"), secret: None };
    let commitments = vec![revealed("w1", "s1"), silent, revealed("w3", "s3")];
    assert_eq!(beacon(&commitments, Some("517")), "s1|s3|517");
    assert_eq!(beacon(&commitments, None), "s1|s3");
    assert_eq!(beacon(&[], Some("517")), "517");
}

/// Expected values from Python's hashlib, computed apart from this code.
#[test]
fn fixed_vector_one_per_college() {
    let draw = example_draw(QuotaRule::OnePerCollege, &example_entries());
    assert_eq!(draw.algorithm, "sha256-rank-v1");
    assert_eq!(draw.pool, "A001,计算机学院\nA002,计算机学院\nA003,计算机学院\nA005,化学学院\nA008,物理学院\nA013,物理学院\nA999,物理学院\nA1000,计算机学院\n");
    assert_eq!(draw.pool_hash, "21a785a727d00753f2f7789c81cb12bda17045930837051e1b4a3babee7c25ad");
    assert_eq!(draw.commitments[0].commitment, "bd7df082dbe949df217e5d76433d0c1f2cdc3f455f3999698ef3ae543c64b05f");
    assert_eq!(draw.commitments[1].commitment, "af82d3688c8e436f0bf6d8ddbe684aeb04f4722ee842e23f30cc4667bbc90794");
    assert_eq!(draw.beacon, "alpha-7f3e|bravo-91c2|福彩3D 2026350 期 517");
    assert_eq!(draw.seed, "fd47f95c79d50011b4e574dbca9ae9988d3a1ba6e219e8e0cd5f8559f8d9577c");
    assert_eq!(draw.order[0].key, "084671eb6885bc9fb29ba37d67293b9d64f4e4717f1680f51f745b195cc8276a");
    assert_eq!(draw.order[1].key, "0bc2a82998dcf97d4dac703897271699267b2a852e47f7adc42c8f8efd30ea09");
    assert_eq!(draw.order[7].key, "e9fc80bccb212bf228452fdcf85e8111399f33679da0de0573c15b102e8123df");
    let order: Vec<&str> = draw.order.iter().map(|r| r.app_no.as_str()).collect();
    assert_eq!(order, ["A013", "A008", "A002", "A1000", "A005", "A999", "A001", "A003"]);
    let expected_quotas: BTreeMap<String, i32> =
        [(PHYSICS, 1), (COMPUTING, 1), (CHEMISTRY, 1)].map(|(c, q)| (c.to_owned(), q)).into();
    assert_eq!(draw.quotas, expected_quotas);
    // A008 is second in the order but physics already has its place: A002 and A005 go first.
    assert_eq!(draw.selected, strings(&["A013", "A002", "A005"]));
    assert_eq!(draw.waiting, strings(&["A008", "A1000", "A999", "A001", "A003"]));
}

#[test]
fn without_quotas_the_draw_is_the_order() {
    let draw = example_draw(QuotaRule::None, &example_entries());
    assert!(draw.quotas.is_empty());
    assert_eq!(draw.seed, "fd47f95c79d50011b4e574dbca9ae9988d3a1ba6e219e8e0cd5f8559f8d9577c");
    assert_eq!(draw.selected, strings(&["A013", "A008", "A002"]));
    assert_eq!(draw.waiting, strings(&["A1000", "A005", "A999", "A001", "A003"]));
}

fn pool_of(counts: &[(&str, i32)]) -> Vec<PoolEntry> {
    let mut n = 0;
    let mut entries = Vec::new();
    for (college, count) in counts {
        for _ in 0..*count {
            n += 1;
            entries.push(entry(n, college));
        }
    }
    entries
}

fn proportional_quotas(counts: &[(&str, i32)], places: i32) -> Vec<(String, i32)> {
    quotas(QuotaRule::Proportional, &BTreeMap::new(), &pool_of(counts), places).into_iter().collect()
}

fn expected(items: &[(&str, i32)]) -> Vec<(String, i32)> {
    items.iter().map(|(c, q)| ((*c).to_owned(), *q)).collect()
}

/// Worked by hand: places·n_c = quotient·N + remainder.
#[test]
fn proportional_is_largest_remainder_with_its_tie_breaks() {
    // N = 10, 5 places: 15 = 1·10+5, 15 = 1·10+5, 10 = 1·10+0, 10 = 1·10+0. One place left, A and B
    // tie on remainder 5 and on size 3: the name decides, A.
    let counts = [("A", 3), ("B", 3), ("C", 2), ("D", 2)];
    assert_eq!(proportional_quotas(&counts, 5), expected(&[("A", 2), ("B", 1), ("C", 1), ("D", 1)]));
    // N = 6, 2 places: big 8 = 1·6+2, each small 2 = 0·6+2. One left, all tie on remainder 2:
    // the larger college wins it although its name comes last.
    let counts = [("a-small", 1), ("b-small", 1), ("c-big", 4)];
    assert_eq!(proportional_quotas(&counts, 2), expected(&[("a-small", 0), ("b-small", 0), ("c-big", 2)]));
    // 3 places: big 12 = 2·6+0, small 3 = 0·6+3 each. One left, the smalls tie: by name.
    assert_eq!(proportional_quotas(&counts, 3), expected(&[("a-small", 1), ("b-small", 0), ("c-big", 2)]));
    // Places for everyone: each college's own count.
    assert_eq!(proportional_quotas(&counts, 6), expected(&[("a-small", 1), ("b-small", 1), ("c-big", 4)]));
    assert_eq!(proportional_quotas(&counts, 0), expected(&[("a-small", 0), ("b-small", 0), ("c-big", 0)]));
}

#[test]
fn fixed_quotas_are_kept_as_given() {
    let fixed: BTreeMap<String, i32> = [("Law".to_owned(), 2), ("absent".to_owned(), 1)].into();
    assert_eq!(quotas(QuotaRule::Fixed, &fixed, &pool_of(&[("Law", 1)]), 3), fixed);
}

const COLLEGES: [&str; 5] = [PHYSICS, COMPUTING, CHEMISTRY, "Law, Politics", "Art"];

/// A random draw: distinct numbers, colleges from COLLEGES (the last is never in the pool,
/// so quotas can name a college without applicants), quotas possibly negative or missing.
fn any_input() -> impl Strategy<Value = (Vec<PoolEntry>, i32, BTreeMap<String, i32>, i64)> {
    (
        prop::collection::btree_set(1..2000i32, 0..40),
        prop::collection::vec(0..4usize, 40),
        -2..30i32,
        prop::collection::btree_map(0..5usize, -1..6i32, 0..5),
        any::<i64>(),
    )
        .prop_map(|(numbers, colleges, places, quotas, event_id)| {
            let entries = numbers.into_iter().zip(colleges).map(|(n, c)| entry(n, COLLEGES[c])).collect();
            (entries, places, quotas.into_iter().map(|(c, q)| (COLLEGES[c].to_owned(), q)).collect(), event_id)
        })
}

fn draw_of(entries: &[PoolEntry], places: i32, quotas: BTreeMap<String, i32>, event_id: i64) -> Draw {
    run(DrawInput {
        event_id,
        places,
        quota_rule: QuotaRule::Fixed,
        quotas,
        entries,
        commitments: vec![revealed("w1", "s1")],
        public_value: Some(PUBLIC_VALUE.to_owned()),
    })
}

fn college_of(entries: &[PoolEntry]) -> BTreeMap<&str, &str> {
    entries.iter().map(|e| (e.app_no.as_str(), e.college.as_str())).collect()
}

proptest! {
    #[test]
    fn pass_one_keeps_within_quotas_and_honours_them((entries, places, quotas, event_id) in any_input()) {
        let draw = draw_of(&entries, places, quotas.clone(), event_id);
        let college = college_of(&entries);
        let colleges: Vec<&str> = draw.order.iter().map(|r| college[r.app_no.as_str()]).collect();
        let outcome = select(&colleges, &quotas, places);
        let quota = |c: &str| quotas.get(c).copied().unwrap_or(0).max(0);
        let reserved: i32 = quotas.values().map(|q| (*q).max(0)).sum();
        for c in COLLEGES {
            let pass_one = colleges.iter().zip(&outcome).filter(|(k, o)| **k == c && **o == Outcome::Quota).count();
            prop_assert!(pass_one as i64 <= i64::from(quota(c)));
            let applied = colleges.iter().filter(|k| **k == c).count();
            let got = draw.selected.iter().filter(|a| college[a.as_str()] == c).count();
            if reserved <= places {
                prop_assert!(got as i64 >= (applied as i64).min(i64::from(quota(c))), "{c}: {got} of {applied}");
            }
        }
    }

    #[test]
    fn places_are_filled_never_overfilled((entries, places, quotas, event_id) in any_input()) {
        let draw = draw_of(&entries, places, quotas, event_id);
        prop_assert_eq!(draw.selected.len() as i64, i64::from(places.max(0)).min(entries.len() as i64));
    }

    #[test]
    fn the_same_inputs_give_the_same_draw((entries, places, quotas, event_id) in any_input()) {
        let mut shuffled = entries.clone();
        shuffled.reverse();
        let draw = draw_of(&entries, places, quotas.clone(), event_id);
        prop_assert_eq!(&draw, &draw_of(&entries, places, quotas.clone(), event_id));
        // The caller's order of the entries does not matter either.
        prop_assert_eq!(&draw, &draw_of(&shuffled, places, quotas, event_id));
    }

    #[test]
    fn every_application_once_selected_or_waiting((entries, places, quotas, event_id) in any_input()) {
        let draw = draw_of(&entries, places, quotas, event_id);
        let pool: BTreeSet<&str> = entries.iter().map(|e| e.app_no.as_str()).collect();
        let drawn: Vec<&str> = draw.selected.iter().chain(&draw.waiting).map(String::as_str).collect();
        prop_assert_eq!(drawn.len(), pool.len());
        prop_assert_eq!(drawn.into_iter().collect::<BTreeSet<_>>(), pool.clone());
        prop_assert_eq!(draw.order.iter().map(|r| r.app_no.as_str()).collect::<BTreeSet<_>>(), pool);
        prop_assert!(draw.order.windows(2).all(|w| w[0].key < w[1].key));
    }

    #[test]
    fn any_change_to_the_pool_changes_its_hash(
        (entries, places, quotas, event_id) in any_input(), pick in any::<prop::sample::Index>(), extra in 2000..3000i32,
    ) {
        let hash = draw_of(&entries, places, quotas.clone(), event_id).pool_hash;
        let rehash = |e: &[PoolEntry]| draw_of(e, places, quotas.clone(), event_id).pool_hash;
        let mut added = entries.clone();
        added.push(entry(extra, PHYSICS));
        prop_assert_ne!(&hash, &rehash(&added));
        if !entries.is_empty() {
            let i = pick.index(entries.len());
            let mut moved = entries.clone();
            moved[i].college = if moved[i].college == "Art" { PHYSICS } else { "Art" }.to_owned();
            prop_assert_ne!(&hash, &rehash(&moved));
            let mut removed = entries.clone();
            removed.remove(i);
            prop_assert_ne!(&hash, &rehash(&removed));
        }
    }

    #[test]
    fn proportional_quotas_share_exactly_the_places((entries, places, _q, _e) in any_input()) {
        let shares = quotas(QuotaRule::Proportional, &BTreeMap::new(), &entries, places);
        let total: i32 = shares.values().sum();
        prop_assert_eq!(i64::from(total), i64::from(places.max(0)).min(entries.len() as i64));
        let college = college_of(&entries);
        for (c, q) in &shares {
            prop_assert!(*q >= 0 && i64::from(*q) <= college.values().filter(|k| **k == c).count() as i64);
        }
    }
}
