-- Searching the public board for a word (issue 20), a quarter at a time (0035). The index was
-- keyed by (quarter, word) as two GIN columns: each quarter's probe read every searched word's
-- whole posting list, over all quarters, and kept the quarter's share. A word that matches
-- nothing asked all thirteen quarters of the benchmark's data, reading those lists thirteen
-- times. Now each word is indexed under its quarter ("q227x白蚁"): a quarter's probe reads that
-- quarter's postings only (0.18 → 0.06 ms a probe; the search for the benchmark's random words
-- 1.3–1.5 → 0.9–1.0 ms, docs/benchmarks.md, "The eighth round").

-- A document's words, each prefixed by its quarter. Immutable: the index is built from it.
-- Its cost is what building a document of a few hundred words costs, so that no plan
-- computes it row by row where the index answers.
create function search_doc_in_quarter(quarter int, doc tsvector) returns tsvector
    language sql immutable parallel safe cost 500
    return array_to_tsvector(array(select 'q' || quarter || 'x' || word from unnest(tsvector_to_array(doc)) as word));

-- Every one of `words` (search::query_tokens: letters and digits only, so the quotes hold)
-- within `quarter`, prefixed as above.
create function search_query_in_quarter(quarter int, words text[]) returns tsquery
    language sql immutable parallel safe
    return array_to_string(array(select '''q' || quarter || 'x' || word || '''' from unnest(words) as word), ' & ')::tsquery;

-- The pending list is kept small for the reason 0035 gives.
create index complaint_public_search_idx_by_quarter on complaint
    using gin (search_doc_in_quarter(search_quarter, search_doc))
    with (gin_pending_list_limit = 128)
    where is_public and merged_into_id is null;
drop index complaint_public_search_idx;
