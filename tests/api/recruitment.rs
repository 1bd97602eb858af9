//! Recruitment over the real router: applying in order of preference up to the round's
//! number (verified accounts, within the window), each department reading only its own
//! applicants and notes, interview slots to capacity, a round opened and a position with
//! the department's own questions. Offers are in `recruitment_offers`.

use axum::http::StatusCode;

use crate::helpers::Recruiting;

#[tokio::test]
async fn a_student_applies_in_order_of_preference_up_to_the_rounds_number() {
    let r = Recruiting::open(2, 5).await;
    let mut s = r.student("2026781001").await;
    assert_eq!(r.apply(&mut s, "rights", "1").await.status, StatusCode::SEE_OTHER);

    let again = r.apply(&mut s, "rights", "2").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.field_error("preference").as_deref(), Some("你已经报名了这个部门。"));
    let taken = r.apply(&mut s, "publicity", "1").await;
    assert_eq!(taken.field_error("preference").as_deref(), Some("这个志愿已经用过了，请选择其他志愿。"));
    assert!(taken.body.contains("我想为同学们服务。"), "the typed statement is kept");
    let beyond = r.apply(&mut s, "news", "3").await;
    assert_eq!(beyond.status, StatusCode::UNPROCESSABLE_ENTITY, "a third choice in a round of two");
    assert_eq!(r.apply(&mut s, "publicity", "2").await.status, StatusCode::SEE_OTHER);
    assert_eq!(r.app.scalar("select count(*) from recruitment_application").await, 2);
    assert_eq!(r.app.notified("2026781001", "notify.recruitment.applied").await, 2, "each application confirmed");

    let mine = s.get("/me/applications").await;
    assert!(mine.body.contains("第1志愿") && mine.body.contains("第2志愿"), "{}", mine.body);
    let publicity = r.application("2026781001", "publicity").await;
    let w = s.post_form(&format!("/me/applications/{publicity}/withdraw"), &[]).await;
    assert_eq!(w.status, StatusCode::SEE_OTHER);
    assert_eq!(r.apply(&mut s, "news", "2").await.status, StatusCode::SEE_OTHER, "a withdrawn choice frees its place");

    let mut other = r.student("2026781002").await;
    let theirs = other.post_form(&format!("/me/applications/{publicity}/withdraw"), &[]).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "someone else's application is not there");

    r.app.execute("update app_user set verified_by = null, verified_at = null where student_no = '2026781002'").await;
    let unverified = r.apply(&mut other, "rights", "1").await;
    assert_eq!(unverified.status, StatusCode::CONFLICT);
    assert!(unverified.body.contains("报名需要先验证学号"), "{}", unverified.body);
    r.app
        .execute(
            "update recruitment_round set closes_at = now() - interval '1 minute', opens_at = now() - interval '1 day'",
        )
        .await;
    let mut late = r.student("2026781003").await;
    assert_eq!(r.apply(&mut late, "rights", "1").await.status, StatusCode::CONFLICT, "the window is closed");
    assert_eq!(r.app.scalar("select count(*) from recruitment_application where status <> 'withdrawn'").await, 2);
}

