-- One number, one person (issue 18): a department or union role is given only to an account whose
-- student number someone vouched for (app_user.verified_by, 0022). The portal checks first and
-- explains beside the field; this is the same rule where no code path can go around it.
create function require_verified_account() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from app_user where user_id = new.user_id and verified_by is not null) then
        raise exception 'a role needs a verified account' using errcode = '23514', constraint = 'role_needs_verified_account';
    end if;
    return new;
end
$$;
create trigger membership_needs_verified_account before insert or update of user_id on membership
    for each row execute function require_verified_account();
create trigger union_role_needs_verified_account before insert or update of user_id on union_role
    for each row execute function require_verified_account();
