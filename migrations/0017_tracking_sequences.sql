-- Tracking numbers come from one sequence per year (`tracking_no_2026`, …) instead of a
-- counter row. `nextval` takes no lock that lasts until commit and needs no commit of
-- its own, so a filing takes its number inside its one statement: the counter row had
-- to be bumped in a transaction of its own (one more round trip and commit per filing)
-- or its lock would have been held through every filing's flush to disk. As with the
-- counter, a number is skipped only when a filing fails after taking it.

-- The sequence of a year, made on the first filing of that year. Security definer: the
-- portal's role `portal_app` may create nothing; the sequence belongs to the tables' owner.
create function next_tracking_number(for_year integer) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    seq text := 'tracking_no_' || for_year;
begin
    if to_regclass(seq) is null then
        -- Two processes filing the year's first complaint at once: one creates it.
        perform pg_advisory_xact_lock(hashtext(seq));
        if to_regclass(seq) is null then
            perform raise_tracking_numbers(for_year, coalesce(
                (select max(split_part(tracking_no, '-', 3)::integer) from complaint
                 where split_part(tracking_no, '-', 2) = for_year::text), 0));
        end if;
    end if;
    return nextval(seq);
end
$$;

-- The year's sequence (made if missing) goes on after `last` at least; never backwards,
-- so numbers already handed out to filings not yet committed are never handed out again.
create function raise_tracking_numbers(for_year integer, last integer) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    seq text := 'tracking_no_' || for_year;
    now_at integer;
begin
    execute format('create sequence if not exists %I as integer', seq);
    select last_value into now_at from pg_sequences where schemaname = 'public' and sequencename = seq;
    if last > coalesce(now_at, 0) then
        perform setval(format('%I', seq)::regclass, last);
    end if;
end
$$;

-- After data is loaded by other means (the benchmark seeder, this migration): every
-- year goes on after the highest number its complaints hold.
create function continue_tracking_numbers() returns void
language sql security definer set search_path = public, pg_temp as $$
    select raise_tracking_numbers(split_part(tracking_no, '-', 2)::integer, max(split_part(tracking_no, '-', 3)::integer))
    from complaint group by split_part(tracking_no, '-', 2)
$$;

-- Numbers the counter handed out but no complaint kept (a filing that failed) stay skipped.
select raise_tracking_numbers(year, last_number) from tracking_counter;
select continue_tracking_numbers();

drop table tracking_counter;
