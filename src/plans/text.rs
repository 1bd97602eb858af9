//! A plan as text: Markdown made safe for its pages, the plan as one Markdown text (its
//! snapshot and export), readable diffs between two snapshots, and the seed plans' prose
//! turned into goals.

use std::fmt::Write;

use chrono::NaiveDate;

/// The sanitiser's rules, built once: `Builder::default()` fills a dozen hash sets of tags and
/// attributes, which was most of what a plan's page spent on its goals' Markdown.
static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let mut cleaner = ammonia::Builder::default();
    cleaner.rm_tags(&["img"]).link_rel(Some("noopener noreferrer nofollow"));
    cleaner
});

/// Images become links to them: a plan's page loads nothing from elsewhere (no tracking pixel,
/// and nothing for the CSP, which allows the portal's own images only, to block and report).
pub fn render_markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let parser =
        pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_TABLES).map(|event| match event {
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
            other => other,
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    CLEANER.clean(&html).to_string()
}

/// One plan, as its snapshot needs it.
pub struct Snapshot<'a> {
    pub title: &'a str,
    pub department: &'a str,
    pub period: &'a str,
    pub achievements: &'a str,
    pub shortcomings: &'a str,
    /// (title, description, actions)
    pub goals: Vec<(&'a str, &'a str, Vec<SnapshotAction<'a>>)>,
}

pub struct SnapshotAction<'a> {
    pub title: &'a str,
    pub owner: Option<&'a str>,
    pub due_on: Option<NaiveDate>,
    pub status_zh: &'a str,
    pub progress: i16,
    pub notes: &'a str,
}

/// The plan as one Markdown text, in the union's language: every version is kept in
/// this form, diffs compare it line by line, and the export is this text.
pub fn to_markdown(p: &Snapshot) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{} · {}\n", p.title, p.department, p.period);
    let _ = writeln!(
        out,
        "## 上一阶段回顾\n\n### 成绩\n\n{}\n\n### 不足\n\n{}\n",
        p.achievements.trim(),
        p.shortcomings.trim()
    );
    let _ = writeln!(out, "## 目标\n");
    for (i, (title, description, actions)) in p.goals.iter().enumerate() {
        let _ = writeln!(out, "### {}. {}\n", i + 1, title);
        if !description.trim().is_empty() {
            let _ = writeln!(out, "{}\n", description.trim());
        }
        for a in actions {
            let owner = a.owner.map(|o| format!(" · 负责人：{o}")).unwrap_or_default();
            let due = a.due_on.map(|d| format!(" · 截止：{d}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "- [{}] {}{owner}{due} · {} {}%",
                if a.status_zh == "已完成" { "x" } else { " " },
                a.title,
                a.status_zh,
                a.progress
            );
            if !a.notes.trim().is_empty() {
                for line in a.notes.trim().lines() {
                    let _ = writeln!(out, "  > {line}");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// A line of a diff: `-` removed, `+` added, ` ` unchanged context, `…` skipped.
pub struct DiffLine {
    pub tag: char,
    pub text: String,
}

/// What changed between two snapshots, line by line, with two lines of context.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = vec![];
    for (i, group) in diff.grouped_ops(2).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine { tag: '…', text: String::new() });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let tag = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(DiffLine { tag, text: change.value().trim_end_matches('\n').to_string() });
            }
        }
    }
    out
}

/// A plan read from the seeds' prose.
#[derive(Debug)]
pub struct Imported {
    pub title: String,
    /// Everything before the first numbered heading.
    pub review: String,
    /// (title, description)
    pub goals: Vec<(String, String)>,
}

