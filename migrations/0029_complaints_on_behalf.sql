-- Staff file a complaint for a student who reported elsewhere (issue 19): the channel it
-- came by, and the officer who registered it. The reporter is the student when their
-- number was given (a verified account), else the officer, and the complaint anonymous.
alter table complaint add column channel text
    check (channel in ('weibo', 'meeting', 'in_person', 'phone', 'mail'));
alter table complaint add column filed_by bigint references app_user;
alter table complaint add constraint complaint_channel_has_officer check ((channel is null) = (filed_by is null));
