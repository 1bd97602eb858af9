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
