-- The working calendar: the days that differ from "Monday to Friday works". A day is
-- either a public holiday (放假, `holiday`, with the festival's name) or a make-up
-- working day (调休上班, `workday`, usually a Saturday or Sunday). Every working-day
-- deadline in the portal reads it (holidays::calendar); administrators edit it on
-- /admin/holidays as the State Council publishes each year's schedule.
create table calendar_day (
    day date primary key,
    kind text not null check (kind in ('holiday', 'workday')),
    name text not null check (char_length(name) between 1 and 20),
    created_at timestamptz not null default now()
);

-- Seed: the official 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知,
-- 国办发明电〔2025〕7号, https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm),
-- taken from holiday-cn (NateScarlet/holiday-cn, 2026.json, commit d4e53bf of 2026-08-07)
-- and checked day by day against the Python package chinese_calendar 1.11.0
-- (LKI/chinese-calendar) and the Rust crate chinese_holiday 2026.0.1: all three agree.
-- 2027 is not seeded: none of these sources had the 2027 schedule yet (holiday-cn's
-- 2027.json lists no days), and no date here is guessed. Administrators add it on
-- /admin/holidays once the State Council publishes it.
insert into calendar_day (day, kind, name) values
    ('2026-01-01', 'holiday', '元旦'),
    ('2026-01-02', 'holiday', '元旦'),
    ('2026-01-03', 'holiday', '元旦'),
    ('2026-01-04', 'workday', '元旦调休'),
    ('2026-02-14', 'workday', '春节调休'),
    ('2026-02-15', 'holiday', '春节'),
    ('2026-02-16', 'holiday', '春节'),
    ('2026-02-17', 'holiday', '春节'),
    ('2026-02-18', 'holiday', '春节'),
    ('2026-02-19', 'holiday', '春节'),
    ('2026-02-20', 'holiday', '春节'),
    ('2026-02-21', 'holiday', '春节'),
    ('2026-02-22', 'holiday', '春节'),
    ('2026-02-23', 'holiday', '春节'),
    ('2026-02-28', 'workday', '春节调休'),
    ('2026-04-04', 'holiday', '清明节'),
    ('2026-04-05', 'holiday', '清明节'),
    ('2026-04-06', 'holiday', '清明节'),
    ('2026-05-01', 'holiday', '劳动节'),
    ('2026-05-02', 'holiday', '劳动节'),
    ('2026-05-03', 'holiday', '劳动节'),
    ('2026-05-04', 'holiday', '劳动节'),
    ('2026-05-05', 'holiday', '劳动节'),
    ('2026-05-09', 'workday', '劳动节调休'),
    ('2026-06-19', 'holiday', '端午节'),
    ('2026-06-20', 'holiday', '端午节'),
    ('2026-06-21', 'holiday', '端午节'),
    ('2026-09-20', 'workday', '国庆节调休'),
    ('2026-09-25', 'holiday', '中秋节'),
    ('2026-09-26', 'holiday', '中秋节'),
    ('2026-09-27', 'holiday', '中秋节'),
    ('2026-10-01', 'holiday', '国庆节'),
    ('2026-10-02', 'holiday', '国庆节'),
    ('2026-10-03', 'holiday', '国庆节'),
    ('2026-10-04', 'holiday', '国庆节'),
    ('2026-10-05', 'holiday', '国庆节'),
    ('2026-10-06', 'holiday', '国庆节'),
    ('2026-10-07', 'holiday', '国庆节'),
    ('2026-10-10', 'workday', '国庆节调休');
