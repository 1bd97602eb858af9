//! The fair draw `sha256-rank-v1`: who gets an event's places when there are more
//! applicants than places, computed so that anyone can check it afterwards.
//!
//! 1. The pool is frozen as a text file, one line `"{app_no},{college}\n"` per application
//!    (pseudonymous numbers `A001`, `A002`, … sorted by number); `pool_hash` is its SHA-256.
//! 2. Witnesses commit to SHA-256 hashes of secrets before the draw and reveal them after the
//!    pool is frozen; the beacon is the revealed secrets joined by `|` in commitment order,
//!    followed by a public value named in advance (a lottery result) when there is one.
//! 3. `seed = sha256("{pool_hash}|{event_id}|{beacon}")`, each application's key is
//!    `sha256("{seed}|{app_no}")`, and the order is by key ascending.
//! 4. Walking the order, pass 1 takes applicants while their college's quota has room, pass 2
//!    fills the places left in the same order; the rest is the waiting list, in order.
//!
//! Nothing here touches the database or the clock: the same inputs always give the same
//! [`Draw`], which is published as `draw.json`. `docs/verify-draw.py` recomputes it with
//! Python's standard library alone, so nobody has to trust this code to trust a draw.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Written into every draw, so a later change of algorithm cannot be mistaken for this one.
pub const ALGORITHM: &str = "sha256-rank-v1";

/// One application as the pool shows it: no name, only its number and college.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PoolEntry {
    pub app_no: String,
    pub college: String,
}

/// The pseudonymous number: `A` and at least three digits (1 -> `A001`, 1000 -> `A1000`).
pub fn app_no(n: i32) -> String {
    format!("A{n:03}")
}

/// The number back from `A001`; only the exact form [`app_no`] writes is accepted, so two
/// spellings (`A01`, `A0001`) can never name one application.
pub fn app_number(app_no: &str) -> Option<i32> {
    let digits = app_no.strip_prefix('A')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = digits.parse().ok()?;
    (self::app_no(n) == app_no).then_some(n)
}

/// Lowercase hex SHA-256 of the text's UTF-8 bytes, the form every hash in a draw takes.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The sort key of a number: by its number (A999 before A1000), malformed ones last by text
/// (the portal never makes them; this only keeps the order total).
fn number_key(app_no: &str) -> (bool, i32, &str) {
    let n = app_number(app_no);
    (n.is_none(), n.unwrap_or(0), app_no)
}

/// The pool file whose hash is published when the pool is frozen: sorted here, so the
/// caller's order (say, by database row) cannot change the hash. A college may contain commas
/// (a line splits at its first one) but never a newline, which ends the line.
pub fn pool_file(entries: &[PoolEntry]) -> String {
    let mut sorted: Vec<&PoolEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| number_key(&a.app_no).cmp(&number_key(&b.app_no)));
    sorted.iter().map(|e| format!("{},{}\n", e.app_no, e.college)).collect()
}

/// How the per-college quotas are set when the pool is frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaRule {
    /// No quotas: the draw is the order itself.
    None,
    /// The organisers' own numbers per college.
    Fixed,
    /// Places shared by the colleges' applicant counts (largest remainder).
    Proportional,
    /// One reserved place for every college that applied.
    OnePerCollege,
}

impl QuotaRule {
    /// The name stored in the database and written into `draw.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaRule::None => "none",
            QuotaRule::Fixed => "fixed",
            QuotaRule::Proportional => "proportional",
            QuotaRule::OnePerCollege => "one_per_college",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [QuotaRule::None, QuotaRule::Fixed, QuotaRule::Proportional, QuotaRule::OnePerCollege]
            .into_iter()
            .find(|rule| rule.as_str() == s)
    }
}

/// Applicants per college.
fn college_counts(entries: &[PoolEntry]) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for e in entries {
        *counts.entry(e.college.clone()).or_insert(0) += 1;
    }
    counts
}

/// The quotas a rule gives for this pool; computed once at freeze time and published, so the
/// draw itself only reads them. `fixed` is the organisers' map for [`QuotaRule::Fixed`].
pub fn quotas(
    rule: QuotaRule,
    fixed: &BTreeMap<String, i32>,
    entries: &[PoolEntry],
    places: i32,
) -> BTreeMap<String, i32> {
    let counts = college_counts(entries);
    match rule {
        QuotaRule::None => BTreeMap::new(),
        QuotaRule::Fixed => fixed.clone(),
        QuotaRule::OnePerCollege => counts.into_keys().map(|c| (c, 1)).collect(),
        QuotaRule::Proportional => proportional(&counts, i64::from(places.max(0))),
    }
}

/// Largest remainder (Hamilton): whole shares first, then one place each by remainder, ties
/// by the larger college, then by name so the result never depends on chance. i64 because
/// places × applicants may pass i32.
fn proportional(counts: &BTreeMap<String, i64>, places: i64) -> BTreeMap<String, i32> {
    let total: i64 = counts.values().sum();
    let as_i32 = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    if places >= total {
        return counts.iter().map(|(c, &n)| (c.clone(), as_i32(n))).collect();
    }
    let mut shares: BTreeMap<String, i64> = counts.iter().map(|(c, &n)| (c.clone(), places * n / total)).collect();
    let left = places - shares.values().sum::<i64>();
    let mut by_remainder: Vec<(&String, i64, i64)> = counts.iter().map(|(c, &n)| (c, places * n % total, n)).collect();
    by_remainder.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    // The remainders sum to `left × total` and each is below `total`, so more than `left`
    // colleges have one: every leftover place finds a college.
    for (college, _, _) in by_remainder.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        if let Some(share) = shares.get_mut(college) {
            *share += 1;
        }
    }
    shares.into_iter().map(|(c, n)| (c, as_i32(n))).collect()
}

