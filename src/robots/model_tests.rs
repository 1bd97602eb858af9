use super::*;

const WECOM: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const DINGTALK: &str = "https://oapi.dingtalk.com/robot/send?access_token=c1f2e3d4b5a697887766554433221100ffeeddcc";
const FEISHU: &str = "https://open.feishu.cn/open-apis/bot/v2/hook/2d9a5f0e-1234-4c1b-9a7e-3f0c8b6d1e2a";

#[test]
fn each_platforms_own_webhook_is_accepted() {
    assert_eq!(check_webhook(WECOM, Platform::Wecom, false), Ok(WECOM.to_string()));
    assert_eq!(check_webhook(DINGTALK, Platform::Dingtalk, false), Ok(DINGTALK.to_string()));
    assert_eq!(check_webhook(&format!("  {FEISHU}\n"), Platform::Feishu, false), Ok(FEISHU.to_string()));
    let lark = FEISHU.replace("open.feishu.cn", "open.larksuite.com");
    assert_eq!(check_webhook(&lark, Platform::Feishu, false), Ok(lark.clone()));
}

#[test]
fn a_webhook_elsewhere_or_of_another_platform_is_refused() {
    use refusal::*;
    for (url, platform, why) in [
        (WECOM, Platform::Dingtalk, NOT_PLATFORM),
        (DINGTALK, Platform::Feishu, NOT_PLATFORM),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=12345678", Platform::Wecom, NOT_PLATFORM),
        ("https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=12345678", Platform::Wecom, NOT_PLATFORM),
        ("https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=12345678", Platform::Wecom, NOT_PLATFORM),
        ("http://127.0.0.1:9/cgi-bin/webhook/send?key=12345678", Platform::Wecom, NOT_PLATFORM),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", Platform::Wecom, NO_KEY),
        ("https://qyapi.weixin.qq.com/cgi-bin/other?key=12345678", Platform::Wecom, NO_KEY),
        ("https://oapi.dingtalk.com/robot/send?access_token=short", Platform::Dingtalk, NO_KEY),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/", Platform::Feishu, NO_KEY),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/abc/../../x12345678", Platform::Feishu, NO_KEY),
        ("https://user:pw@oapi.dingtalk.com/robot/send?access_token=12345678", Platform::Dingtalk, INVALID),
        ("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=12345678", Platform::Wecom, INVALID),
        ("javascript:alert(1)", Platform::Wecom, INVALID),
        ("", Platform::Wecom, INVALID),
        ("https://open.feishu.cn/open-apis/bot/v2/hook/a b", Platform::Feishu, INVALID),
    ] {
        assert_eq!(check_webhook(url, platform, false), Err(why), "{url}");
    }
}

#[test]
fn loopback_is_accepted_only_when_allowed() {
    let local = "http://127.0.0.1:4321/robot/send?access_token=test-token-1";
    assert_eq!(check_webhook(local, Platform::Dingtalk, false), Err(refusal::NOT_PLATFORM));
    assert_eq!(check_webhook(local, Platform::Dingtalk, true), Ok(local.to_string()));
    let v6 = "http://[::1]:4321/open-apis/bot/v2/hook/test-token-2";
    assert_eq!(check_webhook(v6, Platform::Feishu, true), Ok(v6.to_string()));
    let elsewhere = "http://10.0.0.1:4321/robot/send?access_token=test-token-1";
    assert_eq!(check_webhook(elsewhere, Platform::Dingtalk, true), Err(refusal::NOT_PLATFORM));
}

#[test]
fn a_masked_webhook_keeps_four_characters_of_its_key() {
    assert_eq!(masked(WECOM, Platform::Wecom), "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••5aaa");
    assert_eq!(masked(DINGTALK, Platform::Dingtalk), "https://oapi.dingtalk.com/robot/send?access_token=••••ddcc");
    assert_eq!(masked(FEISHU, Platform::Feishu), "https://open.feishu.cn/open-apis/bot/v2/hook/••••1e2a");
    for (url, platform) in [(WECOM, Platform::Wecom), (DINGTALK, Platform::Dingtalk), (FEISHU, Platform::Feishu)] {
        let key_start = &url[url.len() - 12..url.len() - 4];
        assert!(!masked(url, platform).contains(key_start), "{url}");
    }
    assert_eq!(masked("not a url", Platform::Wecom), "••••");
}

#[test]
fn secrets_are_checked_per_platform() {
    assert_eq!(check_secret("", Platform::Wecom), Ok(String::new()));
    assert_eq!(check_secret("SECabc", Platform::Wecom), Err("form.robots.secret.none"));
    assert_eq!(check_secret(" SEC0123abc ", Platform::Dingtalk), Ok("SEC0123abc".to_string()));
    assert_eq!(check_secret("0123abc", Platform::Dingtalk), Err("form.robots.secret.invalid"));
    assert_eq!(check_secret("abcDEF123", Platform::Feishu), Ok("abcDEF123".to_string()));
    assert_eq!(check_secret("abc def", Platform::Feishu), Err("form.robots.secret.invalid"));
    assert_eq!(check_secret("秘密", Platform::Feishu), Err("form.robots.secret.invalid"));
}

#[test]
fn plain_text_cannot_become_a_link_or_markup() {
    assert_eq!(
        plain("[点我](https://evil.example) <b>#1</b> *x* `y`"),
        "［点我］（https://evil.example） ＜b＞＃1＜/b＞ ＊x＊ ｀y｀"
    );
    assert_eq!(plain("第57期\n失物"), "第57期 失物");
    assert_eq!(clip("一二三四五", 3), "一二三…");
    assert_eq!(clip("一二三", 3), "一二三");
}

#[test]
fn topics_and_platforms_read_back_what_they_write() {
    for t in Topic::ALL {
        assert_eq!(Topic::parse(t.as_str()), Some(t));
        assert_eq!(t.field(), format!("topic_{}", t.as_str()));
    }
    for p in Platform::ALL {
        assert_eq!(Platform::parse(p.as_str()), Some(p));
    }
    assert_eq!(Topic::parse("test"), None);
}
