//! The application: state and the router every test and the binary share; the HTTP
//! server that serves it is in `serve`.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    extract::{ConnectInfo, DefaultBodyLimit, FromRef, Request, State},
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sqlx::PgPool;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::{
    accounts, accounts::password::Hasher, complaints, config::Config, departments, error::error_page, home, lost_found,
    notifications, offices, plans, reception, stats, web, web::ttl_cache::TtlCache,
};

pub mod reference_changes;
mod serve;
pub use serve::{serve, shutdown_signal, HEADER_READ_TIMEOUT};

/// What every handler shares, behind one `Arc`: axum clones the state for every
/// middleware and extractor of every request, and cloning a dozen `Arc`s and caches each
/// time was 4–5% of the portal's CPU on a simple page (`perf`, docs/benchmarks.md).
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;
    fn deref(&self) -> &SharedState {
        &self.0
    }
}

impl FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> PgPool {
        state.db.clone()
    }
}

pub struct SharedState {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub hasher: Hasher,
    /// The public statistics, computed at most every few minutes.
    pub stats: stats::Cache,
    /// Reference data and counts reused for a few seconds.
    pub cached: Cached,
    /// Public pages as anonymous visitors see them, for a second or two.
    pub pages: crate::web::page_cache::PageCache,
    pub limits: Arc<web::limits::Limiters>,
    /// The browsers' CSP reports: counted, and logged within a cap.
    pub csp: Arc<web::csp::CspReports>,
    /// Outgoing HTTP (the CAS server's ticket validation, group robots): short timeouts, no redirects followed.
    pub http: reqwest::Client,
    /// The read replica for anonymous visitors' public lists and searches, when configured
    /// (`db::replica`).
    pub replica: Option<crate::db::replica::ReadReplica>,
}

impl AppState {
    pub fn new(db: PgPool, config: Config) -> Self {
        Self::with_replica(db, config, None)
    }

    /// The state of a portal that sends anonymous visitors' lists and searches to `replica`.
    pub fn with_replica(db: PgPool, config: Config, replica: Option<crate::db::replica::ReadReplica>) -> Self {
        Self(Arc::new(SharedState {
            limits: Arc::new(web::limits::Limiters::new(&db, &config.rate_limits)),
            db,
            cached: Cached::new(config.page_cache),
            config: Arc::new(config),
            hasher: Hasher::new(),
            stats: stats::Cache::default(),
            pages: Default::default(),
            csp: Default::default(),
            http: outgoing_http(),
            replica,
        }))
    }
}

