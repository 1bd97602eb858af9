//! The words of the benchmark data: what students complain about, lose and ask,
//! and the department heads' own plans (shared/seeds), cut into phrases that
//! combine into realistic Chinese text. The phrases are in bench/seed/words/*.txt,
//! embedded at build time (a fresh clone needs nothing beside the repository) and read
//! once per run. Search documents are made by `union_portal::search`
//! from the same phrases, so the generated rows are found as typed ones are.

use std::sync::LazyLock;

use union_portal::search;

/// One complaint category: its slug, its share of complaints (percent), and
/// groups of places × problems that make titles ("北区24栋" + "宿舍发现白蚁").
pub struct Category {
    pub slug: &'static str,
    pub weight: usize,
    pub groups: Vec<Group>,
    /// School offices complaints of this category are forwarded to.
    pub offices: Vec<&'static str>,
}

pub struct Group {
    /// Each ends in a Chinese character, so it runs on into the problem.
    pub places: Vec<&'static str>,
    /// (title phrase, the description's first sentence)
    pub problems: Vec<(&'static str, &'static str)>,
}

type List = LazyLock<Vec<&'static str>>;
type Pairs = LazyLock<Vec<(&'static str, &'static str)>>;
/// (name, share in percent, phrases)
type Shares = LazyLock<Vec<(&'static str, usize, Vec<&'static str>)>>;

const COMPLAINTS: &str = include_str!("../words/complaints.txt");
const LOST_FOUND: &str = include_str!("../words/lost_found.txt");
const RECEPTION: &str = include_str!("../words/reception.txt");
const PLANS: &str = include_str!("../words/plans.txt");
const PEOPLE: &str = include_str!("../words/people.txt");

pub static CATEGORIES: LazyLock<Vec<Category>> = LazyLock::new(|| categories(COMPLAINTS));
/// What follows the place in a complaint's location ("北区24栋 3楼").
pub static LOCATION_DETAILS: List = LazyLock::new(|| list(COMPLAINTS, "location_details"));
/// The student's closing sentence of a description.
pub static FOLLOW_UPS: List = LazyLock::new(|| list(COMPLAINTS, "follow_ups"));
/// Why a complaint was rejected (the step's required public text).
pub static REJECTIONS: List = LazyLock::new(|| list(COMPLAINTS, "rejections"));
/// The answer with the step to 已答复.
pub static RESPONSES: List = LazyLock::new(|| list(COMPLAINTS, "responses"));
/// Public replies the handlers write on the way.
pub static PUBLIC_REPLIES: List = LazyLock::new(|| list(COMPLAINTS, "public_replies"));
/// Internal notes: the work plans' own words about following a case.
pub static INTERNAL_NOTES: List = LazyLock::new(|| list(COMPLAINTS, "internal_notes"));
/// What reporters add to their own complaints.
pub static REPORTER_REPLIES: List = LazyLock::new(|| list(COMPLAINTS, "reporter_replies"));

/// Lost-and-found categories with their share of found items (percent) and descriptions.
pub static ITEM_KINDS: Shares = LazyLock::new(|| shares(LOST_FOUND, "item_kinds"));
pub static COLOURS: List = LazyLock::new(|| list(LOST_FOUND, "colours"));
/// The five points (as the migration names them), their share of the intake, and where things are found nearby.
pub static POINTS: Shares = LazyLock::new(|| shares(LOST_FOUND, "points"));
pub static CLOSE_NOTES: Pairs = LazyLock::new(|| pairs(LOST_FOUND, "close_notes"));
/// What students say they lost, by category.
pub static LOST_WHAT: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    entries(LOST_FOUND, "lost_what").map(fields::<2>).map(|[kind, what]| (kind, items(what))).collect()
});
pub static LOST_PLACES: List = LazyLock::new(|| list(LOST_FOUND, "lost_places"));
pub static LOST_DESCRIPTIONS: List = LazyLock::new(|| list(LOST_FOUND, "lost_descriptions"));
pub static LOST_CONTACTS: List = LazyLock::new(|| list(LOST_FOUND, "lost_contacts"));

