//! Tests of `web::page_cache`.

use super::*;

#[test]
fn every_placeholder_becomes_the_visitors_token() {
    let page = format!("<input value=\"{TOKEN_PLACEHOLDER}\"><p>x</p><input value=\"{TOKEN_PLACEHOLDER}\">");
    let out = with_token(&split(&Bytes::from(page)), "tok");
    assert_eq!(out, b"<input value=\"tok\"><p>x</p><input value=\"tok\">");
}

fn html(body: &'static [u8]) -> Option<Page> {
    Some(Page {
        parts: vec![Bytes::from_static(body)],
        content_type: HeaderValue::from_static("text/html"),
        cache_control: None,
    })
}

#[test]
fn a_page_is_keyed_on_the_parameters_it_reads_only() {
    assert_eq!(canonical("/", Some("x=1")), "/");
    assert_eq!(canonical("/complaints", None), "/complaints");
    assert_eq!(canonical("/complaints", Some("x=9&q=%E4&status=open&q=b")), "/complaints?status=open&q=%E4");
    assert_eq!(canonical("/complaints", Some("q=&status=")), "/complaints");
    assert_eq!(canonical("/feeds/lost-found.atom", Some("nocache=123")), "/feeds/lost-found.atom");
    assert_eq!(canonical("/events", Some("x=1&page=2")), "/events?page=2");
}

#[test]
fn a_full_cache_drops_the_pages_rendered_longest_ago() {
    let cache = PageCache::default();
    let lang = Lang::default();
    let big: &'static [u8] = Box::leak(vec![b'x'; MAX_BODY_BYTES].into_boxed_slice());
    let fit = MAX_TOTAL_BYTES / MAX_BODY_BYTES;
    for i in 0..fit {
        cache.put(lang, format!("/{i}"), html(big));
    }
    assert_eq!(cache.len(), fit);
    cache.put(lang, "/new".into(), html(big));
    assert!(matches!(cache.lookup(lang, "/new", Duration::from_secs(5)), Lookup::Page(_)));
    assert!(matches!(cache.lookup(lang, "/0", Duration::from_secs(5)), Lookup::Render), "the oldest went");
    let last = format!("/{}", fit - 1);
    assert!(matches!(cache.lookup(lang, &last, Duration::from_secs(5)), Lookup::Page(_)), "the newest stay");
    assert!(cache.len() > fit / 2);
}

#[test]
fn one_visitor_refreshes_a_stale_page_while_the_others_get_the_old_one() {
    let cache = PageCache::default();
    let lang = Lang::default();
    assert!(matches!(cache.lookup(lang, "/", Duration::from_secs(5)), Lookup::Render), "nothing cached");
    cache.put(lang, "/".into(), html(b"old"));
    assert!(matches!(cache.lookup(lang, "/", Duration::from_secs(5)), Lookup::Page(_)), "fresh");
    assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Render), "stale: this one renders");
    assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Page(_)), "the others get the old page");
    cache.put(lang, "/".into(), None);
    assert!(matches!(cache.lookup(lang, "/", Duration::ZERO), Lookup::Render), "a failed refresh lets another try");
    assert!(matches!(cache.lookup(lang, "/other", Duration::from_secs(5)), Lookup::Render));
}
