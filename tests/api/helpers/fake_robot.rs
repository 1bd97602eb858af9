//! A fake group robot server on loopback, speaking the three platforms' webhook protocols
//! at their own paths: 企业微信 (`/cgi-bin/webhook/send?key=`), 钉钉 (`/robot/send?access_token=`,
//! signed in the query) and 飞书 (`/open-apis/bot/v2/hook/{token}`, signed in the body). Like
//! the platforms, it checks the key, the JSON's shape and length limit, and recomputes the
//! HMAC signature from the secret it was given (written here from the platforms' documents,
//! not from the portal's code); what it refuses it answers with the platform's error code.
//! It records every request and can be told to fail: an HTTP 500, the platform's error code
//! (with the key and secret echoed, as a careless server might), or no answer for a while.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

pub const WECOM_KEY: &str = "wecom-key-7f3a0001";
pub const DINGTALK_TOKEN: &str = "dingtalk-token-7f3a0002";
pub const DINGTALK_SECRET: &str = "SECdingtalk7f3a9b2c";
pub const FEISHU_TOKEN: &str = "feishu-token-7f3a0003";
pub const FEISHU_SECRET: &str = "feishu7f3a9b2csecret";

/// How the fake answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// As the platform does when all is well (and with its error code when something is wrong).
    Answer,
    /// HTTP 500.
    Broken,
    /// The platform's error code for a valid request, its message echoing the key and the secret.
    Refuse,
    /// No answer for five seconds.
    Hang,
}

/// One request as the fake saw it: the platform, and `Ok` or why the platform would refuse it.
#[derive(Clone, Debug)]
pub struct Received {
    pub platform: &'static str,
    pub body: Value,
    pub verdict: Result<(), String>,
}

#[derive(Default)]
struct Inner {
    modes: HashMap<&'static str, Mode>,
    received: Vec<Received>,
}

#[derive(Clone)]
pub struct FakeRobot {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeRobot {
    pub async fn start() -> FakeRobot {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/cgi-bin/webhook/send", post(wecom))
            .route("/robot/send", post(dingtalk))
            .route("/open-apis/bot/v2/hook/{token}", post(feishu))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        FakeRobot { base, inner }
    }

    /// The webhook of each platform's robot on this server.
    pub fn wecom_url(&self) -> String {
        format!("{}/cgi-bin/webhook/send?key={WECOM_KEY}", self.base)
    }
    pub fn dingtalk_url(&self) -> String {
        format!("{}/robot/send?access_token={DINGTALK_TOKEN}", self.base)
    }
    pub fn feishu_url(&self) -> String {
        format!("{}/open-apis/bot/v2/hook/{FEISHU_TOKEN}", self.base)
    }

    /// From now on, answer `platform` (`wecom`, `dingtalk`, `feishu`) this way.
    pub fn set(&self, platform: &'static str, mode: Mode) {
        self.inner.lock().expect("the fake's state").modes.insert(platform, mode);
    }
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("the fake's state").received.clone()
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn string_at<'a>(v: &'a Value, path: &[&str]) -> Result<&'a str, String> {
    let mut at = v;
    for key in path {
        at = at.get(key).ok_or_else(|| format!("no {}", path.join(".")))?;
    }
    at.as_str().ok_or_else(|| format!("{} is not a string", path.join(".")))
}

/// 企业微信: the key; `{"msgtype":"markdown","markdown":{"content":…}}`, content ≤ 4096 bytes.
fn check_wecom(query: &HashMap<String, String>, body: &Value) -> Result<(), String> {
    if query.get("key").map(String::as_str) != Some(WECOM_KEY) {
        return Err("93000 invalid webhook url".into());
    }
    if string_at(body, &["msgtype"])? != "markdown" {
        return Err("40008 invalid message type".into());
    }
    let content = string_at(body, &["markdown", "content"])?;
    if content.is_empty() || content.len() > 4096 {
        return Err(format!("40058 content size {} out of limit", content.len()));
    }
    Ok(())
}

/// 钉钉: the token; with a secret, `timestamp` (ms, within the hour) and `sign` =
/// base64(HmacSHA256(secret, timestamp + "\n" + secret)) in the query; a markdown title and text.
fn check_dingtalk(query: &HashMap<String, String>, body: &Value) -> Result<(), String> {
    if query.get("access_token").map(String::as_str) != Some(DINGTALK_TOKEN) {
        return Err("300001 token is not exist".into());
    }
    let (Some(timestamp), Some(sign)) = (query.get("timestamp"), query.get("sign")) else {
        return Err("310000 sign not match".into());
    };
    let at: i64 = timestamp.parse().map_err(|_| "310000 invalid timestamp".to_string())?;
    if (now_ms() - at).abs() > 3_600_000 {
        return Err("310000 invalid timestamp".into());
    }
    let expected = hmac_base64(DINGTALK_SECRET.as_bytes(), format!("{timestamp}\n{DINGTALK_SECRET}").as_bytes());
    if *sign != expected {
        return Err("310000 sign not match".into());
    }
    if string_at(body, &["msgtype"])? != "markdown" || string_at(body, &["markdown", "title"])?.is_empty() {
        return Err("40035 missing title".into());
    }
    let text = string_at(body, &["markdown", "text"])?;
    if text.is_empty() || text.chars().count() > 5000 {
        return Err("460101 message too long".into());
    }
    Ok(())
}