/// A numbered heading (一、… up to 十、, or 1) 2) …), its number, title and any text on the same line after it.
fn heading(line: &str) -> Option<(String, String, String)> {
    let (number, rest) = line
        .split_once('、')
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .or_else(|| {
            line.split_once([')', '）'])
                .filter(|(n, _)| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
        })?;
    let number = number.to_string();
    // A long heading carries its first sentence as the title and the rest as text.
    match rest.find(['。', '.', '!', '！']) {
        Some(i) if rest.chars().count() > 30 => {
            let end = i + rest[i..].chars().next().map_or(0, char::len_utf8);
            Some((number, rest[..i].trim().to_string(), rest[end..].trim().to_string()))
        }
        _ => Some((number, rest.trim().to_string(), String::new())),
    }
}

/// The seeds' file: plans headed "…工作计划 篇N", their numbered headings (一、二、…) as goals.
pub fn import(text: &str) -> Vec<Imported> {
    let mut plans: Vec<Imported> = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(i) = line.find(" 篇").filter(|_| line.chars().count() < 30) {
            plans.push(Imported { title: line[..i].trim().to_string(), review: String::new(), goals: vec![] });
            let n = line[i..].trim().to_string();
            if let Some(p) = plans.last_mut() {
                p.title = format!("{} {n}", p.title);
            }
            continue;
        }
        let Some(plan) = plans.last_mut() else { continue };
        if let Some((number, title, first)) = heading(line) {
            // A list that starts again at 一 (or 1): the earlier list was the review of the last
            // period (its shortcomings, its work done), not this plan's goals.
            if (number == "一" || number == "1") && !plan.goals.is_empty() {
                for (t, d) in plan.goals.drain(..) {
                    plan.review.push_str(&format!("\n\n**{t}**"));
                    if !d.is_empty() {
                        plan.review.push_str(&format!("\n\n{d}"));
                    }
                }
            }
            plan.goals.push((title, first));
        } else if let Some((_, description)) = plan.goals.last_mut() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(line);
        } else {
            if !plan.review.is_empty() {
                plan.review.push_str("\n\n");
            }
            plan.review.push_str(line);
        }
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_formatting_and_loses_everything_active() {
        let html = render_markdown(
            "**重点** [链接](https://example.edu)\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"#\" onclick=\"x()\">a</a>",
        );
        assert!(html.contains("<strong>重点</strong>") && html.contains("href=\"https://example.edu\""));
        for evil in ["<script", "javascript:", "onerror", "onclick", "alert(1)</script>"] {
            assert!(!html.contains(evil), "{evil} survived: {html}");
        }
    }

    #[test]
    fn images_become_links_so_a_plan_loads_nothing_from_elsewhere() {
        let html =
            render_markdown("![照片](https://tracker.example/p.gif)\n\n<img src=\"https://tracker.example/q.gif\">");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("href=\"https://tracker.example/p.gif\"") && html.contains(">照片</a>"), "{html}");
    }

    #[test]
    fn the_seed_plans_become_goals() {
        let text = "年度部门工作计划 篇1\n\n微博关注数到508。\n\n一、定位清晰\n\n接待日和失物招领平台。\n\n二、部门建设\n\n放手锻炼部员。\n\n年度部门工作计划 篇2\n\n一、熟悉公司新的规章制度和工程管理开展工作。公司在不断改革,订立了新的规定。";
        let plans = import(text);
        assert_eq!(plans.len(), 2);
        assert_eq!(plans[0].title, "年度部门工作计划 篇1");
        assert_eq!(plans[0].review, "微博关注数到508。");
        assert_eq!(
            plans[0].goals,
            [("定位清晰".into(), "接待日和失物招领平台。".into()), ("部门建设".into(), "放手锻炼部员。".into())]
        );
        assert_eq!(plans[1].goals[0].0, "熟悉公司新的规章制度和工程管理开展工作");
        assert_eq!(plans[1].goals[0].1, "公司在不断改革,订立了新的规定。");
        let again = import("工作计划 篇4\n\n一、监督无力\n\n宣传不够。\n\n一、日常工作\n\n1)做好常规工作。每周例会。");
        assert_eq!(again[0].goals, [("做好常规工作。每周例会。".into(), String::new())], "a short line is all title");
        assert!(again[0].review.contains("**监督无力**") && again[0].review.contains("**日常工作**"));
    }

    #[test]
    fn a_diff_shows_what_changed_with_context() {
        let d = diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        let tags: String = d.iter().map(|l| l.tag).collect();
        assert_eq!(tags, "  -+  ");
        assert_eq!(d[2].text, "d");
        assert_eq!(d[3].text, "D");
    }
}
