-- Searching the public board for a word (issue 20), newest first a slice of time at a time
-- (0035 began it with quarters). The index was keyed by (quarter, word) as two GIN columns:
-- each quarter's probe read every searched word's whole posting list, over all quarters, and
-- kept the quarter's share; a word that matches nothing asked all thirteen quarters of the
-- benchmark's data, reading those lists thirteen times. And a common word read every match of
-- the newest quarter from the table to order them by date (at four times the benchmark's data,
-- 475 rows from 470 pages for 宿舍限, nine tenths of the search).
-- Now each word is indexed under its month ("m683x白蚁"): a month's probe reads that month's
-- postings only, so probing three times as many slices costs less than the quarters did, and a
-- common word reads a month's matches. The benchmark's random words, the statement alone: at its
-- scale 1.3–1.5 ms before, 0.9–1.0 with words by quarter, months the same within the machine's noise;
-- at four times its data 2.6–3.7 ms by quarter → 1.4–1.6 by month (docs/benchmarks.md, "The
-- eighth round").

-- Months of 30.4375 days since 1970: a whole number that grows with time, so months in
-- descending order give the board's order. Not calendar months: nothing shows them.
create function search_month(at timestamptz) returns int
    language sql immutable parallel safe
    return floor(extract(epoch from at) / 2629800)::int;

-- A document's words, each prefixed by its month. Immutable: the index is built from it.
-- Its cost is what building a document of a few hundred words costs, so that no plan
-- computes it row by row where the index answers.
create function search_doc_in_month(month int, doc tsvector) returns tsvector
    language sql immutable parallel safe cost 500
    return array_to_tsvector(array(select 'm' || month || 'x' || word from unnest(tsvector_to_array(doc)) as word));

-- Every one of `words` (search::query_tokens: letters and digits only, so the quotes hold)
-- within `month`, prefixed as above.
create function search_query_in_month(month int, words text[]) returns tsquery
    language sql immutable parallel safe
    return array_to_string(array(select '''m' || month || 'x' || word || '''' from unnest(words) as word), ' & ')::tsquery;

-- The pending list is kept small for the reason 0035 gives.
create index complaint_public_search_idx_by_month on complaint
    using gin (search_doc_in_month(search_month(created_at), search_doc))
    with (gin_pending_list_limit = 128)
    where is_public and merged_into_id is null;
drop index complaint_public_search_idx;
-- Nothing reads the quarters any more.
alter table complaint drop column search_quarter;
drop function search_quarter(timestamptz);
