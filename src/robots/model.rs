//! The words of group robots without a database: the platforms and where their webhooks
//! live, what a group may be told (topics), a webhook checked and shown masked, and a
//! message as the portal writes it before any platform's format.

use reqwest::Url;

/// The chat platform of a robot (`group_robot.platform`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Platform {
    /// 企业微信 group robot: the key in the query, no signing.
    Wecom,
    /// 钉钉 custom robot: the access token in the query, optional signing (加签).
    Dingtalk,
    /// 飞书 (Lark) custom bot: the token as the path's last segment, optional signing (签名校验).
    Feishu,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Wecom, Platform::Dingtalk, Platform::Feishu];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Wecom => "wecom",
            Platform::Dingtalk => "dingtalk",
            Platform::Feishu => "feishu",
        }
    }
    pub fn parse(s: &str) -> Option<Platform> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// The hosts its webhooks live at (飞书's international edition, Lark, too).
    fn hosts(self) -> &'static [&'static str] {
        match self {
            Platform::Wecom => &["qyapi.weixin.qq.com"],
            Platform::Dingtalk => &["oapi.dingtalk.com"],
            Platform::Feishu => &["open.feishu.cn", "open.larksuite.com"],
        }
    }
    /// Whether the platform signs requests with a secret.
    pub fn signs(self) -> bool {
        !matches!(self, Platform::Wecom)
    }
}

/// What a group may be told (`group_robot.topics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// A new lost-and-found bulletin.
    Bulletins,
    /// A reception day announced, its time or place changed.
    Reception,
    /// New minutes of a reception day, and updates on commitments.
    Minutes,
    /// An event taking applications, and its draw.
    Events,
    /// Inspection results and rankings published.
    Inspections,
}

impl Topic {
    pub const ALL: [Topic; 5] = [Topic::Bulletins, Topic::Reception, Topic::Minutes, Topic::Events, Topic::Inspections];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Bulletins => "bulletins",
            Topic::Reception => "reception",
            Topic::Minutes => "minutes",
            Topic::Events => "events",
            Topic::Inspections => "inspections",
        }
    }
    pub fn parse(s: &str) -> Option<Topic> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
    /// The form's checkbox for this topic.
    pub fn field(self) -> &'static str {
        match self {
            Topic::Bulletins => "topic_bulletins",
            Topic::Reception => "topic_reception",
            Topic::Minutes => "topic_minutes",
            Topic::Events => "topic_events",
            Topic::Inspections => "topic_inspections",
        }
    }
}

/// An announcement as the portal words it: a title line, a few lines, and a path of the
/// portal to link back to (the sender makes it absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
    pub link: String,
    /// How long the message waits in the outbox for more with its title and link to join it
    /// as further lines (0: sent at once). Minutes are recorded one question after another
    /// during a reception day: one message every few minutes, not one per question.
    pub gather_secs: i32,
}

/// How long a reception day's minutes gather before the groups are told.
pub const MINUTES_GATHER_SECS: i32 = 300;

/// Why a pasted webhook is refused (catalogue keys, shown beside the field).
pub mod refusal {
    pub const INVALID: &str = "form.robots.url.invalid";
    pub const NOT_PLATFORM: &str = "form.robots.url.platform";
    pub const NO_KEY: &str = "form.robots.url.key";
}

/// A webhook of `platform`: https at the platform's host with its path and key, or, when
/// `loopback` is allowed (tests, local trials), the same over http at a loopback address.
pub fn check_webhook(raw: &str, platform: Platform, loopback: bool) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 500 || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refusal::INVALID);
    }
    let url = Url::parse(raw).map_err(|_| refusal::INVALID)?;
    let host = url.host_str().ok_or(refusal::INVALID)?;
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Err(refusal::INVALID);
    }
    let at_platform = url.scheme() == "https" && url.port().is_none() && platform.hosts().contains(&host);
    let allowed = at_platform || (loopback && is_loopback(&url));
    if !allowed {
        return Err(refusal::NOT_PLATFORM);
    }
    if key_of(&url, platform).is_none_or(|k| k.len() < 8) {
        return Err(refusal::NO_KEY);
    }
    Ok(url.to_string())
}

/// http(s) to 127.0.0.0/8, ::1 or localhost.
pub fn is_loopback(url: &Url) -> bool {
    let loopback_host = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    loopback_host && matches!(url.scheme(), "http" | "https")
}

/// Whether a stored webhook may be called now: at its platform's host, or at loopback when allowed.
pub fn may_call(url: &Url, platform: Platform, loopback: bool) -> bool {
    let at_platform = url.scheme() == "https" && url.host_str().is_some_and(|h| platform.hosts().contains(&h));
    at_platform || (loopback && is_loopback(url))
}

/// The key that opens the chat: the query's `key` (企业微信), `access_token` (钉钉), or the
/// path's last segment after `/open-apis/bot/v2/hook/` (飞书).
pub(super) fn key_of(url: &Url, platform: Platform) -> Option<String> {
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let key = match platform {
        Platform::Wecom if url.path() == "/cgi-bin/webhook/send" => query("key"),
        Platform::Dingtalk if url.path() == "/robot/send" => query("access_token"),
        Platform::Feishu => url.path().strip_prefix("/open-apis/bot/v2/hook/").map(str::to_string),
        _ => None,
    }?;
    let plain = key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (plain && !key.is_empty()).then_some(key)
}

/// The webhook as a page may show it: where it goes, with its key cut to its last four
/// characters (enough to tell two robots apart, too little to use).
pub fn masked(raw: &str, platform: Platform) -> String {
    let Ok(url) = Url::parse(raw) else { return "••••".into() };
    let key = key_of(&url, platform).unwrap_or_default();
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let shown = format!("••••{tail}");
    let origin = url.origin().ascii_serialization();
    match platform {
        Platform::Wecom => format!("{origin}{}?key={shown}", url.path()),
        Platform::Dingtalk => format!("{origin}{}?access_token={shown}", url.path()),
        Platform::Feishu => format!("{origin}/open-apis/bot/v2/hook/{shown}"),
    }
}

/// A signing secret as pasted: 钉钉's start with `SEC`; both platforms' are letters and digits.
pub fn check_secret(raw: &str, platform: Platform) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    if !platform.signs() {
        return Err("form.robots.secret.none");
    }
    let plain = s.len() <= 200 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !plain || (platform == Platform::Dingtalk && !s.starts_with("SEC")) {
        return Err("form.robots.secret.invalid");
    }
    Ok(s.to_string())
}

/// Anything that would read as a link or markup in a chat's Markdown, replaced by its
/// full-width twin (a title typed by a department cannot turn into a link elsewhere).
pub fn plain(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            '(' => '（',
            ')' => '）',
            '<' => '＜',
            '>' => '＞',
            '*' => '＊',
            '`' => '｀',
            '#' => '＃',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// At most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