/// 飞书: the token; a body under 20 KB with `timestamp` (s, within the hour) and `sign` =
/// base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")); a post with a title and
/// rows of elements, or a text.
fn check_feishu(token: &str, raw: &[u8], body: &Value) -> Result<(), String> {
    if token != FEISHU_TOKEN {
        return Err("19001 param invalid: incoming webhook access token invalid".into());
    }
    if raw.len() >= 20 * 1024 {
        return Err("9499 request body too large".into());
    }
    let timestamp = string_at(body, &["timestamp"]).map_err(|_| "19021 sign match fail".to_string())?;
    let at: i64 = timestamp.parse().map_err(|_| "19021 sign match fail".to_string())?;
    if (now_ms() / 1000 - at).abs() > 3600 {
        return Err("19021 timestamp is not within one hour from current time".into());
    }
    let expected = hmac_base64(format!("{timestamp}\n{FEISHU_SECRET}").as_bytes(), b"");
    if string_at(body, &["sign"])? != expected {
        return Err("19021 sign match fail".into());
    }
    match string_at(body, &["msg_type"])? {
        "text" => string_at(body, &["content", "text"]).map(|_| ()),
        "post" => {
            string_at(body, &["content", "post", "zh_cn", "title"])?;
            let rows = body["content"]["post"]["zh_cn"]["content"].as_array().ok_or("19002 content is not rows")?;
            let elements_ok =
                rows.iter().all(|r| r.as_array().is_some_and(|row| row.iter().all(|e| e["tag"].is_string())));
            if rows.is_empty() || !elements_ok {
                return Err("19002 content rows malformed".into());
            }
            Ok(())
        }
        other => Err(format!("19002 unknown msg_type {other}")),
    }
}

async fn answer(
    inner: &Arc<Mutex<Inner>>,
    platform: &'static str,
    body: Value,
    verdict: Result<(), String>,
) -> Response {
    let mode = {
        let mut inner = inner.lock().expect("the fake's state");
        inner.received.push(Received { platform, body, verdict: verdict.clone() });
        inner.modes.get(platform).copied().unwrap_or(Mode::Answer)
    };
    let error = |code: i64, msg: String| match platform {
        "feishu" => json!({ "code": code, "msg": msg, "data": {} }),
        _ => json!({ "errcode": code, "errmsg": msg }),
    };
    match (mode, verdict) {
        (Mode::Broken, _) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
        (Mode::Hang, _) => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Json(error(0, "ok".into())).into_response()
        }
        (_, Err(why)) => {
            let (code, msg) = why.split_once(' ').unwrap_or(("1", why.as_str()));
            Json(error(code.parse().unwrap_or(1), msg.to_string())).into_response()
        }
        (Mode::Refuse, Ok(())) => {
            let echoed = format!(
                "invalid webhook url {WECOM_KEY} {DINGTALK_TOKEN} {DINGTALK_SECRET} {FEISHU_TOKEN} {FEISHU_SECRET}"
            );
            Json(error(93000, echoed)).into_response()
        }
        (Mode::Answer, Ok(())) if platform == "feishu" => {
            Json(json!({ "code": 0, "msg": "success", "data": {} })).into_response()
        }
        (Mode::Answer, Ok(())) => Json(error(0, "ok".into())).into_response(),
    }
}

fn parsed(raw: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(raw).map_err(|_| "40001 body is not JSON".to_string())
}

async fn wecom(State(inner): Shared, Query(q): Query<HashMap<String, String>>, raw: Bytes) -> Response {
    let body = parsed(&raw).unwrap_or(Value::Null);
    let verdict = parsed(&raw).and_then(|b| check_wecom(&q, &b));
    answer(&inner, "wecom", body, verdict).await
}

async fn dingtalk(State(inner): Shared, Query(q): Query<HashMap<String, String>>, raw: Bytes) -> Response {
    let body = parsed(&raw).unwrap_or(Value::Null);
    let verdict = parsed(&raw).and_then(|b| check_dingtalk(&q, &b));
    answer(&inner, "dingtalk", body, verdict).await
}

async fn feishu(State(inner): Shared, uri: Uri, raw: Bytes) -> Response {
    let token = uri.path().rsplit('/').next().unwrap_or("").to_string();
    let body = parsed(&raw).unwrap_or(Value::Null);
    let verdict = parsed(&raw).and_then(|b| check_feishu(&token, &raw, &b));
    answer(&inner, "feishu", body, verdict).await
}
