-- Reads students make all day, made cheaper (issue 20; figures in docs/benchmarks.md).

-- Searching what the points hold: the items held are a few thousand of the hundreds of
-- thousands ever registered, so their own index finds a word among them alone (the whole
-- table's index stays for the desk's search of every item).
create index found_item_held_search_idx on found_item using gin (search_doc) where status = 'held';

-- The commitments board's order (open ones first, by due date): a page is read from the
-- index instead of sorting every commitment.
create index commitment_board_order_idx on commitment ((status = 'done'), due_on, commitment_id);

-- Seats taken per reception day, counted on every list of days from the index alone.
create index reception_signup_seat_idx on reception_signup (session_id) where status = 'seat';
