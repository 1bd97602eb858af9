//! Search that works for Chinese. PostgreSQL's text parser does not segment
//! Chinese, so the portal cuts text into tokens itself: every character and
//! every pair of neighbouring characters of a Chinese run (so 白蚁, 风扇, 饭卡 are
//! found inside longer text), and lowercased words of other scripts. Rows store
//! them as a `tsvector` (from its text form, no parser involved); a query
//! matches when all its tokens are present, and `ts_rank` orders the matches.

use std::collections::BTreeSet;

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2A6DF}')
}

/// Most matches a search ranks: the newest this many. Ranking reads each match's
/// whole document, so a one-character or very common word would otherwise rank
/// every complaint or item on every request; the newest are what people look for.
pub const MAX_CANDIDATES: i64 = 100;

/// Longer words are not words anyone searches for, and PostgreSQL refuses
/// words over 2,046 bytes: they are left out of documents and queries.
const MAX_WORD_BYTES: usize = 100;

/// Runs of text: `(is_cjk, run)`; anything that is neither CJK nor a letter or digit separates runs.
fn runs(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = vec![];
    for c in text.chars() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (kind, out.last_mut()) {
            (Some(k), Some((last_k, run))) if *last_k == k && !run.is_empty() => run.extend(c.to_lowercase()),
            (Some(k), _) => out.push((k, c.to_lowercase().collect())),
            (None, Some((_, run))) if !run.is_empty() => out.push((false, String::new())),
            (None, _) => {}
        }
    }
    out.retain(|(cjk, r)| !r.is_empty() && (*cjk || r.len() <= MAX_WORD_BYTES));
    out
}

fn bigrams(run: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = run.chars().collect();
    (0..chars.len().saturating_sub(1)).map(move |i| chars[i..i + 2].iter().collect())
}

/// Each run's tokens as `of_run` makes them from (is it Chinese, the run), sorted, each once.
fn tokens(text: &str, of_run: impl Fn(bool, String) -> Vec<String>) -> Vec<String> {
    let distinct: BTreeSet<String> = runs(text).into_iter().flat_map(|(cjk, run)| of_run(cjk, run)).collect();
    distinct.into_iter().collect()
}

/// The tokens a document is indexed under (deduplicated).
pub fn document_tokens(text: &str) -> Vec<String> {
    tokens(text, |cjk, run| if cjk { run.chars().map(String::from).chain(bigrams(&run)).collect() } else { vec![run] })
}

/// The tokens a query needs: pairs for Chinese words, the character alone for a one-character word.
pub fn query_tokens(query: &str) -> Vec<String> {
    let mut tokens = word_tokens(query);
    tokens.truncate(32);
    tokens
}

/// The words of a text, as a query would look for them (deduplicated, sorted).
pub fn word_tokens(query: &str) -> Vec<String> {
    tokens(query, |cjk, run| if cjk && run.chars().count() > 1 { bigrams(&run).collect() } else { vec![run] })
}

/// A `tsvector` in its text form: the title's tokens weighted `A` (ranked higher),
/// the rest unweighted. Tokens hold only letters and digits, so quoting is safe.
pub fn tsvector(title: &str, rest: &str) -> String {
    let weighted = document_tokens(title).into_iter().map(|t| (t, "A"));
    let plain = document_tokens(rest).into_iter().map(|t| (t, ""));
    // Positions only carry the weights; PostgreSQL allows up to 16383 of them.
    weighted
        .chain(plain)
        .take(16_000)
        .enumerate()
        .map(|(i, (t, w))| format!("'{t}':{}{w}", i + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A `tsquery` that needs any one of the words of `text`, or `None` when it has none.
pub fn any_word_tsquery(text: &str) -> Option<String> {
    let tokens = query_tokens(text);
    (!tokens.is_empty()).then(|| tokens.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(" | "))
}

/// A `tsquery` that needs every token, or `None` for a query with no tokens.
/// Tokens hold only letters and digits, so quoting cannot be escaped.
pub fn tsquery(query: &str) -> Option<String> {
    tsquery_of(&query_tokens(query))
}

/// A `tsquery` that needs every one of `tokens` (from `query_tokens`), or `None` for none.
pub fn tsquery_of(tokens: &[String]) -> Option<String> {
    (!tokens.is_empty()).then(|| tokens.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(" & "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_character_words_are_found_inside_longer_text() {
        let doc = document_tokens("北区24栋宿舍发现白蚁，书桌被蛀坏");
        for word in ["白蚁", "宿舍", "书桌"] {
            assert!(query_tokens(word).iter().all(|t| doc.contains(t)), "{word}");
        }
        assert!(!query_tokens("饭卡").iter().all(|t| doc.contains(t)));
    }

    #[test]
    fn mixed_text_is_cut_into_chinese_pairs_and_words() {
        let doc = document_tokens("iPhone 手机 丢在 Library-3");
        assert!(
            doc.contains(&"iphone".to_string())
                && doc.contains(&"手机".to_string())
                && doc.contains(&"library".to_string())
        );
        assert_eq!(query_tokens("蓝色保温杯"), ["保温", "温杯", "色保", "蓝色"]);
        assert_eq!(query_tokens("伞"), ["伞"]);
    }

    #[test]
    fn overlong_words_are_left_out_of_documents_and_queries() {
        let long = "a".repeat(3000);
        assert_eq!(document_tokens(&format!("{long} 雨伞")), ["伞", "雨", "雨伞"]);
        assert_eq!(tsquery(&long), None);
        let kana = "ア".repeat(1000);
        assert!(document_tokens(&kana).is_empty(), "3,000 bytes of kana are one overlong word");
    }

    #[test]
    fn the_title_is_weighted() {
        assert_eq!(tsvector("白蚁", "x"), "'白':1A '白蚁':2A '蚁':3A 'x':4");
    }

    #[test]
    fn queries_without_letters_or_digits_match_nothing_and_quotes_cannot_escape() {
        assert_eq!(tsquery("  ，。!!  "), None);
        assert_eq!(tsquery("a' | b"), Some("'a' & 'b'".to_string()));
    }
}
