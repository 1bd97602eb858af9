//! The table: every route × every role, with the expected answer (the rows are checked
//! against the router's routes by `every_route_of_the_router_is_in_the_table`).

use super::{Expect, Expect::*, Row};

/// Public pages.
const EVERYONE_READ: [Expect; 10] = [Ok; 10];
/// Public actions (the language switch, registering, logging out).
const EVERYONE_DONE: [Expect; 10] = [Done; 10];
/// The login form; the signed-in are sent on.
const LOGIN_FORM: [Expect; 10] = [Ok, Done, Done, Done, Done, Done, Done, Done, Done, Done];
/// Pages of one's own account.
const SIGNED_IN_READ: [Expect; 10] = [Login, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok];
const SIGNED_IN_ACT: [Expect; 10] = [Login, Done, Done, Done, Done, Done, Done, Done, Done, Done];
/// One's own account's campus-mail verification, in a world with no campus mail domain: nothing there.
const SIGNED_IN_UNCONFIGURED: [Expect; 10] =
    [Login, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound];
/// A private complaint (and its photos): its reporter, its department and the presidium.
const PRIVATE_READ: [Expect; 10] = [NotFound, NotFound, Ok, Ok, Ok, Ok, NotFound, Ok, NotFound, NotFound];
/// The reporter's own steps, the owner's lost report: nobody else's business.
const OWNER_READ: [Expect; 10] =
    [Login, NotFound, Ok, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound];
const OWNER_ACT: [Expect; 10] =
    [Login, NotFound, Done, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound];
/// Supporting a public complaint (同问), voting for a question: everyone but its author.
const NOT_ONES_OWN: [Expect; 10] = [Login, Done, Conflict, Done, Done, Done, Done, Done, Done, Done];
/// A found campus card's photo: the department and the presidium only.
const CARD_PHOTO: [Expect; 10] = [NotFound, NotFound, NotFound, Ok, Ok, Ok, NotFound, Ok, NotFound, NotFound];
/// A plan not made public does not exist on the public pages, whoever asks.
const NOT_PUBLIC: [Expect; 10] = [NotFound; 10];
/// Read by a member of the department and up, and by the presidium.
const READ_MEMBER: [Expect; 10] = [Login, Forbidden, Forbidden, Ok, Ok, Ok, Forbidden, Ok, Forbidden, Forbidden];
const READ_HEAD: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden, Forbidden];
const ACT_HEAD: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Done, Forbidden, Forbidden, Forbidden, Forbidden];
const PRESIDIUM_ACT: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Done, Forbidden, Forbidden];
const PRESIDIUM_READ: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden];
const ACT_VICE_HEAD: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Done, Done, Forbidden, Forbidden, Forbidden, Forbidden];
/// Students' lost reports with their contacts: the desk's own members (not the presidium).
const DESK_READ: [Expect; 10] = [Login, Forbidden, Forbidden, Ok, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden];
const ACT_MEMBER: [Expect; 10] =
    [Login, Forbidden, Forbidden, Done, Done, Done, Forbidden, Forbidden, Forbidden, Forbidden];
/// A page only for those who act in the department (not the presidium's reading right).
const ACT_MEMBER_READ: [Expect; 10] =
    [Login, Forbidden, Forbidden, Ok, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden];
/// The liaison's desk: accounts that answer for a school office (the case is forwarded to theirs).
const LIAISON_READ: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok];
const LIAISON_ACT: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Done];
/// Confirming one's place: the owner's own; nothing to confirm for anyone else.
const OWNER_STEP: [Expect; 10] =
    [Login, Conflict, Done, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict];
/// A witness's commitment and reveal: the owner is the event's witness; nobody else may commit or reveal.
const WITNESS_ACT: [Expect; 10] =
    [Login, Forbidden, Done, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden];
/// Refused to every account, whoever asks (applying to an event for another college).
const SIGNED_IN_CONFLICT: [Expect; 10] =
    [Login, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict, Conflict];
/// A desk the department does not run: a reader of the department (the presidium) finds no page;
/// strangers learn nothing (403).
const NO_DESK_READ: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, Forbidden, Forbidden];
/// Giving back an item by its page: the owner holds it; anyone else is told it is not on loan to them.
const OWNER_RETURN: [Expect; 10] =
    [Login, Invalid, Done, Invalid, Invalid, Invalid, Invalid, Invalid, Invalid, Invalid];
const ADMIN_READ: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden];
const ADMIN_ACT: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Done, Forbidden];

/// A round's pages and sheets: its inspectors (the member); to anyone else the round does not exist.
const INSPECTOR_READ: [Expect; 10] =
    [Login, NotFound, NotFound, Ok, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound];
const INSPECTOR_ACT: [Expect; 10] =
    [Login, NotFound, NotFound, Done, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound];
/// A deduction's or an appeal's photo: the room's residents (the owner) and the members of the
/// departments that inspect (rights, and 生活部 of the other head); the same 404 for everyone else.
const INSPECTION_PHOTO: [Expect; 10] = [NotFound, NotFound, Ok, Ok, Ok, Ok, Ok, NotFound, NotFound, NotFound];

/// Another department's applicant through one's own department's pages: not there (its head,
/// 生活部's); strangers to that department learn nothing (403).
const OTHER_DEPT_NOT_FOUND: [Expect; 10] =
    [Login, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, NotFound, Forbidden, Forbidden, Forbidden];

