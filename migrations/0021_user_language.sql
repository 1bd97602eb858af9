-- Mail follows its recipient's language: the language a user chose (the switch in
-- the header while logged in, or the page's language when registering or logging in)
-- is kept on their account. Existing accounts keep Chinese, the union's language.
alter table app_user add column lang text not null default 'zh-CN' check (lang in ('zh-CN', 'en'));

-- `notify_users` takes the mail's text in every language, as JSON keyed by language
-- code ({"zh-CN": …, "en": …}), and each recipient gets theirs (Chinese if missing).
drop function notify_users(bigint[], bigint, text, text, text, text);
create function notify_users(user_ids bigint[], skip_user bigint, message_key text, param text, link text,
                             mail_texts jsonb) returns void
language plpgsql volatile as $$
begin
    with targets as (select distinct u from unnest(user_ids) as u where u is distinct from skip_user),
         inserted as (insert into notification (user_id, message_key, param, link)
                      select u, notify_users.message_key, notify_users.param, notify_users.link from targets
                      returning user_id)
    insert into mail_outbox (to_address, subject, body, link)
    select a.email, t.text, t.text, notify_users.link
    from app_user a join inserted i on i.user_id = a.user_id
    cross join lateral (select coalesce(mail_texts ->> a.lang, mail_texts ->> 'zh-CN') as text) t
    where a.email_notifications and a.email <> '' and a.disabled_at is null;
end
$$;