/// Reception days: what they are about and where.
pub static TOPICS: List = LazyLock::new(|| list(RECEPTION, "topics"));
pub static RECEPTION_PLACES: List = LazyLock::new(|| list(RECEPTION, "reception_places"));
/// (name, title) of the leaders who receive students.
pub static LEADERS: Pairs = LazyLock::new(|| pairs(RECEPTION, "leaders"));
/// (question, answer, commitment, office): what is asked on reception days and promised there.
pub static QUESTIONS: LazyLock<Vec<(&'static str, &'static str, &'static str, &'static str)>> =
    LazyLock::new(|| entries(RECEPTION, "questions").map(fields::<4>).map(|[q, a, c, o]| (q, a, c, o)).collect());
pub static COMMITMENT_UPDATES: List = LazyLock::new(|| list(RECEPTION, "commitment_updates"));

/// Department plans: headings and paragraphs of the heads' own plans (shared/seeds).
pub static GOALS: Pairs = LazyLock::new(|| pairs(PLANS, "goals"));
pub static ACTIONS: List = LazyLock::new(|| list(PLANS, "actions"));
pub static ACTION_NOTES: List = LazyLock::new(|| list(PLANS, "action_notes"));
pub static ACHIEVEMENTS: List = LazyLock::new(|| list(PLANS, "achievements"));
pub static SHORTCOMINGS: List = LazyLock::new(|| list(PLANS, "shortcomings"));

pub static SURNAMES: List = LazyLock::new(|| list(PEOPLE, "surnames"));
pub static GIVEN_NAMES: List = LazyLock::new(|| list(PEOPLE, "given_names"));
pub static COLLEGES: List = LazyLock::new(|| list(PEOPLE, "colleges"));