/// What many pages read and few requests change, kept for a few seconds (see
/// `web::ttl_cache`). Authorization never reads from here: roles come fresh from
/// the database with the session on every request.
#[derive(Clone)]
pub struct Cached {
    /// Complaint categories, for forms and filters; cleared by the setup page, and in every
    /// process by `reference_changes` whoever changed them.
    pub categories: TtlCache<(), Vec<complaints::queries::Category>>,
    /// The school offices, for filters; cleared by the setup page.
    pub offices: TtlCache<(), Vec<complaints::queries::Office>>,
    /// Each promiser's record on the commitments board on a day; cleared in every process when
    /// a commitment is made or updated (`reference_changes`).
    pub commitment_records: TtlCache<chrono::NaiveDate, Vec<reception::queries::OfficeRecord>>,
    /// Each department's dashboard figures, per language (they count its whole history).
    pub dept_stats: TtlCache<(i64, web::Lang), crate::stats::DeptStats>,
    /// The departments in use, by slug, for the staff area; cleared by the admin pages.
    pub departments: TtlCache<(), Vec<web::dept_access::Department>>,
    /// Each department's members this term, for the queue's filters; cleared when roles change.
    pub members: TtlCache<i64, Vec<departments::queries::MemberRow>>,
    /// Open complaints per status and department.
    pub queue_counts: TtlCache<i64, Vec<complaints::queries::StatusCount>>,
    /// The first page of each department's open queue (and of what is overdue), as
    /// long as anonymous visitors share a public page: handlers reopen it all day.
    pub queue_first_pages: TtlCache<(i64, bool), Vec<complaints::queries::QueueRow>>,
    /// The working calendar (holidays, make-up working days); cleared by its admin page.
    pub calendar: TtlCache<(), crate::holidays::WorkCalendar>,
    /// Events taking applications, for the home page's cards (as long as a public page is shared).
    pub open_events: TtlCache<(), Vec<crate::events::queries::Event>>,
    /// Every collection point, for the lost-and-found list's filter and the bulletins.
    pub points: TtlCache<(), Vec<crate::lost_found::queries::Point>>,
    /// The latest lost-and-found bulletin's number, for the list's link to it.
    pub latest_bulletin: TtlCache<(), Option<i32>>,
    /// The dorm buildings, for the rankings' filter (`inspections::published`).
    pub dorm_buildings: TtlCache<(), Vec<crate::inspections::queries::rankings::BuildingName>>,
    /// The day of the latest published inspection round.
    pub inspections_latest: TtlCache<(), Option<chrono::NaiveDate>>,
    /// The colleges with rooms in a period's ranking (period, its first day).
    pub ranking_colleges: TtlCache<(&'static str, chrono::NaiveDate), Vec<String>>,
}

impl Cached {
    pub fn new(page_cache: Duration) -> Self {
        let few_seconds = Duration::from_secs(5);
        Self {
            categories: TtlCache::new(few_seconds),
            offices: TtlCache::new(few_seconds),
            dept_stats: TtlCache::new(Duration::from_secs(10)),
            commitment_records: TtlCache::new(few_seconds),
            departments: TtlCache::new(few_seconds),
            members: TtlCache::new(few_seconds),
            queue_counts: TtlCache::new(few_seconds),
            queue_first_pages: TtlCache::new(page_cache),
            open_events: TtlCache::new(page_cache),
            calendar: TtlCache::new(few_seconds),
            points: TtlCache::new(few_seconds),
            latest_bulletin: TtlCache::new(few_seconds),
            dorm_buildings: TtlCache::new(few_seconds),
            inspections_latest: TtlCache::new(few_seconds),
            ranking_colleges: TtlCache::new(few_seconds),
        }
    }
}

fn outgoing_http() -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none());
    // Building fails only when no TLS backend can start; the default client has the same one.
    builder.build().unwrap_or_default()
}

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .merge(home::router())
        .merge(accounts::router())
        .merge(departments::router())
        .merge(complaints::router())
        .merge(lost_found::router())
        .merge(reception::router())
        .merge(crate::events::router())
        .merge(crate::inspections::router())
        .merge(plans::router())
        .merge(plans::presidium_routes())
        .merge(notifications::router())
        .merge(crate::digest::router())
        .merge(stats::router())
        .merge(offices::router())
        .merge(crate::lending::router())
        .merge(crate::api::docs_router())
        .merge(complaints::presidium_routes())
        .merge(crate::surveys::router())
        .merge(crate::recruitment::router())
        .merge(crate::recruitment::presidium_routes())
        .nest(
            "/d/{dept}",
            departments::staff_routes(&state)
                .merge(complaints::staff_routes(&state))
                .merge(lost_found::staff_routes(&state))
                .merge(reception::staff_routes(&state))
                .merge(crate::events::staff_routes(&state))
                .merge(crate::inspections::staff_routes(&state))
                .merge(crate::robots::staff_routes(&state))
                .merge(plans::staff_routes(&state))
                .merge(crate::surveys::staff_routes(&state))
                .merge(crate::lending::staff_routes(&state))
                .merge(crate::recruitment::staff_routes(&state)),
        )
        .nest(
            "/admin",
            departments::admin_routes()
                .merge(complaints::admin_routes())
                .merge(crate::holidays::admin_routes())
                .route_layer(middleware::from_fn(web::dept_access::require_admin)),
        )
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), web::csrf::verify_csrf))
        // Before the CSRF check reads a photo form's body: a session, and a bound on large bodies.
        .layer(middleware::from_fn_with_state(
            crate::uploads::UploadGate::new(state.config.body_limit_bytes),
            crate::uploads::gate_uploads,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), web::context::load_context));
    // Forms read at most `body_limit_bytes` (extractors, CSRF check); only multipart
    // forms with photos may send up to `upload_limit_bytes`.
    let mut app = Router::new()
        .merge(pages)
        .route("/static/{name}", get(web::assets::serve_asset))
        .route("/manifest.webmanifest", get(web::manifest::serve_manifest))
        // Outside `pages`: browsers send reports without a session or CSRF token.
        .merge(web::csp::router())
        .merge(accounts::campus::back_channel())
        .layer(DefaultBodyLimit::max(state.config.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(state.config.upload_limit_bytes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.config.request_timeout))
        .layer(CatchPanicLayer::custom(|_| error_page(StatusCode::INTERNAL_SERVER_ERROR, None)))
        .layer(middleware::from_fn(web::error_pages::render_error_pages))
        // Outside `pages` and its error pages: no session, no CSRF, errors as JSON (its own layers).
        .merge(crate::api::router(state.config.request_timeout))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(CompressionLayer::new())
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, web::csp::POLICY))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "strict-origin-when-cross-origin"));
    if state.config.secure_cookies {
        app = app.layer(header_layer(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"));
    }
    let request_id = HeaderName::from_static("x-request-id");
    app.layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    // The path only: query strings may carry search words or tokens; an
                    // office invitation's token in its path is replaced too.
                    let path = offices::redacted_path(req.uri().path());
                    tracing::info_span!("request", id, method = %req.method(), path = %path)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// 200 when the database answers within two seconds, 503 otherwise.
async fn readyz(State(db): State<PgPool>) -> Response {
    let check = tokio::time::timeout(Duration::from_secs(2), crate::db::queries::ping(&db)).await;
    match check {
        Ok(Ok(_)) => (StatusCode::OK, "ready").into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], "database unavailable").into_response(),
    }
}

/// The client's address, for rate limits: the TCP peer, or the last hop of
/// X-Forwarded-For when the portal is told it sits behind a proxy.
pub fn client_ip(config: &Config, req: &axum::http::request::Parts) -> String {
    if config.trust_proxy {
        if let Some(ip) = req
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|v| v.parse::<std::net::IpAddr>().ok())
        {
            return ip.to_string();
        }
    }
    req.extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
