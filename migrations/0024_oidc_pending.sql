-- An OpenID Connect sign-in under way (issue 18): what the browser must bring back. The browser
-- holds a random id in a short cookie; the row, found by that id's hash, holds the `state` it must
-- return, the `nonce` the ID token must carry, the PKCE verifier and where to go next. Used once;
-- rows older than ten minutes are worth nothing.
create table oidc_pending (
    pending_hash bytea primary key,
    state text not null,
    nonce text not null,
    pkce_verifier text not null,
    next text not null,
    created_at timestamptz not null default now()
);
create index oidc_pending_created_idx on oidc_pending (created_at);
