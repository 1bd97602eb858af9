//! Who is asking: the session's user with the roles of this term, read fresh on every
//! logged-in request in one lean query (the roles from `app_user.grants`, which triggers
//! keep true: migration 0056).

use crate::{app::AppState, error::AppError};

use super::{dept_access::DeptRole, session};

/// A department role the viewer holds in the current term.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRole {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub role: DeptRole,
    /// The department's place in lists.
    pub sort_order: i32,
}

/// The logged-in user of this request, with roles read fresh from the database.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: i64,
    pub student_no: String,
    pub name: String,
    pub must_change_password: bool,
    pub roles: Vec<HeldRole>,
    pub is_admin: bool,
    pub is_presidium: bool,
    /// The school offices this viewer answers for as a liaison (`offices::desk`).
    pub liaison_offices: Vec<i64>,
    /// Unread in-portal notifications, for the bell in the header.
    pub unread_notifications: i64,
    pub csrf_token: String,
    pub session_hash: Vec<u8>,
}

impl Viewer {
    pub fn role_in(&self, slug: &str) -> Option<DeptRole> {
        self.roles.iter().find(|r| r.slug == slug).map(|r| r.role)
    }
}

pub(super) async fn fetch_viewer(state: &AppState, token: &str) -> Result<Option<Viewer>, AppError> {
    if token.len() != 43 {
        return Ok(None);
    }
    let hash = session::hash_token(token);
    let idle = state.config.session_idle.as_secs_f64();
    let absolute = state.config.session_absolute.as_secs_f64();
    // Every logged-in request runs this, so it is kept lean: the roles of this term are
    // kept on the user by triggers as plain `<department_id>:<role>`, `union:<role>` and
    // `office:<id>` strings (migration 0056: every writer's change is there for the next
    // request), and the departments' names are added from the short-lived list of
    // departments in use.
    let row = sqlx::query!(
        r#"
        select s.user_id, s.csrf_token, u.student_no, u.name, u.must_change_password,
               s.last_seen_at < now() - interval '60 seconds' as "needs_touch!",
               u.grants,
               -- Counted up to 100 (the bell says 99+): a busy handler's thousands are not counted on every page.
               (select count(*) from (select from notification n where n.user_id = s.user_id and n.read_at is null
                                      limit 100) as unread) as "unread!"
        from user_session s
        join app_user u using (user_id)
        where s.session_hash = $1
          and u.disabled_at is null
          and s.last_seen_at > now() - make_interval(secs => $2)
          and s.created_at > now() - make_interval(secs => $3)
        "#,
        hash,
        idle,
        absolute
    )
    .fetch_optional(&state.db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.needs_touch {
        session::touch_session(&state.db, &hash).await?;
    }
    let departments = super::dept_access::departments_in_use(state).await?;
    let grants = Grants::parse(&row.grants, &departments);
    Ok(Some(Viewer {
        user_id: row.user_id,
        student_no: row.student_no,
        name: row.name,
        must_change_password: row.must_change_password,
        roles: grants.roles,
        is_admin: grants.is_admin,
        is_presidium: grants.is_presidium,
        liaison_offices: grants.liaison_offices,
        unread_notifications: row.unread,
        csrf_token: row.csrf_token,
        session_hash: hash,
    }))
}

/// What a viewer may do, from the session query's grant strings.
#[derive(Debug, Default, PartialEq)]
struct Grants {
    roles: Vec<HeldRole>,
    is_admin: bool,
    is_presidium: bool,
    liaison_offices: Vec<i64>,
}

impl Grants {
    /// Roles in archived or unknown departments, and anything unreadable, grant nothing.
    fn parse(grants: &[String], departments: &[super::dept_access::Department]) -> Grants {
        let mut out = Grants::default();
        for grant in grants {
            match grant.split_once(':') {
                Some(("union", "admin")) => out.is_admin = true,
                Some(("union", "presidium")) => out.is_presidium = true,
                Some(("office", id)) => out.liaison_offices.extend(id.parse::<i64>().ok()),
                Some((id, role)) => {
                    let dept = id.parse::<i64>().ok().and_then(|id| departments.iter().find(|d| d.department_id == id));
                    if let (Some(d), Some(role)) = (dept, DeptRole::parse(role)) {
                        out.roles.push(HeldRole {
                            slug: d.slug.clone(),
                            name_zh: d.name_zh.clone(),
                            name_en: d.name_en.clone(),
                            role,
                            sort_order: d.sort_order,
                        });
                    }
                }
                None => {}
            }
        }
        out.roles.sort_by_key(|r| r.sort_order);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_name_their_departments_and_grant_nothing_unknown() {
        let dept = |id: i64, slug: &str, sort_order: i32| super::super::dept_access::Department {
            department_id: id,
            slug: slug.into(),
            name_zh: format!("{slug}部"),
            name_en: slug.into(),
            handles_complaints: true,
            runs_lost_found: false,
            organises_reception: false,
            runs_events: false,
            runs_inspections: false,
            runs_lending: false,
            sort_order,
        };
        let departments = [dept(1, "rights", 20), dept(2, "life", 10)];
        let grants: Vec<String> =
            ["1:head", "2:member", "9:head", "1:emperor", "x:head", "union:admin", "union:king", "garbage"]
                .into_iter()
                .map(String::from)
                .collect();
        let g = Grants::parse(&grants, &departments);
        let roles: Vec<(&str, DeptRole)> = g.roles.iter().map(|r| (r.slug.as_str(), r.role)).collect();
        assert_eq!(roles, [("life", DeptRole::Member), ("rights", DeptRole::Head)], "in the departments' order");
        assert_eq!(g.roles[1].name_zh, "rights部");
        assert!(g.is_admin && !g.is_presidium);
        assert!(Grants::parse(&["union:presidium".into()], &[]).is_presidium);
        assert_eq!(Grants::parse(&["office:7".into(), "office:x".into()], &[]).liaison_offices, vec![7]);
        assert_eq!(Grants::parse(&[], &departments), Grants::default());
    }
}
