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
    // audit.rs holds action ids, checked through `Action::ALL` below.
    for (_, text) in files_below(&["src", "templates"]).into_iter().filter(|(p, _)| !p.ends_with("audit.rs")) {
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
