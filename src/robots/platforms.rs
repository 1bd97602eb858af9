//! Each platform's documented request: the JSON body in its format and within its length
//! limit, the signature where the robot has a secret, and how its answer says "sent".
//! Pure functions of the message, the moment and the secret; `delivery` does the HTTP.
//!
//! - 企业微信 group robot: `{"msgtype":"markdown","markdown":{"content":…}}`, content at most
//!   4096 bytes of UTF-8; no signing; answers `{"errcode":0,"errmsg":"ok"}`.
//! - 钉钉 custom robot: `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`; signing adds
//!   `&timestamp=<ms>&sign=<urlencode(base64(HmacSHA256(secret, "<ms>\n<secret>")))>` to the
//!   URL; answers `{"errcode":0,"errmsg":"ok"}`.
//! - 飞书 custom bot: `{"msg_type":"post","content":{"post":{"zh_cn":{…}}}}` under 20 KB, with
//!   `"timestamp":"<s>","sign":base64(HmacSHA256(key = "<s>\n<secret>", message = ""))`;
//!   answers `{"code":0,"msg":"success"}` (older bots `{"StatusCode":0}`).

use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::Url;
use serde_json::{json, Value};
use sha2::Sha256;

use super::model::{plain, Platform};

/// 企业微信's limit on a markdown message's content, in bytes.
pub const WECOM_MAX_BYTES: usize = 4096;
/// What 钉钉's markdown text is kept within, in characters.
pub const DINGTALK_MAX_CHARS: usize = 5000;
/// What 飞书's whole body is kept under, in bytes (the platform's limit is 20 KB).
pub const FEISHU_MAX_BYTES: usize = 19 * 1024;

/// A message ready to send: its title, its lines, the absolute link and the link's words.
pub struct Outgoing<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub link_text: &'a str,
    /// The portal's name, closing every message (and the keyword a 钉钉 robot may require).
    pub signature: &'a str,
}

/// The URL to post to and the JSON to post, for a robot of `platform` at `webhook` with
/// `secret` ('' for none), at `now_ms` (milliseconds since the epoch).
pub fn request(platform: Platform, webhook: &Url, secret: &str, m: &Outgoing<'_>, now_ms: i64) -> (Url, Value) {
    match platform {
        Platform::Wecom => (webhook.clone(), json!({ "msgtype": "markdown", "markdown": { "content": wecom(m) } })),
        Platform::Dingtalk => {
            let mut url = webhook.clone();
            if !secret.is_empty() {
                let timestamp = now_ms.to_string();
                let sign = dingtalk_sign(&timestamp, secret);
                // `append_pair` form-encodes, as the platform's own examples (URLEncoder) do.
                url.query_pairs_mut().append_pair("timestamp", &timestamp).append_pair("sign", &sign);
            }
            let title = plain(m.title);
            (url, json!({ "msgtype": "markdown", "markdown": { "title": title, "text": dingtalk(m) } }))
        }
        Platform::Feishu => {
            let mut body = json!({ "msg_type": "post", "content": { "post": { "zh_cn": feishu_post(m) } } });
            if !secret.is_empty() {
                let timestamp = (now_ms / 1000).to_string();
                body["sign"] = Value::from(feishu_sign(&timestamp, secret));
                body["timestamp"] = Value::from(timestamp);
            }
            (webhook.clone(), body)
        }
    }
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// 钉钉: HmacSHA256 keyed by the secret over "timestamp\nsecret", in base64 (URL-encoded by the caller).
pub fn dingtalk_sign(timestamp: &str, secret: &str) -> String {
    hmac_base64(secret.as_bytes(), format!("{timestamp}\n{secret}").as_bytes())
}

/// 飞书: HmacSHA256 keyed by "timestamp\nsecret" over nothing, in base64.
pub fn feishu_sign(timestamp: &str, secret: &str) -> String {
    hmac_base64(format!("{timestamp}\n{secret}").as_bytes(), b"")
}

/// The body cut to what leaves `room` bytes, on a character boundary, with an ellipsis when cut.
fn fit_bytes(text: &str, room: usize) -> String {
    if text.len() <= room {
        return text.to_string();
    }
    let room = room.saturating_sub('…'.len_utf8());
    let cut = text.char_indices().map(|(i, _)| i).take_while(|i| *i <= room).last().unwrap_or(0);
    format!("{}…", &text[..cut])
}

fn wecom(m: &Outgoing<'_>) -> String {
    let head = format!("## {}\n", plain(m.title));
    let tail = format!("\n[{}]({})\n<font color=\"comment\">{}</font>", m.link_text, m.link, m.signature);
    let room = WECOM_MAX_BYTES.saturating_sub(head.len() + tail.len());
    format!("{head}{}{tail}", fit_bytes(&plain_lines(m.body, "\n"), room))
}

fn dingtalk(m: &Outgoing<'_>) -> String {
    let head = format!("### {}\n\n", plain(m.title));
    let tail = format!("\n\n[{}]({})\n\n{}", m.link_text, m.link, m.signature);
    let room = DINGTALK_MAX_CHARS.saturating_sub(head.chars().count() + tail.chars().count());
    // Markdown needs an empty line between lines.
    let body = super::model::clip(&plain_lines(m.body, "\n\n"), room.saturating_sub(1));
    format!("{head}{body}{tail}")
}

fn feishu_post(m: &Outgoing<'_>) -> Value {
    let mut lines: Vec<Value> = vec![];
    let mut room = FEISHU_MAX_BYTES.saturating_sub(m.title.len() + m.link.len() + 512);
    for line in m.body.lines() {
        let line = fit_bytes(line, room);
        room = room.saturating_sub(line.len() + 64);
        lines.push(json!([{ "tag": "text", "text": line }]));
        if room == 0 {
            break;
        }
    }
    lines.push(json!([{ "tag": "a", "text": m.link_text, "href": m.link }, { "tag": "text", "text": format!(" · {}", m.signature) }]));
    json!({ "title": m.title, "content": lines })
}

/// Each line made plain (no markup), joined for the platform's Markdown.
fn plain_lines(body: &str, join: &str) -> String {
    body.lines().map(plain).collect::<Vec<_>>().join(join)
}

/// Whether the platform's answer says the message was taken: `Err(Some(code and message))`
/// when it refused it, `Err(None)` when the answer is not the platform's.
pub fn accepted(platform: Platform, answer: &Value) -> Result<(), Option<String>> {
    let code = match platform {
        Platform::Wecom | Platform::Dingtalk => answer.get("errcode").and_then(Value::as_i64),
        Platform::Feishu => answer.get("code").or_else(|| answer.get("StatusCode")).and_then(Value::as_i64),
    };
    match code {
        Some(0) => Ok(()),
        Some(code) => {
            let msg = answer.get("errmsg").or_else(|| answer.get("msg")).or_else(|| answer.get("StatusMessage"));
            let msg: String = msg.and_then(Value::as_str).unwrap_or("").chars().take(120).collect();
            Err(Some(format!("{code} {msg}").trim().to_string()))
        }
        None => Err(None),
    }
}

#[cfg(test)]
#[path = "platforms_tests.rs"]
mod tests;
