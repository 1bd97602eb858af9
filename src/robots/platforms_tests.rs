use super::*;

fn url(s: &str) -> Url {
    match Url::parse(s) {
        Ok(u) => u,
        Err(e) => panic!("{s} is a URL: {e}"),
    }
}

fn outgoing<'a>(title: &'a str, body: &'a str) -> Outgoing<'a> {
    Outgoing {
        title,
        body,
        link: "https://portal.example.edu/lost-found/bulletins/57",
        link_text: "查看详情",
        signature: "学生会门户",
    }
}

#[test]
fn signatures_match_the_platforms_published_algorithms() {
    // Computed with Python's hmac, as in each platform's documentation.
    assert_eq!(dingtalk_sign("1577262236757", "SECthisissecret"), "5q4b548N312N4pjSdO3kMfu43KzSAjl0odWcLyS2W1s=");
    assert_eq!(feishu_sign("1599360473", "demo0secret"), "9jEzZ9rT57q0BkRRoxvEFb//HQepOB9/YNpnuVR8avE=");
}

#[test]
fn a_signed_dingtalk_request_carries_the_timestamp_and_the_encoded_sign() {
    let hook = url("https://oapi.dingtalk.com/robot/send?access_token=abcdefgh12345678");
    let (to, body) = request(Platform::Dingtalk, &hook, "SECthisissecret", &outgoing("标题", "一行"), 1577262236757);
    assert_eq!(
        to.as_str(),
        "https://oapi.dingtalk.com/robot/send?access_token=abcdefgh12345678&timestamp=1577262236757&sign=5q4b548N312N4pjSdO3kMfu43KzSAjl0odWcLyS2W1s%3D"
    );
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(body["markdown"]["title"], "标题");
    let (unsigned, _) = request(Platform::Dingtalk, &hook, "", &outgoing("标题", "一行"), 1);
    assert_eq!(unsigned, hook, "no secret, no signature");
}

#[test]
fn a_signed_feishu_request_carries_seconds_and_the_sign_in_its_body() {
    let hook = url("https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh12345678");
    let (to, body) = request(Platform::Feishu, &hook, "demo0secret", &outgoing("标题", "一行\n两行"), 1599360473999);
    assert_eq!(to, hook);
    assert_eq!(body["timestamp"], "1599360473");
    assert_eq!(body["sign"], "9jEzZ9rT57q0BkRRoxvEFb//HQepOB9/YNpnuVR8avE=");
    assert_eq!(body["msg_type"], "post");
    let post = &body["content"]["post"]["zh_cn"];
    assert_eq!(post["title"], "标题");
    assert_eq!(post["content"][0][0]["text"], "一行");
    assert_eq!(post["content"][2][0]["href"], "https://portal.example.edu/lost-found/bulletins/57");
}

#[test]
fn a_wecom_message_is_markdown_with_a_link_back_and_no_injected_link() {
    let hook = url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678");
    let (to, body) = request(Platform::Wecom, &hook, "", &outgoing("第57期[失物](x)", "共 3 件"), 1);
    assert_eq!(to, hook);
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(
        body["markdown"]["content"],
        "## 第57期［失物］（x）\n共 3 件\n[查看详情](https://portal.example.edu/lost-found/bulletins/57)\n<font color=\"comment\">学生会门户</font>"
    );
}

#[test]
fn long_messages_are_cut_within_each_platforms_limit_and_keep_their_link() {
    let long = "宿舍卫生检查结果。".repeat(2_000);
    let hook = url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678");
    let (_, wecom) = request(Platform::Wecom, &hook, "", &outgoing("标题", &long), 1);
    let content = wecom["markdown"]["content"].as_str().unwrap_or("");
    assert!(content.len() <= WECOM_MAX_BYTES && content.len() > WECOM_MAX_BYTES - 8, "{}", content.len());
    assert!(content.contains("…\n[查看详情](https://portal.example.edu/lost-found/bulletins/57)"));
    let (_, ding) = request(Platform::Dingtalk, &hook, "", &outgoing("标题", &long), 1);
    let text = ding["markdown"]["text"].as_str().unwrap_or("");
    assert!(text.chars().count() <= DINGTALK_MAX_CHARS, "{}", text.chars().count());
    assert!(text.contains("[查看详情](https://portal.example.edu/lost-found/bulletins/57)"));
    let many_lines = vec!["一行很长的文字。".repeat(50); 200].join("\n");
    let (_, feishu) = request(Platform::Feishu, &hook, "SECret", &outgoing("标题", &many_lines), 1);
    let size = feishu.to_string().len();
    assert!(size < 20 * 1024, "{size}");
    assert!(feishu.to_string().contains("bulletins/57"));
}

#[test]
fn each_platforms_answer_is_read_its_own_way() {
    assert_eq!(accepted(Platform::Wecom, &json!({"errcode": 0, "errmsg": "ok"})), Ok(()));
    assert_eq!(
        accepted(Platform::Dingtalk, &json!({"errcode": 310000, "errmsg": "sign not match"})),
        Err(Some("310000 sign not match".into()))
    );
    assert_eq!(accepted(Platform::Feishu, &json!({"code": 0, "msg": "success"})), Ok(()));
    assert_eq!(accepted(Platform::Feishu, &json!({"StatusCode": 0})), Ok(()));
    assert_eq!(
        accepted(Platform::Feishu, &json!({"code": 19021, "msg": "sign match fail"})),
        Err(Some("19021 sign match fail".into()))
    );
    assert_eq!(accepted(Platform::Wecom, &json!({"ok": true})), Err(None));
}