/// The entries of `[name]` in a words file (comments and blank lines skipped).
fn entries(file: &'static str, name: &str) -> impl Iterator<Item = &'static str> {
    let header = format!("[{name}]");
    file.lines()
        .skip_while(move |l| l.trim_end() != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// One entry's text: `""` is empty, `\n` a line break, a leading `\#` a `#`.
fn text(raw: &'static str) -> &'static str {
    let raw = raw.trim();
    if raw == "\"\"" {
        return "";
    }
    if !raw.contains('\\') {
        return raw;
    }
    // Read once per run into data that lives as long as the run: leaking it is the point.
    raw.strip_prefix('\\').unwrap_or(raw).replace("\\n", "\n").leak()
}

/// The `N` fields of an entry; missing ones are empty (the tests check every entry is whole).
fn fields<const N: usize>(entry: &'static str) -> [&'static str; N] {
    let mut parts = entry.split(" | ");
    std::array::from_fn(|_| parts.next().map_or("", text))
}

/// The items of a list field.
fn items(field: &'static str) -> Vec<&'static str> {
    field.split(" / ").map(text).collect()
}

fn list(file: &'static str, name: &str) -> Vec<&'static str> {
    entries(file, name).map(text).collect()
}

fn pairs(file: &'static str, name: &str) -> Vec<(&'static str, &'static str)> {
    entries(file, name).map(fields::<2>).map(|[a, b]| (a, b)).collect()
}

fn shares(file: &'static str, name: &str) -> Vec<(&'static str, usize, Vec<&'static str>)> {
    entries(file, name)
        .map(fields::<3>)
        .map(|[what, share, phrases]| (what, share.parse().unwrap_or(0), items(phrases)))
        .collect()
}

/// `[category SLUG WEIGHT]` sections: `offices:`, then groups, each a `places:` line and its `problem:` lines.
fn categories(file: &'static str) -> Vec<Category> {
    let mut out: Vec<Category> = vec![];
    for line in file.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        if let Some(head) = line.strip_prefix("[category ").and_then(|h| h.strip_suffix(']')) {
            let (slug, weight) = head.split_once(' ').unwrap_or((head, "0"));
            out.push(Category { slug, weight: weight.parse().unwrap_or(0), groups: vec![], offices: vec![] });
        } else if line.starts_with('[') {
            break;
        } else if let Some(category) = out.last_mut() {
            if let Some(offices) = line.strip_prefix("offices: ") {
                category.offices = items(offices);
            } else if let Some(places) = line.strip_prefix("places: ") {
                category.groups.push(Group { places: items(places), problems: vec![] });
            } else if let (Some(problem), Some(group)) = (line.strip_prefix("problem: "), category.groups.last_mut()) {
                let [title, sentence] = fields::<2>(problem);
                group.problems.push((title, sentence));
            }
        }
    }
    out
}

/// A searchable piece: its text and its `tsvector` text form (title pieces weighted `A`).
pub struct Piece {
    pub text: String,
    pub doc: String,
}

impl Piece {
    /// Text indexed unweighted (the rest of a document).
    pub fn plain(text: &str) -> Piece {
        Piece { text: text.to_string(), doc: search::tsvector("", text) }
    }
    /// Text indexed as a title (weight `A`).
    pub fn title(text: &str) -> Piece {
        Piece { text: text.to_string(), doc: search::tsvector(text, "") }
    }
}

/// Columns for `unnest`: texts and their documents.
pub fn columns(pieces: &[Piece]) -> (Vec<String>, Vec<String>) {
    pieces.iter().map(|p| (p.text.clone(), p.doc.clone())).unzip()
}

/// One card of the complaint deck: drawing a card uniformly gives each category its share.
pub struct ComplaintCard {
    pub slug: &'static str,
    pub title: String,
    pub place: String,
    pub body: String,
    /// The document of title (weighted), place and body; the row adds its location detail,
    /// its closing sentence and its tracking number.
    pub doc: String,
    pub offices: &'static [&'static str],
}

/// Cards in a deck of about `size`, every category by its weight, every problem equally often.
pub fn complaint_deck(size: usize) -> Vec<ComplaintCard> {
    let total: usize = CATEGORIES.iter().map(|c| c.weight).sum();
    let mut deck = vec![];
    for c in CATEGORIES.iter() {
        let combos: Vec<(&str, &(&str, &str))> = c
            .groups
            .iter()
            .flat_map(|g| {
                let n = g.problems.len();
                // Walk the problems in order, the places shifting, so every problem is dealt as often.
                (0..g.places.len() * n).map(move |i| (g.places[(i / n + i) % g.places.len()], &g.problems[i % n]))
            })
            .collect();
        let cards = size * c.weight / total;
        for i in 0..cards {
            let (place, (problem, body)) = combos[i % combos.len()];
            let title = format!("{place}{problem}");
            let doc = search::tsvector(&title, &format!("{place} {body}"));
            deck.push(ComplaintCard {
                slug: c.slug,
                title,
                place: place.to_string(),
                body: body.to_string(),
                doc,
                offices: &c.offices,
            });
        }
    }
    deck
}

/// A student's name, from a number.
pub fn person_name(k: usize) -> String {
    format!("{}{}", SURNAMES[k % SURNAMES.len()], GIVEN_NAMES[(k / SURNAMES.len() + k * 7) % GIVEN_NAMES.len()])
}

/// `(value, weight)` lists as a deck of 100 for picking by `1 + floor(random() * 100)`.
pub fn weighted<T: Clone>(items: &[(T, usize)]) -> Vec<T> {
    let total: usize = items.iter().map(|(_, w)| w).sum();
    let mut out = vec![];
    for (item, w) in items {
        out.extend(std::iter::repeat_n(item.clone(), (w * 100).div_ceil(total)));
    }
    out.truncate(100);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use union_portal::search::document_tokens;

    fn tokens(parts: &[&str]) -> BTreeSet<String> {
        parts.iter().flat_map(|p| document_tokens(p)).collect()
    }

    #[test]
    fn one_to_two_percent_of_complaints_are_about_termites() {
        let deck = complaint_deck(1000);
        let termites = deck.iter().filter(|c| c.title.contains("白蚁") || c.body.contains("白蚁")).count();
        let share = termites as f64 / deck.len() as f64;
        assert!((0.005..=0.02).contains(&share), "{termites} of {}", deck.len());
        assert!(FOLLOW_UPS.iter().chain(LOCATION_DETAILS.iter()).all(|s| !s.contains("白蚁")));
    }

    #[test]
    fn categories_are_dealt_by_weight_and_are_the_migrations_slugs() {
        let deck = complaint_deck(1000);
        assert!(deck.len() > 950);
        let dorm = deck.iter().filter(|c| c.slug == "dorm").count();
        assert!((230..=250).contains(&dorm), "{dorm}");
        let slugs: BTreeSet<&str> = CATEGORIES.iter().map(|c| c.slug).collect();
        let migration = include_str!("../../../migrations/0002_complaints.sql");
        for slug in slugs {
            assert!(migration.contains(&format!("('{slug}',")), "{slug}");
        }
    }

    /// The row's document is the union of its pieces' documents: exactly what the portal indexes.
    #[test]
    fn pieces_joined_at_punctuation_or_spaces_index_as_the_whole() {
        for c in complaint_deck(200) {
            assert!(c.place.chars().last().is_some_and(|ch| !ch.is_ascii()), "{}", c.place);
            assert!(c.body.ends_with('。') || c.body.ends_with('！') || c.body.ends_with('？'), "{}", c.body);
            let (detail, follow, no) = ("3楼", FOLLOW_UPS[0], "QY-2026-000123");
            let whole = format!("{} {detail} {}{follow} {no}", c.place, c.body);
            let title: BTreeSet<String> = document_tokens(&c.title).into_iter().collect();
            let rest = tokens(&[&c.place, detail, &c.body, follow, "qy", "2026", "000123"]);
            assert_eq!(document_tokens(&whole).into_iter().collect::<BTreeSet<_>>(), rest);
            assert!(document_tokens(&c.title).iter().all(|t| title.contains(t)));
        }
        for body in FOLLOW_UPS.iter().chain(REJECTIONS.iter()).chain(LOST_DESCRIPTIONS.iter().filter(|d| !d.is_empty()))
        {
            assert!(body.ends_with('。') || body.ends_with('！'), "{body}");
        }
    }

    #[test]
    fn umbrellas_are_found_by_the_word_people_search() {
        let (_, _, umbrellas) = ITEM_KINDS.iter().find(|(c, _, _)| *c == "umbrella").expect("umbrella");
        let query = union_portal::search::query_tokens("雨伞");
        assert!(umbrellas.iter().all(|u| query.iter().all(|t| document_tokens(u).contains(t))));
        let categories: Vec<&str> = ITEM_KINDS.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(categories, union_portal::lost_found::model::CATEGORIES);
    }

    #[test]
    fn weighted_decks_have_a_hundred_cards() {
        let deck = weighted(&ITEM_KINDS.iter().map(|(c, w, _)| (*c, *w)).collect::<Vec<_>>());
        assert_eq!(deck.len(), 100);
        assert_eq!(deck.iter().filter(|c| **c == "card").count(), 16);
        let points = weighted(&POINTS.iter().map(|(p, w, _)| (*p, *w)).collect::<Vec<_>>());
        assert_eq!(points.len(), 100);
    }

    /// The files are read leniently (a missing field is empty), so here every entry is checked whole.
    #[test]
    fn every_words_file_entry_is_whole() {
        let sections = [
            (LOST_FOUND, "item_kinds", 3),
            (LOST_FOUND, "points", 3),
            (LOST_FOUND, "close_notes", 2),
            (LOST_FOUND, "lost_what", 2),
            (RECEPTION, "leaders", 2),
            (RECEPTION, "questions", 4),
            (PLANS, "goals", 2),
        ];
        for (file, name, n) in sections {
            let all: Vec<_> = entries(file, name).collect();
            assert!(!all.is_empty(), "[{name}]");
            for e in all {
                assert_eq!(e.split(" | ").count(), n, "[{name}] {e}");
            }
        }
        for (_, share, _) in ITEM_KINDS.iter().chain(POINTS.iter()) {
            assert!(*share > 0);
        }
        assert_eq!(CATEGORIES.len(), COMPLAINTS.lines().filter(|l| l.starts_with("[category ")).count());
        for c in CATEGORIES.iter() {
            assert!(c.weight > 0 && !c.offices.is_empty() && !c.groups.is_empty(), "{}", c.slug);
            assert!(c.groups.iter().all(|g| !g.places.is_empty() && !g.problems.is_empty()), "{}", c.slug);
            assert!(c.groups.iter().flat_map(|g| &g.problems).all(|(t, s)| !t.is_empty() && !s.is_empty()));
        }
        for list in [&FOLLOW_UPS, &TOPICS, &ACTIONS, &ACHIEVEMENTS, &SURNAMES, &GIVEN_NAMES, &COLLEGES] {
            assert!(!list.is_empty() && list.iter().all(|e| !e.contains('\\')));
        }
        assert!(ACHIEVEMENTS.iter().all(|a| a.starts_with("## ") && a.contains("\n\n")), "Markdown, line breaks read");
        assert_eq!(COLOURS.last(), Some(&""), "an empty entry is read as empty");
    }

    #[test]
    fn no_text_holds_a_number_the_public_pages_would_mask() {
        for (_, _, items) in ITEM_KINDS.iter() {
            for d in items {
                assert_eq!(union_portal::lost_found::model::public_text(d, &[]), *d);
            }
        }
    }
}
