//! Reading the routes from the sources the way the router builds them: every `.route(`
//! call (whitespace, newlines and comments allowed), every method of its method router
//! (`get(..).post(..)`), under the prefix of the `.nest(` it is mounted in: a nest of a
//! module's function (`departments::staff_routes(&state)` → `/d/{dept}`) or a router
//! written inside the nest call. What follows `#[cfg(test)]` in a file is not the router.
//! The authorization table (authz/table.rs) must list exactly what this finds.

use std::{
    collections::{BTreeSet, HashMap},
    ops::Range,
    path::Path,
};

const METHODS: [&str; 9] = ["get", "post", "put", "delete", "patch", "head", "options", "trace", "any"];

/// (module, source) of every .rs file under src/; the module is the first component of the path.
pub fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under src/");
            let first = relative.components().next().expect("a file name").as_os_str().to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            (module, std::fs::read_to_string(&path).expect("a source file"))
        })
        .collect()
}

/// Every (METHOD, full path) routed; `UNREADABLE` for a route whose methods are not plain calls.
pub fn routes(sources: &[(String, String)]) -> BTreeSet<(String, String)> {
    let sources: Vec<(&str, &str)> =
        sources.iter().map(|(m, s)| (m.as_str(), s.split("#[cfg(test)]").next().unwrap_or(""))).collect();
    let nests = Nests::read(&sources);
    let mut found = BTreeSet::new();
    for (module, src) in &sources {
        let b = src.as_bytes();
        for (pos, _) in src.match_indices(".route") {
            let open = skip_ws(b, pos + ".route".len());
            if b.get(open) != Some(&b'(') {
                continue; // .route_layer and the like
            }
            let Some((path, after)) = string_literal(src, skip_ws(b, open + 1)) else {
                found.insert(("UNREADABLE".into(), format!("{module}: {}", &src[pos..(pos + 60).min(src.len())])));
                continue;
            };
            let mut i = skip_ws(b, after);
            if b.get(i) == Some(&b',') {
                i = skip_ws(b, i + 1);
            }
            let full = join(nests.prefix_of(module, src, pos), &path);
            let methods = method_chain(src, i);
            if methods.is_empty() {
                found.insert(("UNREADABLE".into(), full.clone()));
            }
            for m in methods {
                found.insert((m, full.clone()));
            }
        }
    }
    found
}

fn join(prefix: &str, route: &str) -> String {
    match (prefix, route) {
        ("", r) => r.to_string(),
        (p, "/") => p.to_string(),
        (p, r) => format!("{p}{r}"),
    }
}

struct Nests {
    /// (module, function) mounted under a prefix.
    functions: HashMap<(String, String), String>,
    /// Routers written inside a nest call: (module, the call's span, prefix).
    inline: Vec<(String, Range<usize>, String)>,
}

impl Nests {
    fn read(sources: &[(&str, &str)]) -> Nests {
        let mut nests = Nests { functions: HashMap::new(), inline: vec![] };
        for (module, src) in sources {
            let b = src.as_bytes();
            for (pos, _) in src.match_indices(".nest") {
                let open = skip_ws(b, pos + ".nest".len());
                if b.get(open) != Some(&b'(') {
                    continue;
                }
                let Some((prefix, after)) = string_literal(src, skip_ws(b, open + 1)) else { continue };
                let end = balanced(b, open);
                nests.inline.push((module.to_string(), after..end, prefix.clone()));
                // Every `module::function(` called in the nested router.
                let inside = &src[after..end];
                for (k, _) in inside.match_indices('(') {
                    let before = &inside[..k];
                    let start = before
                        .char_indices()
                        .rev()
                        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == ':'))
                        .map_or(0, |(i, c)| i + c.len_utf8());
                    let path: Vec<&str> = before[start..].split("::").collect();
                    if let [.., m, f] = path[..] {
                        nests.functions.insert((m.to_string(), f.to_string()), prefix.clone());
                    }
                }
            }
        }
        nests
    }

    fn prefix_of(&self, module: &str, src: &str, pos: usize) -> &str {
        let inline = self.inline.iter().rev().find(|(m, span, _)| m == module && span.contains(&pos));
        match inline {
            Some((.., prefix)) => prefix,
            None => self.functions.get(&(module.to_string(), enclosing_fn(src, pos))).map_or("", String::as_str),
        }
    }
}

