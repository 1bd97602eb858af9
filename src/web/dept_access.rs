//! The department role middleware. Every staff page lives under `/d/{dept}/…`;
//! each route group declares what it needs (a role, and the desk the pages belong
//! to), and this middleware resolves the department and the current user's role in
//! it (this term) before any handler runs. Handlers take `DeptAccess` and do not
//! re-check roles; what a role may see of one object is repeated in the SQL
//! (`fetch_*_of_department(id, department_id)`).
//!
//! Anonymous → login and back; unknown department → 404; too low a role → 403;
//! a department without the group's desk → 404 (it has no such pages).

use std::sync::Arc;

use axum::{
    extract::{FromRequestParts, RawPathParams, Request, State},
    http::request::Parts,
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::context::{RequestContext, Viewer};
use crate::{app::AppState, error::AppError};

/// member (部员) < vice_head (副部长) < head (部长).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeptRole {
    Member,
    ViceHead,
    Head,
}

impl DeptRole {
    pub fn as_str(self) -> &'static str {
        match self {
            DeptRole::Member => "member",
            DeptRole::ViceHead => "vice_head",
            DeptRole::Head => "head",
        }
    }
    pub fn parse(s: &str) -> Option<DeptRole> {
        match s {
            "member" => Some(DeptRole::Member),
            "vice_head" => Some(DeptRole::ViceHead),
            "head" => Some(DeptRole::Head),
            _ => None,
        }
    }
    /// Catalogue key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            DeptRole::Member => "role.member",
            DeptRole::ViceHead => "role.vice_head",
            DeptRole::Head => "role.head",
        }
    }
}

/// Who may use a route group.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// At least this role in the department, or the presidium (which reads everything).
    Read(DeptRole),
    /// At least this role in the department; the presidium's reading right is not enough.
    Act(DeptRole),
    /// The presidium, from outside the department: it decides on a department's
    /// plans, and no one decides on their own department's.
    Presidium,
}

/// A desk a department runs by data (its `handles_complaints`, `runs_lost_found`,
/// `organises_reception`, `runs_events`, `runs_inspections`, `runs_lending` columns); a department without it has none of its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desk {
    Complaints,
    LostFound,
    Reception,
    Events,
    Inspections,
    Lending,
}

/// What a route group needs: a standing, and the desk its pages belong to, if any.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub need: Need,
    pub desk: Option<Desk>,
}

impl Need {
    /// This need, on the pages of a desk (`Need::Act(Member).at(Desk::LostFound)`).
    pub const fn at(self, desk: Desk) -> Rule {
        Rule { need: self, desk: Some(desk) }
    }
}

impl From<Need> for Rule {
    fn from(need: Need) -> Rule {
        Rule { need, desk: None }
    }
}

#[derive(Debug, Clone)]
pub struct Department {
    pub department_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub handles_complaints: bool,
    pub runs_lost_found: bool,
    pub organises_reception: bool,
    pub runs_events: bool,
    pub runs_inspections: bool,
    pub runs_lending: bool,
    /// Its place in lists.
    pub sort_order: i32,
}

impl Department {
    pub fn runs(&self, desk: Desk) -> bool {
        match desk {
            Desk::Complaints => self.handles_complaints,
            Desk::LostFound => self.runs_lost_found,
            Desk::Reception => self.organises_reception,
            Desk::Events => self.runs_events,
            Desk::Inspections => self.runs_inspections,
            Desk::Lending => self.runs_lending,
        }
    }
}

/// The resolved department and the viewer's standing in it.
#[derive(Debug, Clone)]
pub struct DeptAccess {
    pub dept: Arc<Department>,
    pub viewer: Arc<Viewer>,
    /// The viewer's role in this department this term; `None` for a presidium reader.
    pub role: Option<DeptRole>,
}

impl DeptAccess {
    pub fn is_at_least(&self, role: DeptRole) -> bool {
        self.role.is_some_and(|r| r >= role)
    }
    /// Whether the viewer meets a route group's need here: for what a page shows
    /// (a button, a link, the audit trail), by the same rule the route groups apply.
    pub fn may(&self, need: Need) -> bool {
        allows(&self.viewer, &self.dept.slug, need)
    }
}

pub fn allows(viewer: &Viewer, slug: &str, need: Need) -> bool {
    let role = viewer.role_in(slug);
    match need {
        Need::Read(min) => role.is_some_and(|r| r >= min) || viewer.is_presidium,
        Need::Act(min) => role.is_some_and(|r| r >= min),
        Need::Presidium => viewer.is_presidium && role.is_none(),
    }
}

