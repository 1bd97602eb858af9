-- Students report a thing they found (拾获登记): where, when, a photo, the collection point they will
-- hand it in at, or that they keep it until the owner contacts the union. Nothing of it is public
-- until an officer of the lost-and-found department confirms it; confirming registers the found item.
create table found_offer (
    offer_id bigint generated always as identity primary key,
    reporter_id bigint not null references app_user,
    -- The department that decides: the point's, or (kept by the finder) the first that runs lost and found.
    department_id bigint not null references department,
    category text not null
        check (category in ('card', 'electronics', 'keys', 'books', 'clothing', 'umbrella', 'wallet', 'other')),
    description text not null,
    colour text not null default '',
    found_place text not null,
    found_on date not null,
    -- Null: the finder keeps it; `keeper_contact` (officers only) says how to reach them.
    point_id bigint references collection_point,
    keeper_contact text not null default '',
    photo_name text,
    thumb_name text,
    status text not null default 'pending' check (status in ('pending', 'confirmed', 'declined')),
    decided_by bigint references app_user,
    decided_at timestamptz,
    decline_reason text not null default '',
    item_id bigint references found_item,
    created_at timestamptz not null default now(),
    constraint found_offer_decided check ((status = 'pending') = (decided_at is null)),
    constraint found_offer_confirmed_item check ((status = 'confirmed') = (item_id is not null))
);
create index found_offer_pending_idx on found_offer (department_id, offer_id) where status = 'pending';
create index found_offer_reporter_idx on found_offer (reporter_id, offer_id desc);