/// The name of the function whose body `pos` is in (the last `fn name` before it).
fn enclosing_fn(src: &str, pos: usize) -> String {
    let before = &src[..pos];
    let mut end = before.len();
    while let Some(k) = before[..end].rfind("fn ") {
        if k == 0 || !is_ident(before.as_bytes()[k - 1]) {
            return before[k + 3..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        }
        end = k;
    }
    String::new()
}

/// The HTTP methods of a method router: `get(a).post(b).layer(c)` → GET, POST.
fn method_chain(src: &str, mut i: usize) -> Vec<String> {
    let b = src.as_bytes();
    let mut methods = vec![];
    loop {
        let start = i;
        while i < b.len() && (is_ident(b[i]) || b[i] == b':') {
            i += 1;
        }
        let name = src[start..i].rsplit("::").next().unwrap_or("");
        let open = skip_ws(b, i);
        if name.is_empty() || b.get(open) != Some(&b'(') {
            break;
        }
        if METHODS.contains(&name) {
            methods.push(name.to_uppercase());
        }
        i = skip_ws(b, balanced(b, open));
        if b.get(i) != Some(&b'.') {
            break;
        }
        i = skip_ws(b, i + 1);
    }
    methods
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Past whitespace and `//` comments.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else {
            return i;
        }
    }
}

/// A `"…"` literal at `i`: its text and the index after it.
fn string_literal(src: &str, i: usize) -> Option<(String, usize)> {
    let b = src.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some((src[i + 1..j].to_string(), j + 1)),
            _ => j += 1,
        }
    }
    None
}

/// The index after the `)` that closes the `(` at `open`, past strings, chars and comments.
fn balanced(b: &[u8], open: usize) -> usize {
    let mut depth = 0;
    let mut j = open;
    while j < b.len() {
        match b[j] {
            b'"' => {
                j += 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if b.get(j + 2) == Some(&b'\'') => j += 2,
            b'/' if b.get(j + 1) == Some(&b'/') => {
                while j < b.len() && b[j] != b'\n' {
                    j += 1;
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    b.len()
}

#[test]
fn multi_line_calls_every_method_and_nest_prefixes_are_all_found() {
    let app = r#"fn router(s: S) -> Router {
        Router::new()
            .merge(things::router())
            .nest("/d/{dept}", things::staff_routes(&s).merge(other::staff_routes(&s)))
            .nest("/x", Router::new().route("/y", get(h)))
            .route_layer(middleware::from_fn(check))
    }"#;
    let things = r#"pub fn router() -> Router {
        Router::new().route(
            // The form and its answer.
            "/things",
            get(list).post(create).layer(DefaultBodyLimit::max(9)),
        )
    }
    pub fn staff_routes(s: &S) -> Router {
        let read = Router::new().route("/things/{id}", axum::routing::get(|| async { "a ) in a string" }));
        guarded(s, read).route ("/", delete(remove))
    }
    #[cfg(test)]
    mod tests { fn t() { Router::new().route("/only-in-a-test", get(t)); } }"#;
    let other = r#"pub fn staff_routes(s: &S) -> Router { Router::new().route("/odd", handler_service) }"#;
    let sources = [("app", app), ("things", things), ("other", other)].map(|(m, s)| (m.to_string(), s.to_string()));
    let found: Vec<String> = routes(&sources).into_iter().map(|(m, r)| format!("{m} {r}")).collect();
    assert_eq!(
        found,
        [
            "DELETE /d/{dept}",
            "GET /d/{dept}/things/{id}",
            "GET /things",
            "GET /x/y",
            "POST /things",
            "UNREADABLE /d/{dept}/odd"
        ],
        "a route whose methods cannot be read is reported, so it cannot slip past the table"
    );
}