/// A route group guarded by the department role middleware.
pub fn guarded(state: &AppState, rule: impl Into<Rule>, routes: axum::Router<AppState>) -> axum::Router<AppState> {
    let rule = rule.into();
    routes.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        move |s: State<AppState>, req: Request, next: Next| require_dept(s, rule, req, next),
    ))
}

pub async fn require_dept(State(state): State<AppState>, rule: Rule, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    match resolve(&state, rule, &mut parts).await {
        Ok(access) => {
            parts.extensions.insert(access);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(e) => {
            if matches!(e, AppError::Forbidden) {
                tracing::warn!(path = parts.uri.path(), "denied: department role too low");
            }
            e.into_response()
        }
    }
}

async fn resolve(state: &AppState, rule: Rule, parts: &mut Parts) -> Result<DeptAccess, AppError> {
    let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
    let slug = params.iter().find(|(k, _)| *k == "dept").map(|(_, v)| v.to_string()).ok_or(AppError::NotFound)?;
    let ctx = parts.extensions.get::<RequestContext>().ok_or(AppError::Forbidden)?;
    let dept = department_in_use(state, &slug).await?.ok_or(AppError::NotFound)?;
    let viewer = ctx.viewer.clone().ok_or_else(|| AppError::Unauthenticated(ctx.path.clone()))?;
    if !allows(&viewer, &slug, rule.need) {
        return Err(AppError::Forbidden);
    }
    // After the role, as the pages answered before the desk moved here: a
    // stranger learns nothing (403), a member of a department without the desk finds no page (404).
    if rule.desk.is_some_and(|desk| !dept.runs(desk)) {
        return Err(AppError::NotFound);
    }
    Ok(DeptAccess { role: viewer.role_in(&slug), dept: Arc::new(dept), viewer })
}

/// The departments not archived, from the short-lived list in `Cached`: read by every
/// staff page and logged-in request (who may enter is decided by the viewer's roles,
/// read fresh; a department archived by another process stays open to its members
/// for at most those few seconds).
pub async fn departments_in_use(state: &AppState) -> sqlx::Result<std::sync::Arc<Vec<Department>>> {
    state.cached.departments.get_or_load((), || list_departments_in_use(&state.db)).await
}

/// The department with this slug, unless archived.
async fn department_in_use(state: &AppState, slug: &str) -> sqlx::Result<Option<Department>> {
    Ok(departments_in_use(state).await?.iter().find(|d| d.slug == slug).cloned())
}

/// The slug of a department (for links), from the same list; an archived one from the database.
pub async fn department_slug(state: &AppState, department_id: i64) -> sqlx::Result<String> {
    let all = departments_in_use(state).await?;
    match all.iter().find(|d| d.department_id == department_id) {
        Some(d) => Ok(d.slug.clone()),
        None => {
            sqlx::query_scalar!("select slug from department where department_id = $1", department_id)
                .fetch_one(&state.db)
                .await
        }
    }
}

pub async fn list_departments_in_use(db: impl sqlx::PgExecutor<'_>) -> sqlx::Result<Vec<Department>> {
    sqlx::query_as!(
        Department,
        "select department_id, slug, name_zh, name_en, handles_complaints, runs_lost_found, organises_reception, runs_events, runs_inspections, runs_lending, sort_order
         from department where archived_at is null order by sort_order"
    )
    .fetch_all(db)
    .await
}

impl<S: Send + Sync> FromRequestParts<S> for DeptAccess {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        // Only present behind `require_dept`; a handler mounted without it fails closed.
        parts.extensions.get::<DeptAccess>().cloned().ok_or(AppError::Forbidden)
    }
}

/// Union administrators only (`/admin/…`).
pub async fn require_admin(req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<RequestContext>() else {
        return AppError::Forbidden.into_response();
    };
    match &ctx.viewer {
        None => AppError::Unauthenticated(ctx.path.clone()).into_response(),
        Some(v) if v.is_admin => next.run(req).await,
        Some(_) => {
            tracing::warn!(path = req.uri().path(), "denied: not an administrator");
            AppError::Forbidden.into_response()
        }
    }
}

/// The presidium only (its union-wide pages, such as the plans overview).
pub async fn require_presidium(req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<RequestContext>() else {
        return AppError::Forbidden.into_response();
    };
    match &ctx.viewer {
        None => AppError::Unauthenticated(ctx.path.clone()).into_response(),
        Some(v) if v.is_presidium => next.run(req).await,
        Some(_) => {
            tracing::warn!(path = req.uri().path(), "denied: not the presidium");
            AppError::Forbidden.into_response()
        }
    }
}

#[cfg(test)]
#[path = "dept_access_tests.rs"]
mod tests;
