-- Photos of a complaint (at most five), stored re-encoded under random names.
create table complaint_photo (
    photo_id bigint generated always as identity primary key,
    complaint_id bigint not null references complaint on delete cascade,
    position smallint not null,
    file_name text not null,
    thumb_name text not null,
    width integer not null,
    height integer not null,
    created_at timestamptz not null default now()
);
create index complaint_photo_complaint_idx on complaint_photo (complaint_id, position);
