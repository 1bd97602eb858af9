-- Telling users of something, as one function: `notifications::notify` calls it, and
-- so does the statement that files a complaint, which saves the complaint, its photos,
-- its first event and the handlers' notifications in one round trip.
-- Each user once (duplicates ignored), except `skip_user` (the one who acted); in the
-- portal, and by mail to those who have not switched mail off.
-- PL/pgSQL rather than SQL: it keeps its statement's plan from call to call.
create function notify_users(user_ids bigint[], skip_user bigint, message_key text, param text, link text,
                             mail_text text) returns void
language plpgsql volatile as $$
begin
    with targets as (select distinct u from unnest(user_ids) as u where u is distinct from skip_user),
         inserted as (insert into notification (user_id, message_key, param, link)
                      select u, notify_users.message_key, notify_users.param, notify_users.link from targets
                      returning user_id)
    insert into mail_outbox (to_address, subject, body, link)
    select a.email, mail_text, mail_text, notify_users.link from app_user a join inserted i on i.user_id = a.user_id
    where a.email_notifications and a.email <> '' and a.disabled_at is null;
end
$$;