#[tokio::test]
async fn a_department_reads_only_its_own_applicants_and_the_presidium_only_the_counts() {
    let mut r = Recruiting::open(2, 5).await;
    let mut s = r.student("2026781101").await;
    let statement = [("preference", "1"), ("statement", "我做过班级宣传委员，会剪视频。")];
    let path = format!("/recruitment/positions/{}/apply", r.positions["rights"]);
    assert_eq!(s.post_form(&path, &statement).await.status, StatusCode::SEE_OTHER);
    let id = r.application("2026781101", "rights").await;

    let rights = r.heads.get_mut("rights").unwrap();
    let desk = rights.get("/d/rights/recruitment").await;
    assert!(desk.body.contains("2026781101"), "{}", desk.body);
    let page = rights.get(&format!("/d/rights/recruitment/applications/{id}")).await;
    assert!(page.body.contains("会剪视频"));

    let publicity = r.heads.get_mut("publicity").unwrap();
    assert!(!publicity.get("/d/publicity/recruitment").await.body.contains("2026781101"));
    let through_own = publicity.get(&format!("/d/publicity/recruitment/applications/{id}")).await;
    assert_eq!(
        through_own.status,
        StatusCode::NOT_FOUND,
        "another department's application is not found through this one"
    );
    let note =
        publicity.post_form(&format!("/d/publicity/recruitment/applications/{id}/notes"), &[("body", "看过了")]).await;
    assert_eq!(note.status, StatusCode::NOT_FOUND);
    let decide = publicity
        .post_form(
            &format!("/d/publicity/recruitment/applications/{id}/decide"),
            &[("decision", "declined"), ("message", "不")],
        )
        .await;
    assert_eq!(decide.status, StatusCode::NOT_FOUND);
    assert_eq!(publicity.get(&format!("/d/rights/recruitment/applications/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(r.status(id).await, "applied");
    assert_eq!(r.app.scalar("select count(*) from recruitment_note").await, 0);

    r.app.create_user("2026781199", "主席团").await;
    r.app.grant_union("2026781199", "presidium").await;
    let mut presidium = r.app.browser_signed_in(r.app.user_id("2026781199").await).await;
    assert_eq!(presidium.get("/d/rights/recruitment").await.status, StatusCode::FORBIDDEN);
    let overview = presidium.get("/presidium/recruitment").await;
    assert!(overview.body.contains("权益服务部") && overview.body.contains("已报名"), "{}", overview.body);
    assert!(!overview.body.contains("会剪视频") && !overview.body.contains("2026781101"), "counts only");
}

#[tokio::test]
async fn interview_slots_fill_to_capacity_and_notes_stay_inside_the_department() {
    let mut r = Recruiting::open(2, 5).await;
    let rights = r.heads.get_mut("rights").unwrap();
    let starts = crate::helpers::local(chrono::Utc::now() + chrono::Duration::days(2));
    let round = r.round.to_string();
    let slot = [
        ("round_id", round.as_str()),
        ("starts_at", &starts),
        ("minutes", "20"),
        ("place", "学生活动中心301"),
        ("capacity", "1"),
    ];
    assert_eq!(rights.post_form("/d/rights/recruitment/slots", &slot).await.status, StatusCode::SEE_OTHER);
    let past = crate::helpers::local(chrono::Utc::now() - chrono::Duration::days(1));
    let bad = [
        ("round_id", round.as_str()),
        ("starts_at", &past),
        ("minutes", "20"),
        ("place", "学生活动中心302"),
        ("capacity", "0"),
    ];
    let refused = rights.post_form("/d/rights/recruitment/slots", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_error("starts_at").as_deref(), Some("面试时间必须在将来。"));
    assert!(refused.field_error("capacity").is_some() && refused.body.contains("学生活动中心302"));
    let slot_id = r.app.scalar("select slot_id from recruitment_slot").await.to_string();

    let (mut a, mut b) = (r.student("2026781201").await, r.student("2026781202").await);
    r.apply(&mut a, "rights", "1").await;
    r.apply(&mut b, "rights", "1").await;
    let (ida, idb) = (r.application("2026781201", "rights").await, r.application("2026781202", "rights").await);
    let book = |id: i64| format!("/me/applications/{id}/slot");
    assert_eq!(a.post_form(&book(ida), &[("slot_id", &slot_id)]).await.status, StatusCode::SEE_OTHER);
    let full = b.post_form(&book(idb), &[("slot_id", &slot_id)]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(full.body.contains("这个时间已约满"), "{}", full.body);
    assert!(a.get("/me/applications").await.body.contains("学生活动中心301"));

    let rights = r.heads.get_mut("rights").unwrap();
    let at = format!("/d/rights/recruitment/applications/{ida}/notes");
    let bad = rights.post_form(&at, &[("score", "11"), ("body", "表达清楚，有经验")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.field_error("score").is_some() && bad.body.contains("表达清楚，有经验"));
    assert_eq!(
        rights.post_form(&at, &[("score", "8"), ("body", "表达清楚，有经验")]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = rights.get(&format!("/d/rights/recruitment/applications/{ida}")).await;
    assert!(page.body.contains("表达清楚，有经验"));
    assert!(!a.get("/me/applications").await.body.contains("表达清楚"), "the student never sees the notes");
}

#[tokio::test]
async fn the_presidium_opens_a_round_and_a_department_publishes_a_position_with_its_own_questions() {
    let mut r = Recruiting::open(2, 3).await;
    r.app.create_user("2026781699", "主席团").await;
    r.app.grant_union("2026781699", "presidium").await;
    let mut presidium = r.app.browser_signed_in(r.app.user_id("2026781699").await).await;
    let now = chrono::Utc::now();
    let at = |days: i64| crate::helpers::local(now + chrono::Duration::days(days));
    let (opens, closes, answer) = (at(1), at(8), at(5));
    let form = [
        ("title", "2027春季招新"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("answer_by", &answer),
        ("max_choices", "2"),
        ("term_name", ""),
    ];
    let bad = presidium.post_form("/presidium/recruitment", &form).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.field_error("answer_by").as_deref(), Some("答复截止不能早于报名截止。"));
    assert!(bad.body.contains("value=\"2027春季招新\""));
    let answer = at(10);
    let form = [
        ("title", "2027春季招新"),
        ("opens_at", &opens),
        ("closes_at", &closes),
        ("answer_by", &answer),
        ("max_choices", "2"),
        ("term_name", ""),
    ];
    assert_eq!(presidium.post_form("/presidium/recruitment", &form).await.status, StatusCode::SEE_OTHER);
    assert_eq!(r.app.scalar("select count(*) from recruitment_round").await, 2);

    // The rights head attaches one of the department's questionnaires; another department's is refused.
    let survey = |slug: &str, series: i64| {
        format!(
            "insert into survey (series_id, department_id, title, opens_at, closes_at, audience, identity)
             select {series}, department_id, '报名问题', now(), now() + interval '30 days', 'students', 'named'
             from department where slug = '{slug}' returning survey_id"
        )
    };
    let own = r.app.scalar(&survey("rights", -1)).await;
    let foreign = r.app.scalar(&survey("publicity", -2)).await;
    r.app.execute(&format!("update survey set series_id = survey_id where survey_id in ({own}, {foreign})")).await;
    r.app.execute(&format!("insert into survey_question (survey_id, position, kind, prompt, options, required) values ({own}, 1, 'single', '能否参加周末值班', '{{能,不能}}', true)")).await;
    let round = r.round.to_string();
    let rights = r.heads.get_mut("rights").unwrap();
    for (survey, expect) in [(foreign, StatusCode::UNPROCESSABLE_ENTITY), (own, StatusCode::SEE_OTHER)] {
        let survey = survey.to_string();
        let form = [("round_id", round.as_str()), ("title", "宣传干事"), ("places", "2"), ("survey_id", &survey)];
        assert_eq!(rights.post_form("/d/rights/recruitment/positions", &form).await.status, expect);
    }
    let position_id = r.app.scalar("select position_id from recruitment_position where title = '宣传干事'").await;

    let mut s = r.student("2026781601").await;
    let listed = s.get("/surveys").await.body;
    assert!(
        !listed.contains(&format!("/surveys/{own}\"")),
        "a position's questions are not a questionnaire of their own"
    );
    assert!(listed.contains(&format!("/surveys/{foreign}\"")), "another questionnaire is listed");
    // Nor answered on their own, apart from an application: the page says where, the answer is refused.
    let question = r.app.scalar(&format!("select question_id from survey_question where survey_id = {own}")).await;
    let field = format!("q{question}");
    let alone = s.get(&format!("/surveys/{own}")).await;
    assert!(alone.body.contains("岗位页面报名时") && !alone.body.contains("/answer\""), "{}", alone.body);
    let answered = s.post_form(&format!("/surveys/{own}/answer"), &[(field.as_str(), "0")]).await;
    assert_eq!(answered.status, StatusCode::CONFLICT);
    assert_eq!(r.app.scalar(&format!("select count(*) from survey_response where survey_id = {own}")).await, 0);
    let page = s.get(&format!("/recruitment/positions/{position_id}")).await;
    assert!(page.body.contains("能否参加周末值班"), "{}", page.body);
    let apply = format!("/recruitment/positions/{position_id}/apply");
    let missing = s.post_form(&apply, &[("preference", "1"), ("statement", "擅长海报设计")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("擅长海报设计"), "the statement is kept");
    let done = s.post_form(&apply, &[("preference", "1"), ("statement", "擅长海报设计"), (&field, "0")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let id = r.app.scalar("select application_id from recruitment_application").await;
    let rights = r.heads.get_mut("rights").unwrap();
    let page = rights.get(&format!("/d/rights/recruitment/applications/{id}")).await;
    assert!(page.body.contains("能否参加周末值班") && page.body.contains("能"), "{}", page.body);
}
