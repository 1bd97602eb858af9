//! Open311 GeoReport v2 over the real router: the categories as services, public
//! complaints as service requests with the spec's fields, its filters (status, service
//! code, dates, ids), and one request as a list of one.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::Value;

use crate::helpers::{Browser, TestApp, TestResponse};

fn json(r: &TestResponse) -> Value {
    match serde_json::from_str(&r.body) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", r.body),
    }
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap().to_string()).collect()
}

async fn student(app: &TestApp) -> Browser {
    let id = app.create_user("2026810001", "报修的同学").await;
    app.browser_signed_in(id).await
}

#[tokio::test]
async fn the_complaint_categories_are_the_services() {
    let app = TestApp::spawn().await;
    let r = app.browser().get("/open311/v2/services.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let services = json(&r);
    let teaching =
        services.as_array().unwrap().iter().find(|s| s["service_code"] == "teaching").expect("教学 is a service");
    assert_eq!(teaching["metadata"], false);
    assert_eq!(teaching["type"], "realtime");
    for field in ["service_name", "description", "keywords", "group"] {
        assert!(teaching[field].as_str().is_some_and(|s| !s.is_empty()), "{field}: {teaching}");
    }
}

#[tokio::test]
async fn public_complaints_are_service_requests_with_the_specs_fields() {
    let app = TestApp::spawn().await;
    let mut b = student(&app).await;
    let no = app.complaint().by(&mut b).file().await;
    let private = app.complaint().title("不公开的").private().by(&mut b).file().await;
    let list = json(&app.browser().get("/open311/v2/requests.json").await);
    assert_eq!(ids(&list), [no.as_str()], "the private complaint is not listed");
    let r = &list[0];
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "teaching");
    assert!(r["description"].as_str().unwrap().contains("吊扇"));
    assert!(r["agency_responsible"].as_str().is_some_and(|a| !a.is_empty()));
    assert_eq!(r["address"], "教学楼3号楼 301");
    for field in ["requested_datetime", "updated_datetime"] {
        assert!(chrono::DateTime::parse_from_rfc3339(r[field].as_str().unwrap()).is_ok(), "{field} is W3C");
    }
    let one = app.browser().get(&format!("/open311/v2/requests/{no}.json")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(ids(&json(&one)), [no.as_str()], "a list of one");
    assert_eq!(app.browser().get(&format!("/open311/v2/requests/{private}.json")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.browser().get(&format!("/open311/v2/requests/{no}")).await.status,
        StatusCode::NOT_FOUND,
        ".json it is"
    );
}

#[tokio::test]
async fn requests_are_filtered_by_status_code_dates_and_ids() {
    let app = TestApp::spawn().await;
    let mut b = student(&app).await;
    let recent = app.complaint().by(&mut b).file().await;
    let old = app.complaint().title("去年的").by(&mut b).file().await;
    app.complaint_filed_at(&old, Utc::now() - Duration::days(200)).await;
    let mut api = app.browser();
    let get = |v: TestResponse| json(&v);
    assert_eq!(ids(&get(api.get("/open311/v2/requests.json").await)), [recent.as_str()], "the last 90 days");
    assert_eq!(ids(&get(api.get("/open311/v2/requests.json?status=open").await)), [recent.as_str()]);
    assert!(ids(&get(api.get("/open311/v2/requests.json?status=closed").await)).is_empty());
    assert!(ids(&get(api.get("/open311/v2/requests.json?service_code=canteen").await)).is_empty());
    let start = (Utc::now() - Duration::days(210)).format("%Y-%m-%d");
    let end = (Utc::now() - Duration::days(150)).format("%Y-%m-%dT00:00:00Z");
    let range = get(api.get(&format!("/open311/v2/requests.json?start_date={start}&end_date={end}")).await);
    assert_eq!(ids(&range), [old.as_str()]);
    let both = get(api.get(&format!("/open311/v2/requests.json?service_request_id={old},{recent}")).await);
    assert_eq!(ids(&both).len(), 2, "ids ignore the date range");
}