/// A witness's commitment, and the secret once revealed (`None` if never revealed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Commitment {
    pub witness: String,
    pub commitment: String,
    pub secret: Option<String>,
}

/// The revealed secrets in commitment order, then the public value, joined by `|`. A witness
/// who never revealed is left out (allowed only under the published fallback). With no secret
/// revealed the beacon is the public value alone, no leading `|`.
pub fn beacon(commitments: &[Commitment], public_value: Option<&str>) -> String {
    let parts: Vec<&str> = commitments.iter().filter_map(|c| c.secret.as_deref()).chain(public_value).collect();
    parts.join("|")
}

/// One application's place in the order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ranked {
    pub app_no: String,
    pub key: String,
}

/// The whole stored result; serialises to draw.json exactly (field order as listed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draw {
    pub algorithm: String,
    pub event_id: i64,
    pub places: i32,
    pub quota_rule: String,
    pub quotas: BTreeMap<String, i32>,
    pub pool_hash: String,
    pub pool: String,
    pub commitments: Vec<Commitment>,
    pub public_value: Option<String>,
    pub beacon: String,
    pub seed: String,
    pub order: Vec<Ranked>,
    pub selected: Vec<String>,
    pub waiting: Vec<String>,
}

/// What a draw is computed from; every field is published in the [`Draw`].
pub struct DrawInput<'a> {
    pub event_id: i64,
    pub places: i32,
    pub quota_rule: QuotaRule,
    /// Already computed by [`quotas`] when the pool was frozen.
    pub quotas: BTreeMap<String, i32>,
    pub entries: &'a [PoolEntry],
    pub commitments: Vec<Commitment>,
    pub public_value: Option<String>,
}

/// How an applicant came out of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Taken in pass 1, within the college's quota.
    Quota,
    /// Taken in pass 2, filling places the quotas left.
    Fill,
    Waiting,
}

/// The two passes over the order, given each applicant's college in draw order. A college
/// absent from the quotas (or with a negative one) reserves nothing.
fn select(colleges: &[&str], quotas: &BTreeMap<String, i32>, places: i32) -> Vec<Outcome> {
    let places = usize::try_from(places).unwrap_or(0);
    let mut outcome = vec![Outcome::Waiting; colleges.len()];
    let mut taken = 0;
    let mut per_college: BTreeMap<&str, i32> = BTreeMap::new();
    for (i, college) in colleges.iter().enumerate() {
        let used = per_college.entry(college).or_insert(0);
        if taken < places && *used < quotas.get(*college).copied().unwrap_or(0) {
            *used += 1;
            taken += 1;
            outcome[i] = Outcome::Quota;
        }
    }
    for slot in outcome.iter_mut() {
        if taken < places && *slot == Outcome::Waiting {
            taken += 1;
            *slot = Outcome::Fill;
        }
    }
    outcome
}

/// The draw itself. Pure: the caller checks the revealed secrets against the commitments and
/// stores the result.
pub fn run(input: DrawInput<'_>) -> Draw {
    let pool = pool_file(input.entries);
    let pool_hash = sha256_hex(&pool);
    let beacon = beacon(&input.commitments, input.public_value.as_deref());
    let seed = sha256_hex(&format!("{pool_hash}|{}|{beacon}", input.event_id));

    let mut ranked: Vec<(Ranked, &str)> = input
        .entries
        .iter()
        .map(|e| (Ranked { key: sha256_hex(&format!("{seed}|{}", e.app_no)), app_no: e.app_no.clone() }, &*e.college))
        .collect();
    // Equal keys would need a SHA-256 collision; the number still makes the order total.
    ranked.sort_by(|(a, _), (b, _)| a.key.cmp(&b.key).then_with(|| number_key(&a.app_no).cmp(&number_key(&b.app_no))));

    let colleges: Vec<&str> = ranked.iter().map(|(_, c)| *c).collect();
    let outcome = select(&colleges, &input.quotas, input.places);
    let order: Vec<Ranked> = ranked.into_iter().map(|(r, _)| r).collect();
    let pick = |wanted: bool| -> Vec<String> {
        order
            .iter()
            .zip(&outcome)
            .filter(|(_, o)| (**o != Outcome::Waiting) == wanted)
            .map(|(r, _)| r.app_no.clone())
            .collect()
    };
    let (selected, waiting) = (pick(true), pick(false));

    Draw {
        algorithm: ALGORITHM.to_owned(),
        event_id: input.event_id,
        places: input.places,
        quota_rule: input.quota_rule.as_str().to_owned(),
        quotas: input.quotas,
        pool_hash,
        pool,
        commitments: input.commitments,
        public_value: input.public_value,
        beacon,
        seed,
        order,
        selected,
        waiting,
    }
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "draw_verify_tests.rs"]
mod verify_tests;
