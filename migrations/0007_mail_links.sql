-- Mail carries the portal link of what it is about; the sender adds the public address.
alter table mail_outbox add column link text not null default '';
alter table mail_outbox add column transport text;
create index mail_outbox_unsent_idx on mail_outbox (mail_id) where sent_at is null;
