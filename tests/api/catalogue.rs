//! The language catalogues: the same keys in both, and every key the code uses exists.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

/// Every file below these folders of the crate, with its text.
fn files_below(folders: &[&str]) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack: Vec<PathBuf> = folders.iter().map(|f| root.join(f)).collect();
    let mut files = vec![];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = fs::read_to_string(&path).unwrap_or_default();
                files.push((path, text));
            }
        }
    }
    files
}

fn keys(lang: &str) -> BTreeSet<String> {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}.yml")))
        .expect("catalogue");
    text.lines()
        .filter(|l| !l.starts_with('_') && !l.trim().is_empty())
        .map(|l| l.split(':').next().expect("key").trim().to_string())
        .collect()
}

/// Every `"area.key"` literal in the source and the templates that looks like a catalogue key.
fn used_keys() -> BTreeSet<String> {
    let prefixes = [
        "site.",
        "nav.",
        "home.",
        "error.",
        "form.",
        "field.",
        "register.",
        "login.",
        "password.",
        "me.",
        "dept.",
        "audit.",
        "admin.",
        "role.",
        "flash.",
        "common.",
        "mail.",
        "stats.",
    ];
    let mut used = BTreeSet::new();
    // audit/action.rs holds action ids, checked through `Action::ALL` below.
    for (_, text) in files_below(&["src", "templates"]).into_iter().filter(|(p, _)| !p.ends_with("audit/action.rs")) {
        for piece in text.split('"').skip(1).step_by(2) {
            let looks_like_key = prefixes.iter().any(|p| piece.starts_with(p))
                && piece.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
                && !piece.ends_with('.')
                && !piece.ends_with(".html");
            if looks_like_key {
                used.insert(piece.to_string());
            }
        }
    }
    used
}

#[test]
fn both_languages_have_the_same_keys() {
    let zh = keys("zh-CN");
    let en = keys("en");
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(only_zh.is_empty() && only_en.is_empty(), "only in zh-CN: {only_zh:?}; only in en: {only_en:?}");
}

#[test]
fn every_key_the_portal_uses_is_in_the_catalogue() {
    let zh = keys("zh-CN");
    let missing: Vec<_> = used_keys().into_iter().filter(|k| !zh.contains(k)).collect();
    assert!(missing.is_empty(), "keys used but not in the catalogue: {missing:?}");
}

#[test]
fn every_role_and_audit_action_has_words() {
    let zh = keys("zh-CN");
    for role in ["member", "vice_head", "head", "presidium", "admin"] {
        assert!(zh.contains(&format!("role.{role}")), "{role}");
    }
    for status in union_portal::complaints::status::ComplaintStatus::ALL {
        assert!(zh.contains(&format!("complaint.status.{}", status.as_str())), "{status:?}");
    }
    for kind in [
        "submitted",
        "status",
        "public_reply",
        "internal_note",
        "reporter_reply",
        "confirmed",
        "reopened",
        "assigned",
        "transferred",
        "escalated",
        "agenda",
    ] {
        assert!(zh.contains(&format!("complaint.event.{kind}")), "{kind}");
    }
    for action in union_portal::audit::Action::ALL {
        assert!(zh.contains(&format!("audit.action.{}", action.as_str())), "{action:?}");
    }
}

/// The text a template shows by itself: everything outside `{{ }}`, `{% %}` and `{# #}`,
/// with tags reduced to the attributes people read (alt, title, placeholder, aria-label, value of a button).
fn literal_text(template: &str) -> Vec<String> {
    let mut code_free = String::new();
    let mut rest = template;
    while let Some(start) = ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o)).min() {
        code_free.push_str(&rest[..start]);
        code_free.push(' ');
        let close = match &rest[start..start + 2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        rest = rest[start..].find(close).map(|end| &rest[start + end + 2..]).unwrap_or("");
    }
    code_free.push_str(rest);
    let mut texts = vec![];
    let mut in_tag = code_free.as_str();
    while let Some(open) = in_tag.find('<') {
        texts.push(in_tag[..open].to_string());
        let close = in_tag[open..].find('>').map(|c| open + c).unwrap_or(in_tag.len() - 1);
        let tag = &in_tag[open..=close];
        for attribute in ["alt=\"", "title=\"", "placeholder=\"", "aria-label=\"", "value=\""] {
            let is_button_value =
                attribute != "value=\"" || tag.contains("type=\"submit\"") || tag.contains("type=\"button\"");
            if let (Some(at), true) = (tag.find(attribute), is_button_value) {
                let value = &tag[at + attribute.len()..];
                texts.push(value[..value.find('"').unwrap_or(value.len())].to_string());
            }
        }
        in_tag = &in_tag[close + 1..];
    }
    texts.push(in_tag.to_string());
    texts
        .into_iter()
        .map(|t| strip_entities(&t))
        .filter(|t| t.chars().any(char::is_alphabetic))
        .map(|t| t.trim().to_string())
        .collect()
}

/// `&middot;` and friends are punctuation, not words.
fn strip_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let entity = rest[amp + 1..].find(';').filter(|&end| {
            end <= 8 && rest[amp + 1..amp + 1 + end].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
        });
        rest = match entity {
            Some(end) => &rest[amp + 2 + end..],
            None => {
                out.push('&');
                &rest[amp + 1..]
            }
        };
    }
    out.push_str(rest);
    out
}

#[test]
fn templates_hold_no_words_outside_the_catalogues() {
    let mut found = vec![];
    for (path, text) in files_below(&["templates"]) {
        // Inline SVG's and styles' words are not for reading; the print pages' CSS lives in static/.
        let without_blocks: String = ["<style", "<script"].iter().fold(text.clone(), |t, open| {
            let close = if *open == "<style" { "</style>" } else { "</script>" };
            match (t.find(open), t.find(close)) {
                (Some(a), Some(b)) if b > a => format!("{}{}", &t[..a], &t[b + close.len()..]),
                _ => t,
            }
        });
        for words in literal_text(&without_blocks) {
            found.push(format!("{}: {words}", path.file_name().unwrap_or_default().to_string_lossy()));
        }
    }
    assert!(found.is_empty(), "text in templates outside the catalogues:\n{}", found.join("\n"));
}

#[test]
fn the_template_scan_sees_words_and_only_words() {
    let words = literal_text(
        "<h1>{{ layout.t(\"x.y\") }}</h1>{% if a %}<p>提交</p>{% endif %}<img alt=\"photo\" src=\"/x\">&middot; · 2/3 {# a note #}<button type=\"submit\" value=\"Go\">",
    );
    assert_eq!(words, ["提交", "photo", "Go"]);
}
