-- Chinese-capable search over complaints: tokens made by the portal (src/search.rs),
-- title weighted above the rest.
alter table complaint add column search_doc tsvector not null default ''::tsvector;
create index complaint_search_idx on complaint using gin (search_doc);
