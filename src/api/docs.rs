//! `/api`: the OpenAPI document as a readable page, rendered on the server from the same
//! document `/api/v1/openapi.json` serves (no Swagger UI: the CSP allows no outside script).

use askama::Template;
use axum::response::Html;
use serde_json::Value;

use crate::{
    error::AppResult,
    web::{render, Layout},
};

pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub params: Vec<Field>,
    /// (status, what comes back)
    pub responses: Vec<(String, String)>,
}

/// A parameter or a property: its name, where or of what type, and what it means.
pub struct Field {
    pub name: String,
    pub kind: String,
    pub description: String,
}

pub struct Schema {
    pub name: String,
    pub fields: Vec<Field>,
}

/// Where the document is served (the page links to it).
pub(crate) const DOCUMENT: &str = "/api/v1/openapi.json";

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    layout: Layout,
    version: String,
    endpoints: Vec<Endpoint>,
    schemas: Vec<Schema>,
}

pub async fn show_docs(layout: Layout) -> AppResult<Html<String>> {
    let doc = serde_json::to_value(super::openapi::document()).map_err(anyhow::Error::from)?;
    let version = text(&doc["openapi"]);
    Ok(Html(render(DocsPage { layout, version, endpoints: endpoints(&doc), schemas: schemas(&doc) })?))
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

/// A schema's type in a word: `ComplaintSummary`, `array of FoundItem`, `string (date-time)`.
fn type_name(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(items) = s.get("items") {
        return format!("[{}]", type_name(items));
    }
    let kind = match &s["type"] {
        Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        other => text(other),
    };
    match s["format"].as_str() {
        Some(f) => format!("{kind} ({f})"),
        None if kind.is_empty() => {
            s["oneOf"].as_array().map_or(String::new(), |all| all.iter().map(type_name).collect::<Vec<_>>().join(" | "))
        }
        None => kind,
    }
}

fn endpoints(doc: &Value) -> Vec<Endpoint> {
    let mut out = vec![];
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let params = op["parameters"].as_array().into_iter().flatten().map(|p| Field {
                name: text(&p["name"]),
                kind: format!("{} · {}", text(&p["in"]), type_name(&p["schema"])),
                description: text(&p["description"]),
            });
            let responses = op["responses"].as_object().into_iter().flatten().map(|(code, r)| {
                let body = r["content"].as_object().and_then(|c| c.values().next()).map(|m| type_name(&m["schema"]));
                (code.clone(), body.unwrap_or_else(|| text(&r["description"])))
            });
            out.push(Endpoint {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&op["description"]).lines().next().unwrap_or("").to_string(),
                params: params.collect(),
                responses: responses.collect(),
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<Schema> {
    let all = doc["components"]["schemas"].as_object().into_iter().flatten();
    all.map(|(name, s)| Schema {
        name: name.clone(),
        fields: s["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(field, p)| Field { name: field.clone(), kind: type_name(p), description: text(&p["description"]) })
            .collect(),
    })
    .collect()
}
