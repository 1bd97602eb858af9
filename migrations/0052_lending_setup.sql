-- A station can close (moved, out of season, its room locked): it leaves the public list
-- and takes no returns, moves or new items; its record and its past loans stay. The
-- department closes it only once its shelf is empty (the update's own condition).
alter table lending_station add column closed boolean not null default false;

-- As in 0047, and a closed station takes no return.
create or replace function lending_return(p_code text, p_station bigint, p_user bigint, p_officer bigint, p_now timestamptz)
returns text language plpgsql as $$
declare
    v_item lending_item%rowtype;
    v_loan bigint;
begin
    select * into v_item from lending_item where code = p_code for update;
    if not found then
        return 'no_item';
    end if;
    if not exists (select 1 from lending_station
                   where station_id = p_station and department_id = v_item.department_id and not closed) then
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

-- The count of items on each station's shelf, kept by the items' own triggers: the public
-- page reads forty numbers, not every item (a station's count moves with each loan, return,
-- move, repair or new item, in the same transaction). A borrow or return touches the
-- station it happens at; a move locks its two stations in id order first (see
-- lending::queries::move_stock), so two moves in opposite directions cannot deadlock.
alter table lending_station add column available int not null default 0;
update lending_station s set available =
    (select count(*) from lending_item i where i.station_id = s.station_id and i.state = 'available');

create function lending_item_shelf_count() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.state = 'available' then
        update lending_station set available = available - 1 where station_id = old.station_id;
    end if;
    if tg_op in ('UPDATE', 'INSERT') and new.state = 'available' then
        update lending_station set available = available + 1 where station_id = new.station_id;
    end if;
    return null;
end $$;

create trigger lending_item_shelf_count_change after update of state, station_id on lending_item
    for each row when (old.state is distinct from new.state or old.station_id is distinct from new.station_id)
    execute function lending_item_shelf_count();
create trigger lending_item_shelf_count_add after insert or delete on lending_item
    for each row execute function lending_item_shelf_count();