pub(crate) const TABLE: &[Row] = &[
    // Everyone's pages and the accounts.
    Row { method: "GET", route: "/", path: "/", expect: EVERYONE_READ },
    Row { method: "POST", route: "/lang", path: "/lang", expect: EVERYONE_DONE },
    Row { method: "GET", route: "/password-reset", path: "/password-reset", expect: EVERYONE_READ },
    Row { method: "POST", route: "/password-reset", path: "/password-reset", expect: EVERYONE_DONE },
    // A link mailed to the bystander: whoever holds it may use it (that is what a reset link is).
    Row {
        method: "GET",
        route: "/password-reset/choose",
        path: "/password-reset/choose?token={reset_token}",
        expect: EVERYONE_READ,
    },
    Row { method: "POST", route: "/password-reset/choose", path: "/password-reset/choose", expect: EVERYONE_DONE },
    Row { method: "GET", route: "/register", path: "/register", expect: EVERYONE_READ },
    Row { method: "POST", route: "/register", path: "/register", expect: EVERYONE_DONE },
    // Campus sign-in, in a world with no CAS server or OpenID provider configured: nothing there, for anyone. With one
    // configured the answers are the same for every role too (campus.rs, campus_oidc.rs: the redirects,
    // refused tickets and codes, the back channel).
    Row { method: "GET", route: "/auth/cas/login", path: "/auth/cas/login?next=%2F", expect: NOT_PUBLIC },
    Row { method: "GET", route: "/auth/cas", path: "/auth/cas?next=%2F&ticket=ST-1", expect: NOT_PUBLIC },
    Row { method: "POST", route: "/auth/cas", path: "/auth/cas", expect: NOT_PUBLIC },
    Row { method: "GET", route: "/auth/oidc/login", path: "/auth/oidc/login?next=%2F", expect: NOT_PUBLIC },
    Row { method: "GET", route: "/auth/oidc/callback", path: "/auth/oidc/callback?code=c&state=s", expect: NOT_PUBLIC },
    Row { method: "GET", route: "/login", path: "/login", expect: LOGIN_FORM },
    // A wrong password (a right one would change who the browser is).
    Row { method: "POST", route: "/login", path: "/login", expect: [Invalid; 10] },
    Row { method: "GET", route: "/account/password", path: "/account/password", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/account/password", path: "/account/password", expect: SIGNED_IN_ACT },
    Row { method: "GET", route: "/me", path: "/me", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/account/verify-mail", path: "/account/verify-mail", expect: SIGNED_IN_UNCONFIGURED },
    Row {
        method: "GET",
        route: "/account/verify-mail/confirm",
        path: "/account/verify-mail/confirm?token=t",
        expect: SIGNED_IN_UNCONFIGURED,
    },
    Row {
        method: "POST",
        route: "/account/verify-mail/confirm",
        path: "/account/verify-mail/confirm",
        expect: SIGNED_IN_UNCONFIGURED,
    },
    // The browser signs in again afterwards (see the test).
    Row { method: "POST", route: "/logout", path: "/logout", expect: EVERYONE_DONE },
    Row { method: "GET", route: "/me/notifications", path: "/me/notifications", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/me/notifications/read", path: "/me/notifications/read", expect: SIGNED_IN_ACT },
    Row { method: "POST", route: "/me/notifications/email", path: "/me/notifications/email", expect: SIGNED_IN_ACT },
    Row { method: "POST", route: "/me/notifications/digest", path: "/me/notifications/digest", expect: SIGNED_IN_ACT },
    // The weekly digest's one-click unsubscribe: without the mail's token, nothing there for anyone.
    Row { method: "GET", route: "/digest/unsubscribe", path: "/digest/unsubscribe?t=none", expect: NOT_PUBLIC },
    Row { method: "POST", route: "/digest/unsubscribe", path: "/digest/unsubscribe?t=none", expect: NOT_PUBLIC },
    Row { method: "GET", route: "/stats", path: "/stats", expect: EVERYONE_READ },
    // School offices: their public record, the liaison's desk.
    Row { method: "GET", route: "/offices", path: "/offices", expect: EVERYONE_READ },
    Row { method: "GET", route: "/offices/{slug}", path: "/offices/logistics", expect: EVERYONE_READ },
    Row { method: "GET", route: "/offices/{slug}/report", path: "/offices/logistics/report", expect: EVERYONE_READ },
    Row { method: "GET", route: "/office", path: "/office", expect: LIAISON_READ },
    Row {
        method: "GET",
        route: "/office/complaints/{tracking_no}",
        path: "/office/complaints/{tracking_no}",
        expect: LIAISON_READ,
    },
    Row {
        method: "POST",
        route: "/office/complaints/{tracking_no}/answer",
        path: "/office/complaints/{tracking_no}/answer",
        expect: LIAISON_ACT,
    },
    Row {
        method: "POST",
        route: "/office/complaints/{tracking_no}/ask",
        path: "/office/complaints/{tracking_no}/ask",
        expect: LIAISON_ACT,
    },
    Row {
        method: "POST",
        route: "/office/complaints/{tracking_no}/plan",
        path: "/office/complaints/{tracking_no}/plan",
        expect: LIAISON_ACT,
    },
    Row {
        method: "POST",
        route: "/office/complaints/{tracking_no}/done",
        path: "/office/complaints/{tracking_no}/done",
        expect: LIAISON_ACT,
    },
    Row {
        method: "POST",
        route: "/office/commitments/{commitment_id}/update",
        path: "/office/commitments/{commitment_id}/update",
        expect: LIAISON_ACT,
    },
    Row { method: "GET", route: "/static/{name}", path: "/static/app.css", expect: EVERYONE_READ },
    Row { method: "GET", route: "/manifest.webmanifest", path: "/manifest.webmanifest", expect: EVERYONE_READ },
    Row { method: "GET", route: "/healthz", path: "/healthz", expect: EVERYONE_READ },
    Row { method: "GET", route: "/readyz", path: "/readyz", expect: EVERYONE_READ },
    // Browsers' CSP reports, the same for everyone: a form is not a report (csp.rs sends real ones).
    Row { method: "POST", route: "/csp-report", path: "/csp-report", expect: [Unsupported; 10] },
    // Complaints: {tracking_no} is a private complaint of the owner's, {public_no} a public one.
    Row { method: "GET", route: "/complaints", path: "/complaints", expect: EVERYONE_READ },
    Row { method: "GET", route: "/complaints/new", path: "/complaints/new", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/complaints/new", path: "/complaints/new", expect: SIGNED_IN_ACT },
    Row { method: "GET", route: "/complaints/{tracking_no}", path: "/complaints/{tracking_no}", expect: PRIVATE_READ },
    Row { method: "GET", route: "/complaints/{tracking_no}", path: "/complaints/{public_no}", expect: EVERYONE_READ },
    // A receipt: whoever may see the complaint.
    Row {
        method: "GET",
        route: "/complaints/{tracking_no}/receipt",
        path: "/complaints/{tracking_no}/receipt",
        expect: PRIVATE_READ,
    },
    Row {
        method: "GET",
        route: "/complaints/{tracking_no}/receipt",
        path: "/complaints/{public_no}/receipt",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/complaints/{tracking_no}/photos/{photo_id}",
        path: "/complaints/{tracking_no}/photos/{photo_id}",
        expect: PRIVATE_READ,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/support",
        path: "/complaints/{public_no}/support",
        expect: NOT_ONES_OWN,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/reply",
        path: "/complaints/{tracking_no}/reply",
        expect: OWNER_ACT,
    },
    // {tracking_no} is resolved for these two.
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/confirm",
        path: "/complaints/{tracking_no}/confirm",
        expect: OWNER_ACT,
    },
    Row {
        method: "POST",
        route: "/complaints/{tracking_no}/reopen",
        path: "/complaints/{tracking_no}/reopen",
        expect: OWNER_ACT,
    },
    // Lost and found: the card's owner is the owner.
    Row { method: "GET", route: "/lost-found", path: "/lost-found", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/lost-found/items/{item_id}",
        path: "/lost-found/items/{item_id}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/lost-found/items/{item_id}",
        path: "/lost-found/items/{card_item_id}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/lost-found/items/{item_id}/photo",
        path: "/lost-found/items/{photo_item_id}/photo",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/lost-found/items/{item_id}/photo",
        path: "/lost-found/items/{card_item_id}/photo",
        expect: CARD_PHOTO,
    },
    Row { method: "GET", route: "/lost-found/lost/new", path: "/lost-found/lost/new", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/lost-found/lost/new", path: "/lost-found/lost/new", expect: SIGNED_IN_ACT },
    Row { method: "GET", route: "/lost-found/found/new", path: "/lost-found/found/new", expect: SIGNED_IN_READ },
    Row { method: "POST", route: "/lost-found/found/new", path: "/lost-found/found/new", expect: SIGNED_IN_ACT },
    Row { method: "GET", route: "/me/found/{offer_id}", path: "/me/found/{offer_id}", expect: OWNER_READ },
    Row { method: "GET", route: "/lost-found/bulletins", path: "/lost-found/bulletins", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/lost-found/bulletins/{number}",
        path: "/lost-found/bulletins/{number}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/lost-found/bulletins/{number}/print",
        path: "/lost-found/bulletins/{number}/print",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/feeds/lost-found.atom", path: "/feeds/lost-found.atom", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/lost-found/points/{point_id}/poster",
        path: "/lost-found/points/{point_id}/poster",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/me/lost/{report_id}", path: "/me/lost/{report_id}", expect: OWNER_READ },
    Row { method: "POST", route: "/me/lost/{report_id}/close", path: "/me/lost/{report_id}/close", expect: OWNER_ACT },
    // Reception days: the owner has a seat ({code}) and asked the question ({question_id}).
    Row { method: "GET", route: "/reception", path: "/reception", expect: EVERYONE_READ },
    Row { method: "GET", route: "/reception.ics", path: "/reception.ics", expect: EVERYONE_READ },
    Row { method: "GET", route: "/feeds/reception.atom", path: "/feeds/reception.atom", expect: EVERYONE_READ },
    Row { method: "GET", route: "/reception/{code}", path: "/reception/{code}", expect: EVERYONE_READ },
    Row { method: "GET", route: "/reception/{code}/poster", path: "/reception/{code}/poster", expect: EVERYONE_READ },
    Row { method: "POST", route: "/reception/{code}/signup", path: "/reception/{code}/signup", expect: SIGNED_IN_ACT },
    Row { method: "POST", route: "/reception/{code}/cancel", path: "/reception/{code}/cancel", expect: SIGNED_IN_ACT },
    Row { method: "POST", route: "/reception/{code}/follow", path: "/reception/{code}/follow", expect: SIGNED_IN_ACT },
    Row {
        method: "POST",
        route: "/reception/{code}/questions",
        path: "/reception/{code}/questions",
        expect: SIGNED_IN_ACT,
    },
    Row {
        method: "POST",
        route: "/reception/{code}/questions/{question_id}/vote",
        path: "/reception/{code}/questions/{question_id}/vote",
        expect: NOT_ONES_OWN,
    },
    Row { method: "GET", route: "/commitments", path: "/commitments", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/commitments/{commitment_id}",
        path: "/commitments/{commitment_id}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/commitments/{commitment_id}/photos/{update_id}",
        path: "/commitments/{commitment_id}/photos/{update_id}",
        expect: EVERYONE_READ,
    },
    // Events: a fresh event of the rights department for each request, in the stage its route
    // needs (authz/events.rs): the owner applied, holds a place to confirm, or is the witness.
    // Every account of the world is verified (authz/mod.rs: an unverified one may not apply).
    Row { method: "GET", route: "/events", path: "/events", expect: EVERYONE_READ },
    Row { method: "GET", route: "/events.ics", path: "/events.ics", expect: EVERYONE_READ },
    Row { method: "GET", route: "/feeds/events.atom", path: "/feeds/events.atom", expect: EVERYONE_READ },
    Row { method: "GET", route: "/events/verify-draw.py", path: "/events/verify-draw.py", expect: EVERYONE_READ },
    Row { method: "GET", route: "/events/{event_id}", path: "/events/{event_id}", expect: EVERYONE_READ },
    Row { method: "GET", route: "/events/{event_id}/poster", path: "/events/{event_id}/poster", expect: EVERYONE_READ },
    Row { method: "POST", route: "/events/{event_id}/apply", path: "/events/{event_id}/apply", expect: SIGNED_IN_ACT },
    Row {
        method: "POST",
        route: "/events/{event_id}/apply",
        path: "/events/{other_college_event_id}/apply",
        expect: SIGNED_IN_CONFLICT,
    },
    // The owner withdraws their application; anyone else has none, and nothing changes.
    Row {
        method: "POST",
        route: "/events/{event_id}/withdraw",
        path: "/events/{event_id}/withdraw",
        expect: SIGNED_IN_ACT,
    },
    Row { method: "POST", route: "/events/{event_id}/confirm", path: "/events/{event_id}/confirm", expect: OWNER_STEP },
    Row { method: "POST", route: "/events/{event_id}/commit", path: "/events/{event_id}/commit", expect: WITNESS_ACT },
    Row { method: "POST", route: "/events/{event_id}/reveal", path: "/events/{event_id}/reveal", expect: WITNESS_ACT },
    // Every input of a draw is public from the moment it exists; the result once drawn.
    Row { method: "GET", route: "/events/{event_id}/draw", path: "/events/{event_id}/draw", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/events/{event_id}/draw",
        path: "/events/{first_come_event_id}/draw",
        expect: NOT_PUBLIC,
    },
    Row {
        method: "GET",
        route: "/events/{event_id}/draw.json",
        path: "/events/{event_id}/draw.json",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/events/{event_id}/draw.json",
        path: "/events/{undrawn_event_id}/draw.json",
        expect: NOT_PUBLIC,
    },
    // Plans: {public_plan_id} was made public, {plan_id} was not.
    Row { method: "GET", route: "/plans", path: "/plans", expect: EVERYONE_READ },
    Row { method: "GET", route: "/plans/{plan_id}", path: "/plans/{public_plan_id}", expect: EVERYONE_READ },
    Row { method: "GET", route: "/plans/{plan_id}", path: "/plans/{plan_id}", expect: NOT_PUBLIC },
    Row {
        method: "GET",
        route: "/plans/{plan_id}/print",
        path: "/plans/{public_plan_id}/print",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/plans/{plan_id}/print", path: "/plans/{plan_id}/print", expect: NOT_PUBLIC },
    // Staff pages.
    Row { method: "GET", route: "/d", path: "/d", expect: SIGNED_IN_READ },
    Row { method: "GET", route: "/d/{dept}", path: "/d/rights", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/members", path: "/d/rights/members", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/audit", path: "/d/rights/audit", expect: READ_HEAD },
    Row { method: "POST", route: "/d/{dept}/members/add", path: "/d/rights/members/add", expect: ACT_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/members/{membership_id}/remove",
        path: "/d/rights/members/{membership_id}/remove",
        expect: ACT_HEAD,
    },
    Row { method: "GET", route: "/d/{dept}/complaints", path: "/d/rights/complaints", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/d/{dept}/complaints/{tracking_no}",
        path: "/d/rights/complaints/{tracking_no}",
        expect: READ_MEMBER,
    },
    Row { method: "GET", route: "/d/{dept}/complaints/new", path: "/d/rights/complaints/new", expect: ACT_MEMBER_READ },
    Row { method: "POST", route: "/d/{dept}/complaints/new", path: "/d/rights/complaints/new", expect: ACT_MEMBER },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/transition",
        path: "/d/rights/complaints/{tracking_no}/transition",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/reply",
        path: "/d/rights/complaints/{tracking_no}/reply",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/note",
        path: "/d/rights/complaints/{tracking_no}/note",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/commitments",
        path: "/d/rights/complaints/{tracking_no}/commitments",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/assign",
        path: "/d/rights/complaints/{tracking_no}/assign",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/transfer",
        path: "/d/rights/complaints/{tracking_no}/transfer",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/escalate",
        path: "/d/rights/complaints/{tracking_no}/escalate",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/agenda",
        path: "/d/rights/complaints/{tracking_no}/agenda",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/complaints/{tracking_no}/merge",
        path: "/d/rights/complaints/{tracking_no}/merge",
        expect: ACT_MEMBER,
    },
    Row { method: "GET", route: "/d/{dept}/lost-found", path: "/d/rights/lost-found", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/items/{item_id}",
        path: "/d/rights/lost-found/items/{item_id}",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/expired",
        path: "/d/rights/lost-found/expired",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/lost-reports",
        path: "/d/rights/lost-found/lost-reports",
        expect: DESK_READ,
    },
    Row { method: "GET", route: "/d/{dept}/lost-found/offers", path: "/d/rights/lost-found/offers", expect: DESK_READ },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/offers/{offer_id}/confirm",
        path: "/d/rights/lost-found/offers/{offer_id}/confirm",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/offers/{offer_id}/decline",
        path: "/d/rights/lost-found/offers/{offer_id}/decline",
        expect: ACT_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/register",
        path: "/d/rights/lost-found/register",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/register.csv",
        path: "/d/rights/lost-found/register.csv",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/register.xlsx",
        path: "/d/rights/lost-found/register.xlsx",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/bulletins",
        path: "/d/rights/lost-found/bulletins",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lost-found/points",
        path: "/d/rights/lost-found/points",
        expect: READ_MEMBER,
    },
    Row { method: "POST", route: "/d/{dept}/lost-found/items", path: "/d/rights/lost-found/items", expect: ACT_MEMBER },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/items/{item_id}/claim",
        path: "/d/rights/lost-found/items/{item_id}/claim",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/items/{item_id}/return",
        path: "/d/rights/lost-found/items/{item_id}/return",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/items/{item_id}/dispose",
        path: "/d/rights/lost-found/items/{item_id}/dispose",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/expired/dispose",
        path: "/d/rights/lost-found/expired/dispose",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/bulletins/publish",
        path: "/d/rights/lost-found/bulletins/publish",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/points/add",
        path: "/d/rights/lost-found/points/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lost-found/points/{point_id}/update",
        path: "/d/rights/lost-found/points/{point_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row { method: "GET", route: "/d/{dept}/reception", path: "/d/rights/reception", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/d/{dept}/reception/{session_id}",
        path: "/d/rights/reception/{session_id}",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/delegates/add",
        path: "/d/rights/reception/{session_id}/delegates/add",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/delegates/{delegate_id}/remove",
        path: "/d/rights/reception/{session_id}/delegates/{delegate_id}/remove",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/questions/{question_id}/agenda",
        path: "/d/rights/reception/{session_id}/questions/{question_id}/agenda",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/questions/{question_id}/take-off",
        path: "/d/rights/reception/{session_id}/questions/{question_id}/take-off",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/agenda/complaint",
        path: "/d/rights/reception/{session_id}/agenda/complaint",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/minutes",
        path: "/d/rights/reception/{session_id}/minutes",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/commitments/{commitment_id}/update",
        path: "/d/rights/commitments/{commitment_id}/update",
        expect: ACT_MEMBER,
    },
    Row { method: "POST", route: "/d/{dept}/reception/new", path: "/d/rights/reception/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/update",
        path: "/d/rights/reception/{session_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/reception/{session_id}/close-signup",
        path: "/d/rights/reception/{session_id}/close-signup",
        expect: ACT_VICE_HEAD,
    },
    Row { method: "GET", route: "/d/{dept}/events", path: "/d/rights/events", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/events", path: "/d/news/events", expect: NO_DESK_READ },
    Row {
        method: "GET",
        route: "/d/{dept}/events/{event_id}",
        path: "/d/rights/events/{event_id}",
        expect: READ_MEMBER,
    },
    // The door and the export (students' names and answers): those who act in the department.
    Row {
        method: "GET",
        route: "/d/{dept}/events/{event_id}/attendance",
        path: "/d/rights/events/{event_id}/attendance",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/attendance/{application_id}",
        path: "/d/rights/events/{event_id}/attendance/{application_id}",
        expect: ACT_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/events/{event_id}/export.csv",
        path: "/d/rights/events/{event_id}/export.csv",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/events/{event_id}/export.xlsx",
        path: "/d/rights/events/{event_id}/export.xlsx",
        expect: ACT_MEMBER_READ,
    },
    Row { method: "POST", route: "/d/{dept}/events/new", path: "/d/rights/events/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/update",
        path: "/d/rights/events/{event_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/cancel",
        path: "/d/rights/events/{event_id}/cancel",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/witnesses/add",
        path: "/d/rights/events/{event_id}/witnesses/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/witnesses/{witness_id}/remove",
        path: "/d/rights/events/{event_id}/witnesses/{witness_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    // Run once, on an event of its own every time: closed, frozen, both witnesses revealed.
    Row {
        method: "POST",
        route: "/d/{dept}/events/{event_id}/draw",
        path: "/d/rights/events/{event_id}/draw",
        expect: ACT_VICE_HEAD,
    },
    Row { method: "GET", route: "/d/{dept}/plans", path: "/d/rights/plans", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/plans/{plan_id}", path: "/d/rights/plans/{plan_id}", expect: READ_MEMBER },
    Row {
        method: "GET",
        route: "/d/{dept}/plans/{plan_id}/history",
        path: "/d/rights/plans/{plan_id}/history",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/plans/{plan_id}/print",
        path: "/d/rights/plans/{plan_id}/print",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/plans/{plan_id}/export.md",
        path: "/d/rights/plans/{plan_id}/export.md",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/steps/submit",
        path: "/d/rights/plans/{plan_id}/steps/submit",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/steps/approve",
        path: "/d/rights/plans/{plan_id}/steps/approve",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/steps/return",
        path: "/d/rights/plans/{plan_id}/steps/return",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/steps/start",
        path: "/d/rights/plans/{plan_id}/steps/start",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/steps/review",
        path: "/d/rights/plans/{plan_id}/steps/review",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/actions/{action_id}/progress",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/progress",
        expect: ACT_MEMBER,
    },
    Row { method: "POST", route: "/d/{dept}/plans/new", path: "/d/rights/plans/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/header",
        path: "/d/rights/plans/{plan_id}/header",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/goals/add",
        path: "/d/rights/plans/{plan_id}/goals/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/goals/{goal_id}/update",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/goals/{goal_id}/remove",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/goals/{goal_id}/move",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/move",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/goals/{goal_id}/actions/add",
        path: "/d/rights/plans/{plan_id}/goals/{goal_id}/actions/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/actions/{action_id}/update",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/actions/{action_id}/remove",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/actions/{action_id}/move",
        path: "/d/rights/plans/{plan_id}/actions/{action_id}/move",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/plans/{plan_id}/public",
        path: "/d/rights/plans/{plan_id}/public",
        expect: ACT_HEAD,
    },
    Row { method: "GET", route: "/presidium/plans", path: "/presidium/plans", expect: PRESIDIUM_READ },
    Row { method: "GET", route: "/presidium/escalations", path: "/presidium/escalations", expect: PRESIDIUM_READ },
    Row {
        method: "GET",
        route: "/presidium/escalations/{tracking_no}",
        path: "/presidium/escalations/{escalated_no}",
        expect: PRESIDIUM_READ,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/reply",
        path: "/presidium/escalations/{escalated_no}/reply",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/note",
        path: "/presidium/escalations/{escalated_no}/note",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/transfer",
        path: "/presidium/escalations/{escalated_no}/transfer",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/forward",
        path: "/presidium/escalations/{escalated_no}/forward",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/agenda",
        path: "/presidium/escalations/{escalated_no}/agenda",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/escalations/{tracking_no}/send-back",
        path: "/presidium/escalations/{escalated_no}/send-back",
        expect: PRESIDIUM_ACT,
    },
    Row { method: "GET", route: "/presidium/offices", path: "/presidium/offices", expect: PRESIDIUM_READ },
    Row {
        method: "POST",
        route: "/presidium/offices/liaisons",
        path: "/presidium/offices/liaisons",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/offices/{office_id}/liaisons/{user_id}/remove",
        path: "/presidium/offices/{office_id}/liaisons/{user_id}/remove",
        expect: PRESIDIUM_ACT,
    },
    // Liaisons invited by mail: the presidium invites and revokes; the link's page is anyone's
    // who holds it; accepting needs a signed-in (verified) account. Each row gets a fresh invitation.
    Row {
        method: "POST",
        route: "/presidium/offices/{office_id}/invites",
        path: "/presidium/offices/{office_id}/invites",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "POST",
        route: "/presidium/offices/invites/{invite_id}/revoke",
        path: "/presidium/offices/invites/{invite_id}/revoke",
        expect: PRESIDIUM_ACT,
    },
    Row {
        method: "GET",
        route: "/offices/invites/{token}",
        path: "/offices/invites/{invite_token}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "POST",
        route: "/offices/invites/{token}/accept",
        path: "/offices/invites/{invite_token}/accept",
        expect: SIGNED_IN_ACT,
    },
    Row { method: "GET", route: "/admin", path: "/admin", expect: ADMIN_READ },
    Row { method: "GET", route: "/admin/users", path: "/admin/users", expect: ADMIN_READ },
    Row {
        method: "POST",
        route: "/admin/users/{user_id}/disable",
        path: "/admin/users/{user_id}/disable",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/admin/users/{user_id}/enable",
        path: "/admin/users/{user_id}/enable",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/admin/users/{user_id}/verify",
        path: "/admin/users/{user_id}/verify",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/admin/departments", path: "/admin/departments", expect: ADMIN_READ },
    Row { method: "POST", route: "/admin/departments/add", path: "/admin/departments/add", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/admin/departments/{department_id}/update",
        path: "/admin/departments/{department_id}/update",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/admin/memberships", path: "/admin/memberships", expect: ADMIN_READ },
    Row { method: "POST", route: "/admin/memberships/grant", path: "/admin/memberships/grant", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/admin/memberships/{membership_id}/revoke",
        path: "/admin/memberships/{membership_id}/revoke",
        expect: ADMIN_ACT,
    },
    Row { method: "POST", route: "/admin/union-roles/grant", path: "/admin/union-roles/grant", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/admin/union-roles/{union_role_id}/revoke",
        path: "/admin/union-roles/{union_role_id}/revoke",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/admin/complaint-setup", path: "/admin/complaint-setup", expect: ADMIN_READ },
    Row {
        method: "POST",
        route: "/admin/complaint-setup/categories/add",
        path: "/admin/complaint-setup/categories/add",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/admin/complaint-setup/categories/{category_id}/update",
        path: "/admin/complaint-setup/categories/{category_id}/update",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/admin/complaint-setup/offices/add",
        path: "/admin/complaint-setup/offices/add",
        expect: ADMIN_ACT,
    },
    Row {
        method: "POST",
        route: "/admin/complaint-setup/offices/{office_id}/update",
        path: "/admin/complaint-setup/offices/{office_id}/update",
        expect: ADMIN_ACT,
    },
    Row { method: "GET", route: "/admin/holidays", path: "/admin/holidays", expect: ADMIN_READ },
    Row { method: "POST", route: "/admin/holidays/add", path: "/admin/holidays/add", expect: ADMIN_ACT },
    Row {
        method: "POST",
        route: "/admin/holidays/{day}/delete",
        path: "/admin/holidays/{day}/delete",
        expect: ADMIN_ACT,
    },
    // Dorm inspections: the public rankings and shared room photos.
    Row { method: "GET", route: "/inspections", path: "/inspections", expect: EVERYONE_READ },
    Row { method: "GET", route: "/inspections/rankings", path: "/inspections/rankings", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/inspections/rankings/print",
        path: "/inspections/rankings/print",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/inspections/rankings.csv", path: "/inspections/rankings.csv", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/inspections/rankings.xlsx",
        path: "/inspections/rankings.xlsx",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/inspections/averages", path: "/inspections/averages", expect: EVERYONE_READ },
    Row { method: "GET", route: "/inspections/civilised", path: "/inspections/civilised", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/inspections/photos/{photo_id}",
        path: "/inspections/photos/{room_photo_id}",
        expect: EVERYONE_READ,
    },
    // The inspector's (the member inspects the round).
    Row { method: "GET", route: "/inspect", path: "/inspect", expect: SIGNED_IN_READ },
    Row {
        method: "GET",
        route: "/inspect/rounds/{round_id}",
        path: "/inspect/rounds/{round_id}",
        expect: INSPECTOR_READ,
    },
    Row {
        method: "GET",
        route: "/inspect/rounds/{round_id}/rooms/{room_id}",
        path: "/inspect/rounds/{scored_round_id}/rooms/{room_id}",
        expect: INSPECTOR_READ,
    },
    Row {
        method: "POST",
        route: "/inspect/rounds/{round_id}/rooms/{room_id}",
        path: "/inspect/rounds/{round_id}/rooms/{room_id}",
        expect: INSPECTOR_ACT,
    },
    Row {
        method: "POST",
        route: "/inspect/rounds/{round_id}/rooms/{room_id}/report",
        path: "/inspect/rounds/{round_id}/rooms/{room_id}/report",
        expect: INSPECTOR_ACT,
    },
    // The resident's (the owner lives in room 301) and the private photos.
    Row { method: "GET", route: "/me/room", path: "/me/room", expect: SIGNED_IN_READ },
    Row {
        method: "POST",
        route: "/me/room/results/{result_id}/appeal",
        path: "/me/room/results/{result_id}/appeal",
        expect: OWNER_ACT,
    },
    Row { method: "POST", route: "/me/room/photos", path: "/me/room/photos", expect: OWNER_ACT },
    Row {
        method: "POST",
        route: "/me/room/photos/{photo_id}/remove",
        path: "/me/room/photos/{room_photo_id}/remove",
        expect: OWNER_ACT,
    },
    Row {
        method: "GET",
        route: "/inspections/deductions/{deduction_id}/photo",
        path: "/inspections/deductions/{deduction_id}/photo",
        expect: INSPECTION_PHOTO,
    },
    Row {
        method: "GET",
        route: "/inspections/appeals/{appeal_id}/photo",
        path: "/inspections/appeals/{appeal_id}/photo",
        expect: INSPECTION_PHOTO,
    },
    // The department's inspections desk (news runs none).
    Row { method: "GET", route: "/d/{dept}/inspections", path: "/d/rights/inspections", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/inspections", path: "/d/news/inspections", expect: NO_DESK_READ },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rooms",
        path: "/d/rights/inspections/rooms",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rooms/{room_id}",
        path: "/d/rights/inspections/rooms/{room_id}",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rubric",
        path: "/d/rights/inspections/rubric",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rounds/{round_id}",
        path: "/d/rights/inspections/rounds/{round_id}",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/appeals",
        path: "/d/rights/inspections/appeals",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rounds/{round_id}/export.csv",
        path: "/d/rights/inspections/rounds/{round_id}/export.csv",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rounds/{round_id}/export.xlsx",
        path: "/d/rights/inspections/rounds/{round_id}/export.xlsx",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/inspections/rounds/{round_id}/print",
        path: "/d/rights/inspections/rounds/{round_id}/print",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rooms/import",
        path: "/d/rights/inspections/rooms/import",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/residents/import",
        path: "/d/rights/inspections/residents/import",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rooms/{room_id}/update",
        path: "/d/rights/inspections/rooms/{room_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rooms/{room_id}/residents/add",
        path: "/d/rights/inspections/rooms/{room_id}/residents/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rooms/{room_id}/residents/remove",
        path: "/d/rights/inspections/rooms/{room_id}/residents/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rubric",
        path: "/d/rights/inspections/rubric",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rounds/new",
        path: "/d/rights/inspections/rounds/new",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rounds/{round_id}/inspectors",
        path: "/d/rights/inspections/rounds/{round_id}/inspectors",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rounds/{round_id}/inspectors/{user_id}/remove",
        path: "/d/rights/inspections/rounds/{round_id}/inspectors/{user_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/rounds/{round_id}/publish",
        path: "/d/rights/inspections/rounds/{round_id}/publish",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/inspections/appeals/{appeal_id}/decide",
        path: "/d/rights/inspections/appeals/{appeal_id}/decide",
        expect: ACT_VICE_HEAD,
    },
    // Group robots: the department's heads (the presidium reads the page).
    Row { method: "GET", route: "/d/{dept}/robots", path: "/d/rights/robots", expect: READ_HEAD },
    Row { method: "POST", route: "/d/{dept}/robots/add", path: "/d/rights/robots/add", expect: ACT_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/robots/{robot_id}/update",
        path: "/d/rights/robots/{robot_id}/update",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/robots/{robot_id}/test",
        path: "/d/rights/robots/{robot_id}/test",
        expect: ACT_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/robots/{robot_id}/remove",
        path: "/d/rights/robots/{robot_id}/remove",
        expect: ACT_HEAD,
    },
    Row { method: "GET", route: "/admin/audit", path: "/admin/audit", expect: ADMIN_READ },
    // The open data API and Open311: the anonymous visitor's answer whoever asks (no session is read).
    Row { method: "GET", route: "/api", path: "/api", expect: EVERYONE_READ },
    Row { method: "GET", route: "/api/v1/openapi.json", path: "/api/v1/openapi.json", expect: EVERYONE_READ },
    Row { method: "GET", route: "/api/v1/complaints", path: "/api/v1/complaints", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/api/v1/complaints/{tracking_no}",
        path: "/api/v1/complaints/{public_no}",
        expect: EVERYONE_READ,
    },
    // Private to everyone here, even to its reporter and its handlers: they read it on its page.
    Row {
        method: "GET",
        route: "/api/v1/complaints/{tracking_no}",
        path: "/api/v1/complaints/{tracking_no}",
        expect: NOT_PUBLIC,
    },
    Row { method: "GET", route: "/api/v1/lost-found/items", path: "/api/v1/lost-found/items", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/api/v1/lost-found/bulletins",
        path: "/api/v1/lost-found/bulletins",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/api/v1/lost-found/bulletins/{number}",
        path: "/api/v1/lost-found/bulletins/{number}",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/api/v1/reception/days", path: "/api/v1/reception/days", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/api/v1/reception/days/{code}",
        path: "/api/v1/reception/days/{code}",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/api/v1/commitments", path: "/api/v1/commitments", expect: EVERYONE_READ },
    Row { method: "GET", route: "/api/v1/events", path: "/api/v1/events", expect: EVERYONE_READ },
    Row { method: "GET", route: "/api/v1/events/{event_id}", path: "/api/v1/events/{event_id}", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/api/v1/inspections/rankings",
        path: "/api/v1/inspections/rankings",
        expect: EVERYONE_READ,
    },
    Row { method: "GET", route: "/api/v1/stats", path: "/api/v1/stats", expect: EVERYONE_READ },
    Row { method: "GET", route: "/open311/v2/services.json", path: "/open311/v2/services.json", expect: EVERYONE_READ },
    Row { method: "GET", route: "/open311/v2/requests.json", path: "/open311/v2/requests.json", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/open311/v2/requests/{id}",
        path: "/open311/v2/requests/{public_no}.json",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/open311/v2/requests/{id}",
        path: "/open311/v2/requests/{tracking_no}.json",
        expect: NOT_PUBLIC,
    },
    // Lending (爱心伞): the rights department runs it, news does not; fresh items per request (authz/lending.rs).
    Row { method: "GET", route: "/umbrellas", path: "/umbrellas", expect: EVERYONE_READ },
    Row { method: "GET", route: "/umbrellas/i/{code}", path: "/umbrellas/i/{item_code}", expect: EVERYONE_READ },
    Row {
        method: "POST",
        route: "/umbrellas/i/{code}/borrow",
        path: "/umbrellas/i/{item_code}/borrow",
        expect: SIGNED_IN_ACT,
    },
    Row {
        method: "POST",
        route: "/umbrellas/i/{code}/return",
        path: "/umbrellas/i/{owner_loan_code}/return",
        expect: OWNER_RETURN,
    },
    Row { method: "GET", route: "/me/loans", path: "/me/loans", expect: SIGNED_IN_READ },
    Row { method: "GET", route: "/d/{dept}/lending", path: "/d/rights/lending", expect: READ_MEMBER },
    Row { method: "GET", route: "/d/{dept}/lending", path: "/d/news/lending", expect: NO_DESK_READ },
    Row { method: "GET", route: "/d/{dept}/lending/labels", path: "/d/rights/lending/labels", expect: READ_MEMBER },
    Row { method: "POST", route: "/d/{dept}/lending/lend", path: "/d/rights/lending/lend", expect: ACT_MEMBER },
    Row { method: "POST", route: "/d/{dept}/lending/return", path: "/d/rights/lending/return", expect: ACT_MEMBER },
    Row { method: "POST", route: "/d/{dept}/lending/move", path: "/d/rights/lending/move", expect: ACT_MEMBER },
    Row {
        method: "POST",
        route: "/d/{dept}/lending/stations/new",
        path: "/d/rights/lending/stations/new",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lending/items/new",
        path: "/d/rights/lending/items/new",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lending/items/state",
        path: "/d/rights/lending/items/state",
        expect: ACT_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lending/stations/{station_id}",
        path: "/d/rights/lending/stations/{lending_station}",
        expect: READ_MEMBER,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lending/stations/{station_id}",
        path: "/d/news/lending/stations/{lending_station}",
        expect: NO_DESK_READ,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lending/stations/{station_id}",
        path: "/d/rights/lending/stations/{lending_station}",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/lending/kinds/{kind}",
        path: "/d/rights/lending/kinds/umbrella",
        expect: READ_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/lending/kinds/{kind}",
        path: "/d/rights/lending/kinds/umbrella",
        expect: ACT_VICE_HEAD,
    },
    // Questionnaires (authz/surveys.rs): a fresh questionnaire per request. Only the
    // department's own members read answers (not the presidium); vice-heads build.
    Row { method: "GET", route: "/surveys", path: "/surveys", expect: EVERYONE_READ },
    Row { method: "GET", route: "/surveys/{survey_id}", path: "/surveys/{survey_id}", expect: EVERYONE_READ },
    Row {
        method: "POST",
        route: "/surveys/{survey_id}/answer",
        path: "/surveys/{survey_id}/answer",
        expect: EVERYONE_DONE,
    },
    Row {
        method: "GET",
        route: "/surveys/{survey_id}/results",
        path: "/surveys/{published_survey_id}/results",
        expect: EVERYONE_READ,
    },
    Row {
        method: "GET",
        route: "/surveys/{survey_id}/results",
        path: "/surveys/{survey_id}/results",
        expect: NOT_PUBLIC,
    },
    Row { method: "GET", route: "/d/{dept}/surveys", path: "/d/rights/surveys", expect: ACT_MEMBER_READ },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}",
        path: "/d/rights/surveys/{survey_id}",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}/preview",
        path: "/d/rights/surveys/{survey_id}/preview",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}/results",
        path: "/d/rights/surveys/{survey_id}/results",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}/export.csv",
        path: "/d/rights/surveys/{survey_id}/export.csv",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}/export.xlsx",
        path: "/d/rights/surveys/{survey_id}/export.xlsx",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/surveys/{survey_id}/codes",
        path: "/d/rights/surveys/{coded_survey_id}/codes",
        expect: ACT_MEMBER_READ,
    },
    Row { method: "POST", route: "/d/{dept}/surveys/new", path: "/d/rights/surveys/new", expect: ACT_VICE_HEAD },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/update",
        path: "/d/rights/surveys/{survey_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/questions/add",
        path: "/d/rights/surveys/{survey_id}/questions/add",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/questions/{question_id}/update",
        path: "/d/rights/surveys/{survey_id}/questions/{survey_question_id}/update",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/questions/{question_id}/remove",
        path: "/d/rights/surveys/{survey_id}/questions/{survey_question_id}/remove",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/new-version",
        path: "/d/rights/surveys/{survey_id}/new-version",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/publish",
        path: "/d/rights/surveys/{closed_survey_id}/publish",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/surveys/{survey_id}/codes",
        path: "/d/rights/surveys/{coded_survey_id}/codes",
        expect: ACT_VICE_HEAD,
    },
    // Recruitment (招新): applications are the department's own (not the presidium's, which sees counts);
    // the owner's applications go to 生活部, fresh per request (authz/recruitment.rs).
    Row { method: "GET", route: "/recruitment", path: "/recruitment", expect: EVERYONE_READ },
    Row {
        method: "GET",
        route: "/recruitment/positions/{position_id}",
        path: "/recruitment/positions/{position_id}",
        expect: EVERYONE_READ,
    },
    Row {
        method: "POST",
        route: "/recruitment/positions/{position_id}/apply",
        path: "/recruitment/positions/{position_id}/apply",
        expect: SIGNED_IN_ACT,
    },
    Row { method: "GET", route: "/me/applications", path: "/me/applications", expect: SIGNED_IN_READ },
    Row {
        method: "POST",
        route: "/me/applications/{application_id}/withdraw",
        path: "/me/applications/{owner_application_id}/withdraw",
        expect: OWNER_ACT,
    },
    Row {
        method: "POST",
        route: "/me/applications/{application_id}/slot",
        path: "/me/applications/{owner_application_id}/slot",
        expect: OWNER_ACT,
    },
    Row {
        method: "POST",
        route: "/me/applications/{application_id}/accept",
        path: "/me/applications/{owner_offer_id}/accept",
        expect: OWNER_ACT,
    },
    Row {
        method: "POST",
        route: "/me/applications/{application_id}/decline",
        path: "/me/applications/{owner_offer_id}/decline",
        expect: OWNER_ACT,
    },
    Row { method: "GET", route: "/d/{dept}/recruitment", path: "/d/rights/recruitment", expect: ACT_MEMBER_READ },
    Row {
        method: "GET",
        route: "/d/{dept}/recruitment/applications/{application_id}",
        path: "/d/rights/recruitment/applications/{application_id}",
        expect: ACT_MEMBER_READ,
    },
    Row {
        method: "GET",
        route: "/d/{dept}/recruitment/applications/{application_id}",
        path: "/d/life/recruitment/applications/{application_id}",
        expect: OTHER_DEPT_NOT_FOUND,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/applications/{application_id}/notes",
        path: "/d/rights/recruitment/applications/{application_id}/notes",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/applications/{application_id}/notes",
        path: "/d/life/recruitment/applications/{application_id}/notes",
        expect: OTHER_DEPT_NOT_FOUND,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/slots",
        path: "/d/rights/recruitment/slots",
        expect: ACT_MEMBER,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/positions",
        path: "/d/rights/recruitment/positions",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/applications/{application_id}/decide",
        path: "/d/rights/recruitment/applications/{application_id}/decide",
        expect: ACT_VICE_HEAD,
    },
    Row {
        method: "POST",
        route: "/d/{dept}/recruitment/applications/{application_id}/decide",
        path: "/d/life/recruitment/applications/{application_id}/decide",
        expect: OTHER_DEPT_NOT_FOUND,
    },
    Row { method: "GET", route: "/presidium/recruitment", path: "/presidium/recruitment", expect: PRESIDIUM_READ },
    Row { method: "POST", route: "/presidium/recruitment", path: "/presidium/recruitment", expect: PRESIDIUM_ACT },
    // Last: a handover takes every department role away.
    Row { method: "POST", route: "/admin/terms/handover", path: "/admin/terms/handover", expect: ADMIN_ACT },
];
