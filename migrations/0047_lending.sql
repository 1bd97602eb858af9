-- Lending of items without a deposit (爱心伞 first, issue 25): stations run by a
-- department, items with a QR tag, loans borrowed at one station and returned at any,
-- reminders, lost items and recorded stock moves. The verified campus identity is the
-- guarantee, so borrowing needs a verified account.

alter table department add column runs_lending boolean not null default false;
update department set runs_lending = true where slug = 'rights';

-- What can be lent, with its rules: how long a loan lasts, how many a student may hold
-- at once, when a reminder goes out and after how many days overdue the item is lost.
create table lending_kind (
    kind text primary key,
    name_zh text not null,
    name_en text not null,
    loan_hours int not null,
    open_loan_limit int not null,
    remind_before_hours int not null,
    lost_after_days int not null,
    constraint lending_kind_loan_hours_range check (loan_hours between 1 and 2160),
    constraint lending_kind_limit_range check (open_loan_limit between 1 and 20),
    constraint lending_kind_remind_range check (remind_before_hours between 0 and 720),
    constraint lending_kind_lost_range check (lost_after_days between 1 and 365)
);
insert into lending_kind values
    ('umbrella', '雨伞', 'Umbrella', 24, 1, 2, 7),
    ('power_bank', '充电宝', 'Power bank', 4, 1, 1, 3);

create table lending_station (
    station_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    name text not null,
    -- 西区, 北区 …: the public list groups by it.
    district text not null,
    place text not null,
    -- Empty: always open.
    opening_hours text not null default '',
    capacity int not null,
    min_stock int not null,
    -- The officers on duty, as the department writes them (names, times).
    on_duty text not null default '',
    created_at timestamptz not null default now(),
    constraint lending_station_name_key unique (department_id, name),
    constraint lending_station_capacity_range check (capacity between 1 and 10000),
    constraint lending_station_min_range check (min_stock between 0 and capacity)
);

create table lending_item (
    item_id bigint generated always as identity primary key,
    -- The tag's code, printed as a QR code leading to /umbrellas/i/{code}.
    code text not null,
    kind text not null references lending_kind,
    department_id bigint not null references department,
    home_station_id bigint not null references lending_station,
    -- Where it is, or was last: on loan it keeps the station it left from.
    station_id bigint not null references lending_station,
    state text not null default 'available',
    created_at timestamptz not null default now(),
    constraint lending_item_code_key unique (code),
    constraint lending_item_state_kind check (state in ('available', 'on_loan', 'lost', 'repair', 'retired'))
);
-- The public page's count: available items per station.
create index lending_item_available_idx on lending_item (station_id) where state = 'available';

create table lending_loan (
    loan_id bigint generated always as identity primary key,
    item_id bigint not null references lending_item,
    kind text not null references lending_kind,
    borrower_id bigint not null references app_user,
    station_id bigint not null references lending_station,
    borrowed_at timestamptz not null default now(),
    due_at timestamptz not null,
    -- The officer who lent it; null when the student borrowed by the item's QR code.
    lent_by bigint references app_user,
    returned_at timestamptz,
    return_station_id bigint references lending_station,
    received_by bigint references app_user,
    reminded_at timestamptz,
    overdue_told_at timestamptz,
    lost_at timestamptz,
    constraint lending_loan_returned_whole check ((returned_at is null) = (return_station_id is null))
);
-- An item is lent once at a time, whatever races the functions below lose.
create unique index lending_loan_open_item_key on lending_loan (item_id) where returned_at is null;
create index lending_loan_open_borrower_idx on lending_loan (borrower_id) where returned_at is null;
create index lending_loan_due_idx on lending_loan (due_at) where returned_at is null;
create index lending_loan_borrowed_idx on lending_loan (borrowed_at);

-- Stock carried from one station to another by the department.
create table lending_move (
    move_id bigint generated always as identity primary key,
    department_id bigint not null references department,
    from_station_id bigint not null references lending_station,
    to_station_id bigint not null references lending_station,
    moved int not null,
    moved_by bigint references app_user,
    moved_at timestamptz not null default now(),
    constraint lending_move_count_range check (moved between 1 and 10000),
    constraint lending_move_stations_differ check (from_station_id <> to_station_id)
);

-- Lend the item tagged `p_code` to `p_user`: one call, safe against races. The borrower's
-- row is locked first, so two loans of one student are counted one after the other (each
-- statement here reads what committed before it); the item moves only from `available`,
-- so two officers scanning one umbrella make one loan. `p_dept` limits a staffed desk to
-- its department's items (null for the student's own scan). Answers 'lent' or why not.
create function lending_borrow(p_code text, p_user bigint, p_dept bigint, p_officer bigint, p_now timestamptz)
returns text language plpgsql as $$
declare
    v_verified boolean;
    v_item lending_item%rowtype;
    v_kind lending_kind%rowtype;
begin
    select verified_by is not null into v_verified from app_user
    where user_id = p_user and disabled_at is null for update;
    if not found then
        return 'no_student';
    end if;
    if not v_verified then
        return 'not_verified';
    end if;
    if exists (select 1 from lending_loan where borrower_id = p_user and returned_at is null and due_at < p_now) then
        return 'overdue';
    end if;
    select * into v_item from lending_item where code = p_code and (p_dept is null or department_id = p_dept);
    if not found then
        return 'no_item';
    end if;
    select * into v_kind from lending_kind where kind = v_item.kind;
    if (select count(*) from lending_loan where borrower_id = p_user and kind = v_item.kind and returned_at is null)
        >= v_kind.open_loan_limit then
        return 'limit';
    end if;
    update lending_item set state = 'on_loan' where item_id = v_item.item_id and state = 'available';
    if not found then
        return 'not_available';
    end if;
    insert into lending_loan (item_id, kind, borrower_id, station_id, borrowed_at, due_at, lent_by)
    values (v_item.item_id, v_item.kind, p_user, v_item.station_id, p_now,
            p_now + make_interval(hours => v_kind.loan_hours), p_officer);
    return 'lent';
end $$;

-- Take back the item tagged `p_code` at station `p_station` (any station of the item's
-- department): the open loan closes, late or lost alike, and the item is available there.
-- `p_user`, when given, must be the borrower (a student returning by the QR code).
create function lending_return(p_code text, p_station bigint, p_user bigint, p_officer bigint, p_now timestamptz)
returns text language plpgsql as $$
declare
    v_item lending_item%rowtype;
    v_loan bigint;
begin
    select * into v_item from lending_item where code = p_code for update;
    if not found then
        return 'no_item';
    end if;
    if not exists (select 1 from lending_station where station_id = p_station and department_id = v_item.department_id) then
        return 'no_station';
    end if;
    update lending_loan set returned_at = p_now, return_station_id = p_station, received_by = p_officer
    where item_id = v_item.item_id and returned_at is null and (p_user is null or borrower_id = p_user)
    returning loan_id into v_loan;
    if v_loan is null then
        return 'not_on_loan';
    end if;
    update lending_item set state = 'available', station_id = p_station where item_id = v_item.item_id;
    return 'returned';
end $$;
